"""Streamlit's garbage collection after every run, made cheap (no Streamlit here).

Streamlit runs a full garbage collection after every script run (``runner.postScriptGC``, on by default),
holding the GIL: the server sends nothing meanwhile and the page stays "running". On this app's heap (pandas,
SciPy, statsmodels, Altair with the Vega-Lite schema: about 175,000 objects the collector tracks) that took
100-200 ms per rerun, more than the page's own work (measured with ``python -m bench.run``; see
docs/PERFORMANCE.md). Almost all of those objects are loaded at start-up and live as long as the server
(modules, classes, schemas), so each time heavy libraries have been imported they are moved to the permanent
generation (:func:`gc.freeze`): after the start-up imports (presentation/charts.py), and after Altair, which is imported
only when a chart spec is first built (presentation/figures.py). Later collections look only at objects made
afterwards (about 1 ms). Garbage made later is collected as before. Objects already unreachable at that moment,
in a reference cycle, would stay: after the imports that was under a hundred objects, so no collection runs
first (it would cost the first page another 100 ms).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()


def freeze_startup_objects() -> None:
    """Freeze every object alive now: call it once heavy libraries have been imported (cheap: it moves lists)."""
    with _lock:
        gc.freeze()
