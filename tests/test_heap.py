"""ui/heap.py: app.py freezes the objects of the heavy imports once per process, not on every run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = map(int, out.stdout.strip().splitlines()[-1].split())
    assert first > 100_000
    assert abs(second - first) < 300
