"""A Jupyter notebook that rebuilds a scenario with the public API and prints its yearly table.

``python -m simulation notebook scenario.json -o scenario.ipynb`` and the Projection page's download write it.
Analysts re-run and audit the numbers without the app: every field of the scenario is written out as a keyword
of :class:`~simulation.Scenario`, :class:`~simulation.GroupScenario` and :class:`~simulation.Target`, and the
table is what ``python -m simulation run scenario.json --format csv`` prints. The notebook imports nothing but
the names of ``simulation.__all__`` (tests/test_notebook.py executes it and checks that), so it also shows
that the public API is enough to reproduce a result.

The texts in the notebook are English, like the command line's; user text (scenario and group names) only
appears inside Python string literals (``repr``), never in markdown.
"""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path

import nbformat
from nbformat import v4

from .scenario import Scenario

__all__ = ["TABLE_TAG", "build_notebook", "notebook_bytes", "scenario_code", "write_notebook"]

#: Tag of the code cell whose output is the yearly table (CSV), for readers such as the tests.
TABLE_TAG = "yearly-table"
_WIDTH = 110  # characters per line of the groups' and targets' keywords

_INTRO = """\
# Yearly projection of a PBI scenario

This notebook rebuilds the scenario with the simulator's public API (`import simulation`) and prints the same
yearly table as `python -m simulation run scenario.json --format csv`.

- Run it from the simulator's folder (or with that folder on `PYTHONPATH`), in the environment of
  `requirements.txt`.
- Contribution rates, the forecast prior and the region's data come from the simulator's `data/` folder.
- Change any value below and run all cells again to test another assumption: the identity then changes too.
- Money in rupiah, shares 0..1, coverage in % of potential workers; each field is explained in
  `help(Scenario)` and `help(GroupScenario)`.
"""


def _literal(value, where: str) -> str:
    """A Python literal for a plain field value (text, whole or decimal number, true/false, None)."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    raise TypeError(f"{where}: cannot write {type(value).__name__} {value!r} as a literal")


def _call(name: str, obj, indent: str, skip: tuple[str, ...] = (), width: int = 0) -> str:
    """``Name(field=value, ...)`` with every field of the dataclass ``obj``.

    One keyword per line, or with ``width`` as many as fit in lines of that many characters.
    """
    inner = indent + "    "
    args = [f"{f.name}={_literal(getattr(obj, f.name), f'{name}.{f.name}')}," for f in fields(obj)
            if f.name not in skip]
    if not width:
        return f"{name}(\n" + "\n".join(inner + a for a in args) + f"\n{indent})"
    lines = [inner]
    for a in args:
        if len(lines[-1]) > len(inner) and len(lines[-1]) + 1 + len(a) > width:
            lines.append(inner)
        lines[-1] += (" " if len(lines[-1]) > len(inner) else "") + a
    return f"{name}(\n" + "\n".join(lines) + f"\n{indent})"


def scenario_code(scenario: Scenario) -> str:
    """Python source that binds ``scenario`` to an equal :class:`Scenario` (same ``content_hash``).

    Every field is written, also those at their default, so the notebook shows each assumption.
    """
    groups = "".join(f"        {_call('GroupScenario', g, '        ', width=_WIDTH)},\n" for g in scenario.groups)
    targets = "".join(f"        {_call('Target', t, '        ', width=_WIDTH)},\n" for t in scenario.targets)
    head = _call("Scenario", scenario, "", skip=("groups", "targets"))[: -len("\n)")]
    return (f"scenario = {head}\n    groups=(\n{groups}    ),\n    targets=(\n{targets}    ),\n).check()\n"
            f"print('scenario:', scenario.name)\n"
            f"print('identity:', scenario.content_hash, '(exported as {scenario.content_hash})')\n")


def build_notebook(scenario: Scenario) -> nbformat.NotebookNode:
    """The notebook of ``scenario``: intro, imports, the scenario, the yearly table (CSV), notes, the table."""
    table = v4.new_code_cell(
        "projection = project(scenario)\nprint(projection.table.to_csv(index=False), end='')",
        metadata={"tags": [TABLE_TAG]},
    )
    cells = {
        "intro": v4.new_markdown_cell(_INTRO),
        "imports": v4.new_code_cell("from simulation import GroupScenario, Scenario, Target, project"),
        "scenario": v4.new_code_cell(scenario_code(scenario)),
        "table": table,
        "notes": v4.new_code_cell("for note in projection.warnings:\n    print('note:', note)"),
        "view": v4.new_code_cell("projection.table.set_index('year').T"),
    }
    for cell_id, cell in cells.items():
        cell.id = cell_id   # the same scenario gives the same file (nbformat would draw random ids)
    nb = v4.new_notebook(
        cells=list(cells.values()),
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(nb)
    return nb


def notebook_bytes(scenario: Scenario) -> bytes:
    """The ``.ipynb`` file of :func:`build_notebook` as UTF-8 bytes (for a download)."""
    return nbformat.writes(build_notebook(scenario)).encode("utf-8")


def write_notebook(scenario: Scenario, path: str | Path) -> Path:
    """Write the notebook of ``scenario`` to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(notebook_bytes(scenario))
    return path
