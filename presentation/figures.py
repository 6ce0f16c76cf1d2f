"""Charts cheap enough to draw on every rerun: one Vega-Lite spec per chart structure (no Streamlit here).

Two things here pay on every rerun, and are kept on purpose (measured with ``python -m bench.run``; see
docs/PERFORMANCE.md):

- :class:`Figure` and :func:`figure`: a chart whose numbers all travel as named tables
  (``alt.NamedData(name)``). Its Vega-Lite spec is built with Altair (and checked, below) once per *structure*:
  language, titles, years shown, targets, groups; every later chart of that structure reuses the spec and only
  brings new tables. That spares the Altair work of each rerun (about 60 % of drawing the Projection page on
  2026-12-01; every chart that follows the scenario is a figure), and the browser gets the same spec with new
  data, so Streamlit updates the drawn chart in place (``view.data``) instead of compiling and embedding it
  again (its frontend keys a chart on the spec with the dataset names replaced by their position).
- :func:`memo`: a bounded cache of built charts keyed on what they are drawn from (a projection is keyed on
  its scenario and region; a table on its content), so a rerun or a page switch that draws the same chart
  again does not rebuild it. A cached chart is shared: treat it as read-only (``Figure.properties`` and
  Altair's methods return changed copies).

Checking specs against the Vega-Lite schema (:data:`CHECK_SPECS`): the spec of each structure is validated
(Altair's ``to_dict(validate=True)``) when it is built, so an invalid chart fails loudly, when the environment
sets ``PBI_CHECK_CHARTS=1``. The tests set it (tests/conftest.py: every page and export they draw is checked, in
the browser tests' server too); the app as started by ./start.sh does not, since a check costs 50-90 ms a
structure, on the first page of a fresh server too. An invalid spec that reached a user would still be reported
by Vega-Lite in the browser. Altair also checks each object as it is constructed (its default), in the app too.

Only Altair's public API is used (``alt.NamedData``, ``to_dict(validate=...)``, ``copy``); nothing of Altair
is patched. Altair is imported with this module: every page that draws a chart needs it, the first one too.
"""

from __future__ import annotations

import copy
import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable

import altair as alt
import pandas as pd

#: Validate each spec structure against the Vega-Lite schema when it is built (module notes).
CHECK_SPECS = os.environ.get("PBI_CHECK_CHARTS", "") not in ("", "0")


# --------------------------------------------------------------------------- cache of built charts
class _Unkeyable(Exception):
    pass


def _key(x):
    """A hashable stand-in for a builder argument; :class:`_Unkeyable` when there is none."""
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    if isinstance(x, pd.DataFrame):
        return ("frame", tuple(map(str, x.columns)), tuple(map(str, x.dtypes)), x.shape,
                pd.util.hash_pandas_object(x, index=True).values.tobytes())
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, *(_key(v) for v in x))
    scenario, region = getattr(x, "scenario", None), getattr(x, "region", None)
    if scenario is not None and region is not None and hasattr(x, "table"):
        # a Projection is a function of its scenario and region (simulation.projection.project)
        return ("projection", scenario, region)
    try:
        hash(x)
    except TypeError:
        raise _Unkeyable from None
    return x


def memo(fn: Callable | None = None, *, maxsize: int = 48):
    """Decorator: keep the last ``maxsize`` charts built by ``fn`` (least recently used dropped first)."""
    if fn is None:
        return functools.partial(memo, maxsize=maxsize)
    cache: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            key = (_key(args), _key(tuple(sorted(kwargs.items()))))
            hash(key)
        except Exception:   # an argument with no content key (or one that cannot be hashed): no caching
            return fn(*args, **kwargs)
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        chart = fn(*args, **kwargs)
        with lock:
            cache[key] = chart
            while len(cache) > maxsize:
                cache.popitem(last=False)
        return chart

    wrapper.cache_clear = cache.clear   # type: ignore[attr-defined]
    return wrapper


# --------------------------------------------------------------------------- figures: a spec per structure
class Figure:
    """A chart as a Vega-Lite spec with named tables (module notes).

    ``template``: the spec without data, shared by every figure of the same structure (read-only: the
    methods below return changed copies). ``frames``: name → table, each referenced in the spec as
    ``{"data": {"name": ...}}``."""

    __slots__ = ("template", "frames")

    def __init__(self, template: dict, frames: dict[str, pd.DataFrame]):
        self.template = template
        self.frames = frames

    def datasets(self) -> dict[str, list[dict]]:
        """Name → the table's rows as JSON-safe values (what Altair inlines)."""
        return {name: alt.to_values(df)["values"] for name, df in self.frames.items()}

    def to_dict(self, **_ignored) -> dict:
        """The whole spec with the tables inline (JSON-safe values), as Altair's ``to_dict`` gives it."""
        spec = copy.deepcopy(self.template)
        spec["datasets"] = self.datasets()
        return spec

    def for_streamlit(self) -> dict:
        """The spec for ``st.vega_lite_chart``: the tables stay data frames (Streamlit sends them as Arrow)."""
        return {**self.template, "datasets": dict(self.frames)}

    def properties(self, **top) -> Figure:
        """A copy with top-level properties set (``autosize``, ``height``...)."""
        return Figure({**self.template, **top}, self.frames)


_TEMPLATES: OrderedDict = OrderedDict()
_TEMPLATES_MAX = 256
_TEMPLATES_LOCK = threading.Lock()


def figure(build: Callable[..., alt.TopLevelMixin], structure: tuple, frames: dict[str, pd.DataFrame],
           **top: str) -> Figure:
    """``build(*structure)`` draws the chart from named data only (``alt.NamedData(name)`` for each name in
    ``frames``); it is called, and its spec validated when :data:`CHECK_SPECS` is on, once per (``build``,
    ``structure``). ``structure`` must hold everything the drawing depends on except the tables (it is the cache
    key). ``top``: top-level properties set on the spec as they are (e.g. ``description``), part of the key too."""
    key = (build.__module__, build.__qualname__, structure, tuple(sorted(top.items())))
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is not None:
            _TEMPLATES.move_to_end(key)
    if template is None:
        template = {**build(*structure).to_dict(validate=CHECK_SPECS), **top}
        template.pop("datasets", None)
        missing = data_names(template) - set(frames)
        if missing:
            raise ValueError(f"{build.__qualname__}: no table for {sorted(missing)}")
        with _TEMPLATES_LOCK:
            _TEMPLATES[key] = template
            while len(_TEMPLATES) > _TEMPLATES_MAX:
                _TEMPLATES.popitem(last=False)
    return Figure(template, frames)


def lean(chart):
    """The chart as handed to ``st.altair_chart`` and the exports: a :class:`Figure` as it is; an Altair chart as
    a shallow copy (``chart.copy(deep=False)``: a caller may set its top-level properties without changing the
    chart it was given, which may be shared by :func:`memo`). Every chart of the app is a figure; an Altair
    chart is converted (and validated) by Altair itself."""
    if isinstance(chart, Figure):
        return chart
    return chart.copy(deep=False)


def data_names(obj) -> set[str]:
    """The names of the named data sources a spec refers to (``{"data": {"name": ...}}``)."""
    out: set[str] = set()
    if isinstance(obj, dict):
        data = obj.get("data")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            out.add(data["name"])
        for v in obj.values():
            out |= data_names(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= data_names(v)
    return out
