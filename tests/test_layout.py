"""The three wings and their one rule each (docs/ARCHITECTURE.md), checked on every import in the code.

- compute, ``simulation/``: imports no other wing and nothing that draws or speaks (Streamlit, Altair, vl-convert,
  python-pptx, reportlab). The one exception is the command-line door (``simulation/cli.py``), which, like a
  page, may translate messages through ``presentation``.
- present, ``presentation/``: may read ``simulation``'s types, imports neither Streamlit nor ``ui``/``storage``/
  ``views``, and never calls the engine (its numbers come in a report the UI wing computed once).
- storage, ``storage/``: the scenario library; imports ``simulation`` only.
- UI, ``app.py``, ``views/`` and ``ui/``: the only code that imports Streamlit; pages do not reach into ``storage``
  (they go through ``ui.state`` and ``ui.regions``).

Every ``import`` statement counts, also one inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WINGS = ("simulation", "presentation", "storage", "ui", "views")
DRAWING = ("streamlit", "altair", "vl_convert", "pptx", "reportlab")
ENGINE_CALLS = {"project", "goal_seek", "cost_coverage_curve", "sensitivity", "baseline_forecast", "fit_forecast",
                "run_batch", "backtest"}


def _files(wing: str) -> list[Path]:
    if wing == "app":
        return [REPO / "app.py"]
    return sorted(p for p in (REPO / wing).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement of ``path`` names, absolute (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(REPO).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                mod = ".".join(x for x in (base, node.module) if x)
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
            found += [(node.lineno, f"{mod}.{a.name}") for a in node.names]   # `from presentation import charts`
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def _violations(wing: str, forbidden: set[str], allow: dict[str, set[str]] | None = None) -> list[str]:
    out = []
    for path in _files(wing):
        rel = str(path.relative_to(REPO))
        allowed_here = (allow or {}).get(rel, set())
        for line, top in sorted({(line, _top(mod)) for line, mod in _imports(path)}):
            if top in forbidden and top not in allowed_here:
                out.append(f"{rel}:{line} imports {top}")
    return out


def test_the_checker_sees_every_kind_of_import(tmp_path, monkeypatch):
    """The rule test itself: absolute, relative, from-package and lazy imports are all seen."""
    pkg = tmp_path / "simulation"
    pkg.mkdir()
    (pkg / "x.py").write_text("import streamlit as st\nfrom ..ui import state\nfrom presentation import charts\n"
                              "def f():\n    from storage.library import Library\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    found = {m for _, m in _imports(pkg / "x.py")}
    assert {"streamlit", "ui.state", "presentation", "presentation.charts", "storage.library"} <= found
    assert len(_violations("simulation", {"streamlit", "ui", "presentation", "storage"})) == 4


def test_compute_wing_imports_no_other_wing_and_nothing_that_draws():
    forbidden = {"presentation", "ui", "storage", "views", *DRAWING}
    # the command-line door translates its messages like a page does; it may import presentation (lazily)
    assert _violations("simulation", forbidden, {"simulation/cli.py": {"presentation"}}) == []


def test_present_wing_imports_no_ui_storage_or_streamlit():
    assert _violations("presentation", {"ui", "storage", "views", "streamlit"}) == []


def test_present_wing_never_calls_the_engine():
    """presentation/ turns results into words and files; it never computes a projection itself."""
    calls = []
    for path in _files("presentation"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        engine_names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulation"):
                engine_names |= {a.asname or a.name for a in node.names if a.name in ENGINE_CALLS}
            if isinstance(node, ast.Import) and any(a.name.startswith("simulation") for a in node.names):
                engine_names.add("simulation")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if (isinstance(f, ast.Name) and name in engine_names) or (
                        isinstance(f, ast.Attribute) and name in ENGINE_CALLS):
                    calls.append(f"{path.relative_to(REPO)}:{node.lineno} calls {name}")
    assert calls == []


def test_storage_imports_only_the_compute_wing():
    assert _violations("storage", {"presentation", "ui", "views", *DRAWING}) == []


@pytest.mark.parametrize("wing", ["simulation", "presentation", "storage"])
def test_streamlit_only_in_the_ui_wing(wing):
    assert _violations(wing, {"streamlit"}) == []


def test_pages_reach_storage_only_through_ui_state():
    assert _violations("views", {"storage"}) + _violations("app", {"storage"}) == []


def test_ui_wing_does_not_import_pages():
    assert _violations("ui", {"views"}) == []


def test_every_wing_is_a_package_with_its_rule_written_down():
    for wing in ("simulation", "presentation", "storage", "ui"):
        init = REPO / wing / "__init__.py"
        assert init.exists(), f"{wing}/ is not a package"
    arch = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for wing in WINGS:
        assert f"`{wing}/`" in arch, f"docs/ARCHITECTURE.md does not describe {wing}/"


def test_public_api_lists_what_it_exports():
    """simulation/__init__.py is the compute wing's public API: every name in __all__ exists."""
    import simulation

    assert simulation.__all__, "simulation.__all__ is empty"
    missing = [n for n in simulation.__all__ if not hasattr(simulation, n)]
    assert missing == []
