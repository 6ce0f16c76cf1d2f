"""Streamlit's garbage collection after every run, made cheap (kept on purpose: it pays on every rerun).

Streamlit runs a full garbage collection after every script run (``runner.postScriptGC``, on by default),
holding the GIL: the server sends nothing meanwhile and the page stays "running". On this app's heap (pandas,
SciPy, statsmodels, Altair with the Vega-Lite schema: about 175,000 objects the collector tracks) that took
100-200 ms per rerun, more than the page's own work (measured with ``python -m bench.run``; see
docs/PERFORMANCE.md). Almost all of those objects are loaded at start-up and live as long as the server
(modules, classes, schemas), so once the heavy libraries have been imported they are moved to the permanent
generation (:func:`gc.freeze`). ``app.py`` imports them and calls :func:`freeze_startup_objects` once, in the
first script run of the process (later calls do nothing). Later collections look only at objects made
afterwards (about 1 ms). Garbage made later is collected as before. Objects already unreachable at that moment,
in a reference cycle, would stay: after the imports that was under a hundred objects, so no collection runs
first (it would cost the first page another 100 ms). Libraries imported later (the exports' vl-convert,
python-pptx, openpyxl, reportlab, on the first download) are not frozen: their objects are collected as usual.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_objects() -> bool:
    """Freeze every object alive now, the first time it is called in the process (cheap: it moves lists);
    True if this call froze them. Call it once the heavy libraries have been imported."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        gc.freeze()
        _frozen = True
        return True
