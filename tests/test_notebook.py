"""The reproduction notebook: executed with nbclient, its yearly table equals ``python -m simulation run``.

``python -m simulation notebook scenario.json -o scenario.ipynb`` writes the notebook; it must rebuild the scenario
with the public API alone (``simulation.__all__``) and print the same table as the ``run`` verb, to the rupiah and
the person, for the default scenario and for one with an extra group in scope.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from ipykernel.kernelspec import install as install_kernelspec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

import simulation
from simulation import GroupScenario, default_scenario
from simulation.notebook import TABLE_TAG, build_notebook, scenario_code

REPO = Path(__file__).resolve().parents[1]

# columns that are not money or persons: shares, points and ratios (compared to 1e-9), flags (exactly)
_RATIO_SUFFIXES = ("_pct", "_pp")
_RATIOS = {"claims_to_contributions"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulation", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=True)


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory) -> Path:
    """A ``python3`` kernel spec of this very interpreter (the venv's), whatever other kernels the machine has."""
    prefix = tmp_path_factory.mktemp("kernel")
    install_kernelspec(kernel_name="python3", prefix=str(prefix))
    return prefix / "share" / "jupyter" / "kernels"


def _execute(nb, kernel_dir: Path):
    km = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
    assert km.kernel_spec.argv[0] == sys.executable
    NotebookClient(nb, km=km, timeout=240, resources={"metadata": {"path": str(REPO)}}).execute()
    return nb


def _stdout(nb, cell_id: str) -> str:
    cell = next(c for c in nb.cells if c.get("id") == cell_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def _table_of(nb) -> pd.DataFrame:
    [cell] = [c for c in nb.cells if TABLE_TAG in c.metadata.get("tags", [])]
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
    return pd.read_csv(io.StringIO(text))


def _assert_same_table(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal to the rupiah and the person; shares, points and ratios to the CLI's six decimals; flags exactly."""
    assert list(got.columns) == list(expected.columns)
    assert got["year"].tolist() == expected["year"].tolist()
    for col in expected.columns:
        a, b = got[col], expected[col]
        if a.dtype == bool or b.dtype == bool or col == "year":
            assert a.tolist() == b.tolist(), col
        elif col.endswith(_RATIO_SUFFIXES) or col in _RATIOS:
            assert ((a - b).abs() <= 5e-7 + 1e-12).all(), (col, a.tolist(), b.tolist())   # run rounds to 1e-6
        else:   # money [Rp] and persons
            assert a.round().tolist() == b.round().tolist(), (col, a.tolist(), b.tolist())


def _with_extra_group():
    """The default scenario plus a new group in scope (market porters), with a name that needs quoting, and a cap."""
    s = default_scenario()
    extra = GroupScenario(id="market_porters", name='Kuli "angkut" \u2013 Pasar Flamboyan\\', members=1_250,
                          already_covered=0.12, take_up=0.8, start_year=2026, phase_in_years=2, dropout=0.07,
                          priority=len(s.groups) + 1)
    return s.replace(name="Plus pedagang", groups=[*s.groups, extra], budget_cap_idr=2.5e9)


@pytest.mark.parametrize("make", [default_scenario, _with_extra_group], ids=["default", "extra_group"])
def test_notebook_prints_the_run_table(make, tmp_path, kernel_dir):
    scenario = make()
    path = tmp_path / "scenario.json"
    path.write_text(scenario.to_json(), encoding="utf-8")
    _cli("notebook", str(path), "-o", str(tmp_path / "scenario.ipynb"))
    expected = pd.read_csv(io.StringIO(_cli("run", str(path), "--format", "csv").stdout))

    nb = _execute(nbformat.read(tmp_path / "scenario.ipynb", as_version=4), kernel_dir)

    _assert_same_table(_table_of(nb), expected)
    assert f"identity: {scenario.content_hash} (exported as {scenario.content_hash})" in _stdout(nb, "scenario")


def test_the_extra_group_changes_the_table():
    """The second case is a real test: its table is not the default one."""
    a, b = (simulation.project(s).table for s in (default_scenario(), _with_extra_group()))
    assert (b["pbi_participants"] > a["pbi_participants"]).all()


@pytest.mark.parametrize("make", [default_scenario, _with_extra_group], ids=["default", "extra_group"])
def test_scenario_code_rebuilds_an_equal_scenario(make):
    scenario = make()
    namespace: dict = {}
    exec(compile("from simulation import GroupScenario, Scenario, Target\n" + scenario_code(scenario), "nb", "exec"),
         namespace)
    assert namespace["scenario"] == scenario
    assert namespace["scenario"].content_hash == scenario.content_hash


def _public_api_problems(nb) -> list[str]:
    """What the notebook's code uses beyond ``simulation``'s public names, its own variables and ``print``."""
    public = set(simulation.__all__)
    problems, imported, assigned, loaded = [], set(), set(), []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                problems += [f"import {a.name}" for a in node.names if a.name != "simulation"]
                imported |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.module != "simulation" or node.level:
                    problems.append(f"from {'.' * node.level}{node.module} import ...")
                problems += [f"from simulation import {a.name}" for a in node.names if a.name not in public]
                imported |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "simulation":
                if node.attr not in public:
                    problems.append(f"simulation.{node.attr}")
            elif isinstance(node, ast.Name):
                (assigned.add if isinstance(node.ctx, ast.Store) else loaded.append)(node.id)
    problems += sorted({f"uses {n}" for n in loaded if n not in imported | assigned | {"print"}})
    return problems


def test_notebook_code_uses_only_the_public_api():
    nb = build_notebook(_with_extra_group())
    nbformat.validate(nb)
    assert _public_api_problems(nb) == []


def test_the_public_api_check_sees_private_imports():
    nb = build_notebook(default_scenario())
    nb.cells.append(nbformat.v4.new_code_cell(
        "import os\nimport pandas as pd\nfrom simulation.projection import final_year\nfrom simulation import Projection"
        "\nsimulation.data\nopen('x')"))
    assert sorted(_public_api_problems(nb)) == [
        "from simulation import final_year", "from simulation.projection import ...", "import os", "import pandas", "simulation.data", "uses open",
        "uses simulation"]   # `from simulation import Projection` is public: not listed


def test_notebook_is_the_same_file_for_the_same_scenario(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(default_scenario().to_json(), encoding="utf-8")
    assert _cli("notebook", str(path)).stdout == _cli("notebook", str(path)).stdout


def test_notebook_verb_says_what_is_wrong(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(default_scenario().to_json(), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "simulation", "notebook", str(path), "-o",
                          str(tmp_path / "no-such-folder" / "x.ipynb")], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 2
    assert "no-such-folder" in out.stderr and "Traceback" not in out.stderr


def test_projection_page_offers_the_notebook_built_on_click():
    from apptest_helpers import open_view

    from presentation.i18n import t
    from ui import state

    at = open_view("views/projection.py", "en")
    at.session_state[state.view_key("dl.tables.menu")] = True   # the tables' download menu, opened
    at.run()
    [button] = [d for d in at.get("download_button") if d.label == t("widgets.notebook", "en")]
    assert button.proto.deferred_file_id and button.proto.ignore_rerun   # made on a click, which does not rerun
    assert button.proto.help == t("widgets.notebook_help", "en")


def test_the_page_download_builds_outside_the_session():
    """Streamlit runs the callable after the script run, outside the session: it closes over the scenario."""
    from ui import widgets

    class Recorder:
        def download_button(self, label, **kwargs):
            self.label, self.kwargs = label, kwargs

    scenario = _with_extra_group()
    rec = Recorder()
    widgets.notebook_download(rec, scenario, "id")
    assert rec.kwargs["on_click"] == "ignore" and rec.kwargs["file_name"].endswith(f"{scenario.content_hash}.ipynb")
    nb = nbformat.reads(rec.kwargs["data"]().decode("utf-8"), as_version=4)   # no Streamlit session here
    assert nb == build_notebook(scenario)
