"""ui/heap.py: app.py freezes the objects of the heavy imports once per process, not on every run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _last_numbers(code: str) -> list[int]:
    """Run ``code`` in a fresh interpreter at the repository's root (a server process's first runs): the numbers
    of its last printed line."""
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [int(x) for x in out.stdout.strip().splitlines()[-1].split()]


def test_app_freezes_the_startup_objects_once_per_process():
    """In a fresh interpreter: after the first run of app.py the start-up objects (pandas, SciPy, statsmodels,
    Altair: over 100,000) are frozen; three more runs freeze nothing more (the count moves by a few dozen as
    frozen objects change; a freeze per run adds over 500 objects a run and would keep each run's garbage alive
    for good)."""
    code = (
        "import gc, sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "first = gc.get_freeze_count()\n"
        "assert all(m in sys.modules for m in ('altair', 'pandas', 'scipy', 'statsmodels'))\n"
        "for _ in range(3):\n"
        "    at.run()\n"
        "print(first, gc.get_freeze_count())\n")
    first, second = _last_numbers(code)
    assert first > 100_000
    assert abs(second - first) < 300


def test_modules_a_run_imports_are_frozen_after_it_so_the_collection_after_each_run_stays_small():
    """Storage (SQLAlchemy), Babel's locale data and a page's own modules are imported during the first runs,
    after the start-up freeze: a run that imported modules freezes them at its end, so the objects Streamlit's
    full collection after every run walks stay a few thousand (32,000 without it: 13-17 ms a rerun); a run
    that imports nothing freezes nothing."""
    code = (
        "import gc, sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.run()\n"
        "at.switch_page('views/projection.py').run()\n"
        "assert not at.exception, at.exception\n"
        "at.run()\n"
        "first = gc.get_freeze_count()\n"
        "at.run()\n"
        "print(len(gc.get_objects()), first, gc.get_freeze_count())\n")
    tracked, first, second = _last_numbers(code)
    assert tracked < 10_000, tracked
    assert abs(second - first) < 300
