"""House rules that keep user text inert and the server closed: checked on the code and the config."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
APP_CODE = [REPO / "app.py", *sorted((REPO / "views").glob("*.py")), *sorted((REPO / "ui").rglob("*.py")), *sorted((REPO / "presentation").rglob("*.py")), *sorted((REPO / "storage").rglob("*.py")),
            *sorted((REPO / "simulation").rglob("*.py"))]


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return ""


def test_no_html_rendering_of_anything_but_constants():
    """unsafe_allow_html is never switched on; st.html only ever gets a constant string (our own CSS)."""
    problems = []
    for path in APP_CODE:
        for call in _calls(path):
            for kw in call.keywords:
                if kw.arg == "unsafe_allow_html" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    problems.append(f"{path.name}:{call.lineno} unsafe_allow_html")
            if _name(call) == "html" and isinstance(call.func, ast.Attribute) and getattr(call.func.value, "id", "") == "st":
                if not (call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                    problems.append(f"{path.name}:{call.lineno} st.html with a non-constant argument")
    assert problems == []


def test_no_pickle_eval_or_exec_on_anything():
    problems = []
    for path in APP_CODE:
        text = path.read_text(encoding="utf-8")
        if "import pickle" in text or "from pickle" in text:
            problems.append(f"{path.name}: pickle")
        for call in _calls(path):
            if isinstance(call.func, ast.Name) and call.func.id in ("eval", "exec"):
                problems.append(f"{path.name}:{call.lineno} {call.func.id}")
    assert problems == []


def test_yaml_is_only_read_safely():
    """yaml.load only with a safe loader: the module's _SAFE_LOADER, itself libyaml's or PyYAML's safe one."""
    import yaml

    from simulation import sourced
    assert sourced._SAFE_LOADER in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert not issubclass(sourced._SAFE_LOADER, yaml.constructor.FullConstructor)
    with pytest.raises(yaml.constructor.ConstructorError):   # no Python object is ever built from a file
        yaml.load("!!python/object/apply:os.system ['true']", Loader=sourced._SAFE_LOADER)
    for path in APP_CODE:
        for call in _calls(path):
            if _name(call) in ("load", "load_all") and getattr(call.func, "value", None) is not None \
                    and getattr(call.func.value, "id", "") == "yaml":
                loader = next((k.value for k in call.keywords if k.arg == "Loader"), None)
                if not (isinstance(loader, ast.Name) and loader.id == "_SAFE_LOADER"):
                    raise AssertionError(f"{path.name}:{call.lineno} yaml.load without the safe loader")


def test_server_config_keeps_protections_on():
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert 0 < cfg["server"]["maxUploadSize"] <= 10           # MB
    assert cfg["server"]["address"] == "127.0.0.1"           # not exposed on the network by default
    assert cfg["browser"]["gatherUsageStats"] is False       # no request to the internet
    assert cfg["client"]["showErrorDetails"] == "none"       # no traceback on the page


def test_no_material_icons_that_would_fetch_a_font():
    for path in APP_CODE:
        assert ":material/" not in path.read_text(encoding="utf-8"), path.name
