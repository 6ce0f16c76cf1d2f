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
first (it would cost the first page another 100 ms).

Modules imported later, on a page's first visit or a first download (storage with SQLAlchemy for the saved
regions, which every run reads; Babel's locale data; a page's own modules; the exports' libraries), would stay
in the collector's view: on 2026-12-04 that was 32,000 objects and 13-17 ms of collection after every rerun (the
"+8 ms" of that day's reruns). So ``app.py`` calls :func:`freeze_new_imports` at the end of every run: after a
run that imported modules (a few times in a process's life), it collects once and freezes what is alive; other
runs pay one ``len(sys.modules)``. What such a freeze keeps forever is only what was garbage in a reference
cycle at that moment (none: it collects first); live objects then (a session's state, cached results) are
still freed by reference counting when dropped, unless they sit in a cycle.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_frozen = False
_modules_frozen = 0   # len(sys.modules) at the last freeze


def freeze_startup_objects() -> bool:
    """Freeze every object alive now, the first time it is called in the process (cheap: it moves lists);
    True if this call froze them. Call it once the heavy libraries have been imported."""
    global _frozen, _modules_frozen
    with _lock:
        if _frozen:
            return False
        gc.freeze()
        _frozen, _modules_frozen = True, len(sys.modules)
        return True


def freeze_new_imports() -> bool:
    """After :func:`freeze_startup_objects`: when modules were imported since the last freeze, collect once and
    freeze every object alive now; True if it did. Call it at the end of each run (cheap when nothing was
    imported)."""
    global _modules_frozen
    if not _frozen or len(sys.modules) == _modules_frozen:
        return False
    with _lock:
        n = len(sys.modules)
        if n == _modules_frozen:
            return False
        gc.collect()   # what is garbage now is not frozen with the rest
        gc.freeze()
        _modules_frozen = n
        return True
