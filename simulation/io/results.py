"""What reading an office file or an editor gives: tables of canonical rows and the problems found.

Problems carry a ``code`` and ``params`` (never words): ``presentation`` says them in the user's language,
naming the row as the user sees it (CSV line, Excel row, editor row) and the column as written in the header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Change", "Problem", "Table", "Upload"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload or an edit.

    ``row``: 1-based row as the user sees it (CSV line, Excel row, editor row); None for the
    whole file. ``column``: the header as written in the file (the template header when the
    column is missing); ``key``: the canonical column. ``params`` fill the translated message.
    """

    code: str
    row: int | None = None
    column: str | None = None
    key: str | None = None
    sheet: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "key": self.key, "sheet": self.sheet,
                "params": dict(self.params)}


@dataclass(frozen=True)
class Table:
    """One table read from a file or an editor: canonical rows plus what is wrong with them."""

    kind: str
    rows: tuple[dict, ...]          # canonical key -> parsed value; "_row": row as the user sees it
    columns: tuple[str, ...]        # canonical keys present in the header
    headers: dict = field(default_factory=dict, hash=False, compare=False)  # key -> header as written
    sheet: str | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Upload:
    """What :func:`read_upload` found in one file."""

    filename: str
    tables: tuple[Table, ...] = ()
    problems: tuple[Problem, ...] = ()   # about the whole file

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        return self.problems + tuple(p for t in self.tables for p in t.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(w for t in self.tables for w in t.warnings)

    @property
    def ok(self) -> bool:
        return bool(self.tables) and not self.all_problems

    def table(self, kind: str) -> Table | None:
        return next((t for t in self.tables if t.kind == kind), None)


@dataclass(frozen=True)
class Change:
    """One value that applying a table would change (for the preview)."""

    kind: str
    key: str          # year, group id, target id or parameter id
    field: str        # canonical column
    old: Any
    new: Any
    status: str       # "changed" | "added" | "removed"

