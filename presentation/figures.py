"""Altair charts cheap enough to rebuild and draw on every rerun (no Streamlit here).

Measured with ``python -m bench.run --only app`` (docs/PERFORMANCE.md): building and drawing the three charts
of the Projection page took about 170 ms of CPU per rerun, most of it inside Altair, not in our code.

- :func:`install` (called by :func:`altair` when Altair is first imported): Altair turns every shorthand encoding
  (``y2="high:Q"``, ``text="text:N"``) and every ``alt.condition`` into a channel object through
  ``from_dict``, which first builds a table of all Vega-Lite schema classes by hashing each class's JSON
  schema: about 5 ms each time, a third of building a fan chart. The table depends only on the classes, so it
  is built once per set of classes and reused. Charts come out exactly the same.
- :func:`install`, second part: every ``LayerChart`` construction, which Altair repeats for each
  ``.properties()``, ``.configure()`` and copy of a layered chart, deep-copies every layer twice
  (``_remove_duplicate_params`` and ``_combine_subchart_params``) to merge selection parameters. When no layer
  has parameters (none of our charts has any) those copies change nothing, so they are skipped; charts with
  parameters anywhere (or named layers inside a concatenation) take Altair's own path. Together about half the time of
  building and drawing a chart; the specs are identical.
- :func:`memo`: a bounded cache of built charts keyed on what they are drawn from (a projection is keyed on
  its scenario and region; a table on its content), so a rerun or a page switch that draws
  the same chart again does not rebuild it. A cached chart is shared: treat it as read-only (Altair's
  methods return changed copies, so ``chart.properties(...)`` and friends are safe).
- :func:`lean`: the chart as handed to ``st.altair_chart`` and converted by the exports. Converting a chart
  (``to_dict()``) validates the whole spec against the Vega-Lite JSON schema (about 40 % of drawing a chart)
  on every rerun, and serialises each layer's data, the same table once per layer. The lean copy validates
  each *structure* of spec once per process, when specs are checked (below; keys and value types: a chart
  drawn again with other numbers is not checked again) and gives a table shared by layers once, to the layered chart (same drawing; checked
  by rendering every chart both ways with vl-convert).
  ``install`` also turns off Altair's validation of each object as it is constructed
  (``disable_debug_mode``, Altair's own switch).
- Checking specs against the Vega-Lite schema (:data:`CHECK_SPECS`): the full spec of each structure is
  validated the first time it is converted, so an invalid chart fails loudly, when the environment sets
  ``PBI_CHECK_CHARTS=1``. The tests set it (tests/conftest.py: every page and export they draw is checked, in
  the browser tests' server too); the app as started by ./start.sh does not, since a check costs 50-90 ms a
  structure, 60 % of building the first chart of the first page (docs/PERFORMANCE.md). An invalid spec that
  reached a user would still be reported by Vega-Lite in the browser.
- Altair itself is imported on first use (:func:`altair`): the first page after a server start draws its fan
  chart from a stored template (section "stored templates" below) and needs no Altair at all.
- :class:`Figure` and :func:`figure`: a chart whose numbers all travel as named tables. Its Vega-Lite spec is
  built (and validated) once per *structure*: language, titles, years shown, targets, groups; every later
  chart of that structure reuses the spec and only brings new tables. That saves the Altair work on each rerun
  (about 60 % of drawing the Projection page; the tornado, comparison and cost-curve charts are figures too), and the browser gets the same spec with new data, so Streamlit
  updates the drawn chart in place (``view.data``) instead of compiling and embedding it again (its frontend
  keys a chart on the spec with the dataset names replaced by their position).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ui import heap

if TYPE_CHECKING:
    import altair as alt

_INSTALLED = False
_READY = False
_READY_LOCK = threading.Lock()


def altair():
    """The ``altair`` module, imported on first use (a stored template spares the first page the import: see
    "stored templates" below), sped up by :func:`install`; the objects it loaded are then kept out of the
    garbage collector (ui/heap.py)."""
    global _READY
    import altair as alt

    if not _READY:
        with _READY_LOCK:
            if not _READY:
                install()
                heap.freeze_startup_objects()
                _READY = True
    return alt


def install() -> None:
    """Build Altair's schema-class table once, skip needless layer copies (idempotent; see the module notes)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from altair.utils import schemapi

    cls = getattr(schemapi, "_FromDict", None)
    init = getattr(cls, "__init__", None)
    if cls is None or init is None or not hasattr(cls, "hash_schema"):   # another Altair: leave it alone
        return
    tables: dict[tuple, dict] = {}
    lock = threading.Lock()

    @functools.wraps(init)
    def cached_init(self, wrapper_classes, /) -> None:
        classes = tuple(wrapper_classes)
        table = tables.get(classes)
        if table is None:
            init(self, classes)
            with lock:
                tables[classes] = self.class_dict
        else:
            self.class_dict = table

    cls.__init__ = cached_init
    _skip_needless_layer_copies()
    schemapi.disable_debug_mode()
    _INSTALLED = True


def _skip_needless_layer_copies() -> None:
    from altair.utils import schemapi
    try:
        from altair.vegalite.v6 import api
    except ImportError:   # another Altair: leave it alone
        return
    remove_duplicates = getattr(api, "_remove_duplicate_params", None)
    combine = getattr(api, "_combine_subchart_params", None)
    if remove_duplicates is None or combine is None:
        return

    def plain(charts) -> bool:
        """No parameters anywhere: every sub-chart an ``alt.Chart``, or an ``alt.LayerChart`` of such charts
        whose layers have no name (Altair renames named layers of a layered chart inside a concatenation)."""
        for c in charts:
            if not schemapi.is_undefined(c._get("params")):
                return False
            if type(c) is api.Chart:
                continue
            layers = c._get("layer")
            if (type(c) is api.LayerChart and isinstance(layers, list) and plain(layers)
                    and all(schemapi.is_undefined(x._get("name")) for x in layers)):
                continue
            return False
        return True

    @functools.wraps(remove_duplicates)
    def remove_duplicate_params(layer):
        return list(layer) if plain(layer) else remove_duplicates(layer)

    @functools.wraps(combine)
    def combine_subchart_params(params, subcharts):
        if schemapi.is_undefined(params) and plain(subcharts):
            return params, list(subcharts)
        return combine(params, subcharts)

    api._remove_duplicate_params = remove_duplicate_params
    api._combine_subchart_params = combine_subchart_params


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


# --------------------------------------------------------------------------- drawing
CHECK_SPECS = os.environ.get("PBI_CHECK_CHARTS", "") not in ("", "0")   # module notes
_CHECKED: set[str] = set()   # structures of drawn specs already validated in this process
_CHECKED_MAX = 2048


def _shape(x) -> str:
    """The structure of a spec: keys and value types, not the values (titles, numbers, data names)."""
    if isinstance(x, dict):
        return "{" + ",".join(f"{k}:{_shape(list(v.values()) if k == 'datasets' and isinstance(v, dict) else v)}"
                              for k, v in sorted(x.items())) + "}"
    if isinstance(x, list):
        return "[" + "|".join(sorted({_shape(v) for v in x})) + "]"
    return type(x).__name__


def _to_dict_checked(chart, *args, validate=True, **kwargs) -> dict:
    spec = type(chart).to_dict(chart, *args, validate=False, **kwargs)
    if validate and CHECK_SPECS:
        shape = _shape(spec)
        if shape not in _CHECKED:
            try:
                type(chart).validate(spec)
            except Exception as err:   # as Altair reports it
                import jsonschema
                from altair.utils import schemapi
                if isinstance(err, jsonschema.ValidationError):
                    raise schemapi.SchemaValidationError(chart, err) from None
                raise
            if len(_CHECKED) >= _CHECKED_MAX:
                _CHECKED.clear()
            _CHECKED.add(shape)
    return spec


def _clone(obj):
    """A copy of an Altair object without running its class's ``__init__`` (which, for a layered chart,
    deep-copies every layer twice); it shares the parts, which ``to_dict`` only reads."""
    out = object.__new__(type(obj))
    object.__setattr__(out, "_args", obj._args)
    object.__setattr__(out, "_kwds", dict(obj._kwds))
    return out


def lean(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The same drawing, cheaper to convert to a spec: for ``st.altair_chart`` and the exports (module notes).

    - Its ``to_dict()`` validates the whole spec against the Vega-Lite schema only the first time a spec of
      that structure is converted in the process, and only when :data:`CHECK_SPECS` is on (Streamlit calls
      it with validation on every rerun).
    - In a layered chart whose layers all carry data, the data of the first layer is given once, to the
      chart, instead of to each layer that uses it (Streamlit converts each layer's data to Arrow, Altair's
      own conversion for the exports serialises it, the same table again for every layer); a layer without
      its own data uses the chart's, so the drawing is the same.

    ``chart`` itself is not changed. A :class:`Figure` is returned as it is (it is already cheap)."""
    if isinstance(chart, Figure):
        return chart
    alt = altair()
    from altair.utils import schemapi
    shown = _clone(chart)
    layers = shown._kwds.get("layer")
    if (isinstance(chart, alt.LayerChart) and isinstance(layers, list) and len(layers) > 1
            and schemapi.is_undefined(shown._kwds.get("data", schemapi.Undefined))
            and all(isinstance(c, alt.Chart) and not schemapi.is_undefined(c._get("data")) for c in layers)):
        first = layers[0]._get("data")
        if isinstance(first, pd.DataFrame) and sum(c._get("data") is first for c in layers) > 1:
            moved = []
            for c in layers:
                if c._get("data") is first:
                    c = _clone(c)
                    c._kwds["data"] = schemapi.Undefined
                moved.append(c)
            shown._kwds["layer"] = moved
            shown._kwds["data"] = first
    object.__setattr__(shown, "to_dict", functools.partial(_to_dict_checked, shown))
    return shown


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
        from altair.utils.data import to_values
        return {name: to_values(df)["values"] for name, df in self.frames.items()}

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


def figure(build: Callable[..., alt.TopLevelMixin], structure: tuple, frames: dict[str, pd.DataFrame]) -> Figure:
    """``build(*structure)`` draws the chart from named data only (``alt.NamedData(name)`` for each name in
    ``frames``); it is called, and its spec validated, once per (``build``, ``structure``), unless the stored
    templates hold that structure (below). ``structure`` must hold everything the drawing depends on except
    the tables (it is the cache key)."""
    key = (build.__module__, build.__qualname__, structure)
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is not None:
            _TEMPLATES.move_to_end(key)
    if template is None:
        template = stored_templates().get(store_key(*key)) if USE_STORED_TEMPLATES else None
        if template is None:
            altair()
            chart = build(*structure)
            template = type(chart).to_dict(chart, validate=CHECK_SPECS)   # the full check, once per structure
            template.pop("datasets", None)
        missing = _data_names(template) - set(frames)
        if missing:
            raise ValueError(f"{build.__qualname__}: no table for {sorted(missing)}")
        with _TEMPLATES_LOCK:
            _TEMPLATES[key] = template
            while len(_TEMPLATES) > _TEMPLATES_MAX:
                _TEMPLATES.popitem(last=False)
    return Figure(template, frames)


# --------------------------------------------------------------------------- stored templates
# The first page after a server start draws the fan chart of the region's starting scenario. Building its
# template needs Altair: importing it (with jsonschema and narwhals) and building the spec were about 0.35 s of
# that first run's 1.3 s of CPU (docs/PERFORMANCE.md). presentation/chart_templates.json holds those templates, written by
# scripts/refresh_chart_templates.py and checked against fresh builds by tests/test_fastcharts.py; they are used
# only while they were made by the code that runs (``code_version``: Altair's version and the files that shape a
# spec), so a changed chart, title or translation is built afresh (and the test says to refresh the file).
STORE_FILE = Path(__file__).resolve().with_name("chart_templates.json")
USE_STORED_TEMPLATES = True
_UI = Path(__file__).resolve().parent


def _version_sources() -> list[Path]:
    return [_UI / "charts.py", _UI / "figures.py", _UI / "i18n.py", *sorted((_UI / "locales").rglob("*.json"))]


@functools.cache
def code_version() -> str:
    """A short hash of Altair's version and of every file that shapes a chart spec."""
    from importlib.metadata import version

    h = hashlib.sha256(f"altair {version('altair')}".encode())
    for path in _version_sources():
        h.update(path.relative_to(_UI).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)   # a NumPy number in a structure (years) as a Python one


def store_key(module: str, qualname: str, structure: tuple) -> str:
    """A figure's key (builder and structure) as a JSON string."""
    return json.dumps([module, qualname, structure], ensure_ascii=False, default=_plain)


@functools.cache
def stored_templates() -> dict[str, dict]:
    """Store key → template, from ``STORE_FILE`` when it was made by this code; empty otherwise."""
    try:
        doc = json.loads(STORE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("version") != code_version():
        return {}
    templates = doc.get("templates")
    return templates if isinstance(templates, dict) else {}


def built_templates() -> dict[str, dict]:
    """Store key → template of every figure structure built in this process (for the refresh script)."""
    with _TEMPLATES_LOCK:
        return {store_key(*key): template for key, template in _TEMPLATES.items()}


def _data_names(obj) -> set[str]:
    out: set[str] = set()
    if isinstance(obj, dict):
        data = obj.get("data")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            out.add(data["name"])
        for v in obj.values():
            out |= _data_names(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= _data_names(v)
    return out
