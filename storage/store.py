"""The app's database as every store of this package works through it: :class:`Store`, the base of
:class:`storage.library.Library` (which :class:`storage.regions.RegionStore` and :class:`storage.editors.EditorStore`
are given), and what the tables' code shares.

On a laptop nothing is set up: the database is a file, ``$PBI_DATA_DIR/scenarios.sqlite3`` (default
``<repo>/var/scenarios.sqlite3``; ``var/`` is git-ignored). A shared server sets ``PBI_DATABASE_URL`` to a
PostgreSQL database. Either survives a server restart and is shared by every process that opens it.

* Opening (:class:`Store`): the schema is made and upgraded by Alembic (``storage/migrations``) when a store opens
  a database, or by the operator: ``python -m storage upgrade``; :meth:`Store.integrity_check` says whether the
  database is sound.
* Durability: every operation is one transaction (:func:`storage.db.transaction`): writes serialised with every
  other writer of the database (SQLite ``BEGIN IMMEDIATE`` in WAL mode with ``synchronous=FULL``; PostgreSQL an
  advisory lock), readers never blocked; safe across Streamlit sessions/threads and across processes. A method
  that returned has committed.
* The per-session write limit (table ``writes``): a writer that says who it is (``owner=``: the app passes one id
  per browser session) makes at most ``MAX_WRITES_PER_MINUTE`` writes a minute, counted in the database so that
  it holds across reruns, restarts and server processes (code ``session_rate``). Saved scenarios, share links and
  saved regions count against the same log.
* The checks every table's writes share: names (:func:`check_name`, code ``bad_name``) and session ids.
* SQL written with ``?`` placeholders (:func:`_x`), run as SQLAlchemy text on either database.

How a scenario and its region data are stored and read back is :mod:`storage.links`'s (the saved entries of
:mod:`storage.library` store the same form).

This module does not import Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from simulation.errors import ValidationError
from simulation.io.safe import hidden_chars
from storage import db

MAX_WRITES_PER_MINUTE = 30         # saves, copies, renames, updates and links per session and minute
MAX_NAME = 120                     # characters in an entry name (same limit as Scenario.name)
OWNER_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
WRITE_LOG_KEEP = dt.timedelta(hours=1)   # rows of ``writes`` older than this are dropped on the next write


# --------------------------------------------------------------------------- helpers
def check_name(name: object, where: str = "name") -> str:
    """A valid entry name (1–120 characters, no control or invisible characters), NFC-normalised and trimmed.

    Names are plain text: show them with ``st.text``/escaped markdown, never as HTML.
    """
    if not isinstance(name, str):
        raise ValidationError(where, "expected text", code="bad_name", params={"max": MAX_NAME})
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationError(where, f"a name must have 1 to {MAX_NAME} characters", code="bad_name",
                              params={"max": MAX_NAME})
    if hidden_chars(name):  # the one rule (simulation.io.safe): files, scenarios and the library refuse alike
        raise ValidationError(where, "a name must not contain control or invisible characters", code="bad_name",
                              params={"max": MAX_NAME})
    return name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- the open database
class Store:
    """The app's database, opened (and upgraded) once; one transaction per operation. Cheap to create; safe to
    share between threads.

    ``path``: the SQLite database file (created with its folder if missing) or a database URL (``postgresql://...``,
    ``sqlite:///...``); default ``$PBI_DATABASE_URL``, else the file :func:`storage.db.default_path`.
    ``timeout``: seconds to wait for another writer before refusing with code ``busy``.
    ``max_writes_per_minute``: for writes that name an ``owner`` (code ``session_rate``).

    ``url`` is the database's URL, ``path`` its file (None for PostgreSQL). Opening a database made by an older
    version of the app upgrades its schema (Alembic, in one transaction); a newer one is refused (code ``storage``).
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 10.0,
                 max_writes_per_minute: int = MAX_WRITES_PER_MINUTE):
        self.url = db.database_url(path)
        self.path = db.sqlite_path(self.url)
        self.timeout = float(timeout)
        self.max_writes_per_minute = int(max_writes_per_minute)
        if self.path is not None:
            db.prepare_sqlite_file(self.path, self.timeout)
        try:
            self._engine = db.engine(self.url, self.timeout)
        except Exception as exc:  # noqa: BLE001 - a missing driver or a bad option: say so, no traceback
            raise db.translate(exc) from None
        with self._db() as con:                      # usually at the newest revision already: no writer's lock
            current = db.revision(con)
        if current != db.HEAD:
            with self._db(write=True) as con:        # upgrade_in looks again, alone: another process may have
                db.upgrade_in(con)

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.url.get_backend_name()

    # ---------------------------------------------------------------- plumbing
    @contextmanager
    def _db(self, write: bool = False) -> Iterator[Connection]:
        """One transaction (writes serialised with every other writer); database errors translated."""
        with db.transaction(self._engine, self.timeout, write=write) as con:
            yield con

    def _written(self, con: Connection, owner: str | None) -> None:
        """Count one write of ``owner`` (None: not counted); refused with ``session_rate`` past the minute's limit.

        Called inside the write's transaction, so a refused or failed write is not counted."""
        if owner is None:
            return
        now = dt.datetime.now(dt.UTC)
        _x(con, "DELETE FROM writes WHERE at < ?", ((now - WRITE_LOG_KEEP).isoformat(timespec="microseconds"),))
        since = (now - dt.timedelta(minutes=1)).isoformat(timespec="microseconds")
        (recent,) = _x(con, "SELECT count(*) FROM writes WHERE owner = ? AND at >= ?", (owner, since)).fetchone()
        if recent >= self.max_writes_per_minute:
            raise ValidationError("library", f"too many saves from this session: at most "
                                  f"{self.max_writes_per_minute} a minute; wait a minute", code="session_rate",
                                  params={"max": self.max_writes_per_minute})
        _x(con, "INSERT INTO writes (owner, at) VALUES (?, ?)", (owner, now.isoformat(timespec="microseconds")))

    # ---------------------------------------------------------------- checks
    def integrity_check(self) -> str:
        """"ok" when the database is sound, else one line per problem.

        Both databases: the schema is at the newest revision and the database's own guards are in place (the
        triggers that keep frozen entries and saved region versions unchanged and the audit log append-only, the
        one-baseline-per-region index).
        SQLite adds its ``PRAGMA integrity_check`` of the file; PostgreSQL, which has no such check built in,
        checks the tables' indexes with ``amcheck`` where an administrator installed that extension."""
        problems: list[str] = []
        with self._db() as con:
            rev = db.revision(con)
            if rev != db.HEAD:
                problems.append(f"schema revision {rev} (expected {db.HEAD})")
            problems += db.missing_guards(con)
            problems += db.engine_check(con)
        return "\n".join(problems) or "ok"


# --------------------------------------------------------------------------- module helpers
def _bind(sql: str, args: tuple | list) -> tuple[sa.TextClause, dict]:
    """A statement written with ``?`` placeholders as SQLAlchemy text with bound parameters (either database)."""
    parts = sql.split("?")
    if len(parts) - 1 != len(args):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(args)} values")
    text = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
    return sa.text(text), {f"p{i}": v for i, v in enumerate(args)}


def _x(con: Connection, sql: str, args: tuple = ()) -> sa.CursorResult:
    """Run one statement (``?`` placeholders) in the transaction of ``con``."""
    stmt, params = _bind(sql, args)
    return con.execute(stmt, params)


def _xmany(con: Connection, sql: str, rows: list[tuple]) -> None:
    """Run one statement once per row of values."""
    if rows:
        stmt, _ = _bind(sql, rows[0])
        con.execute(stmt, [_bind(sql, r)[1] for r in rows])


def _check_owner(owner: object) -> str | None:
    """None, or a session id as the app makes them (1 to 64 letters, digits, '-' or '_')."""
    if owner is None or (isinstance(owner, str) and OWNER_RE.fullmatch(owner)):
        return owner
    raise ValidationError("owner", "expected a session id", code="invalid")
