"""Session state: every key and its default declared here, once.

Model state lives in plain keys that no widget owns (widget values are dropped when a
page does not draw them). Widgets use keys starting with ``w.`` that are seeded from
the model state when missing, and write back through callbacks, so values survive a
page round trip.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import streamlit as st

from presentation import labels
from presentation.i18n import DEFAULT_LANG, LANGS, md_escape, t
from presentation.problems import error_params
from simulation import data
from simulation.data import REGION_ID_RE, Region, load_region, parse_region, region_data, region_ids, region_yaml
from simulation.errors import ValidationError
from simulation.scenario import Scenario

from . import model


@dataclass(frozen=True)
class Key:
    """One session-state key: its name, the type of its value, its default (copied per session) and meaning."""

    name: str
    type: type
    default: Any
    doc: str


LANG = Key("lang", str, DEFAULT_LANG, '"id" | "en"')
REGION_ID = Key("region_id", str, "pontianak", "a shipped, saved or session-made region (region_catalogue())")
SCENARIOS = Key("scenarios", dict, {}, "region_id -> working Scenario")
REGIONS = Key("regions", dict, {}, "region_id -> Region edited on the Data page (absent = saved, else shipped data)")
REGION_BASE = Key("region_base", dict, {}, "region_id -> saved version the session's region data are (a link's)")
COMPARE = Key("compare", dict, {}, "region_id -> preset indices chosen for comparison")
COMPARE_SAVED = Key("compare_saved", dict, {}, "region_id -> library entry ids chosen for comparison (at most four)")
GOAL = Key("goal", dict, {"target": 45.0, "year": 2026, "confidence": 0.5}, "the Goal-seek page's target")
EDITOR_VERSION = Key("editor_version", int, 0, "bumped to reset the group editor after an applied edit")
UPLOADS = Key("uploads", dict, {}, "region_id -> Data page upload slot (file id, parsed Upload, widget counter)")
DATA_ENTRY = Key("data_entry", dict, {"source": "", "certainty": "A"},
                 'Data page: source ("" = user edit) and certainty of new values')
FLASH = Key("flash", list, [], "(kind, message) shown once at the top of the next run")
OPENED_LINK = Key("opened_link", (str, type(None)), None, "the ?s= share key already applied in this session")
PRESENT_SLIDE = Key("present_slide", int, 0, "slide shown in presentation mode")
YEARLY_OPEN = Key("projection.yearly_open", bool, False, "Projection page: the year-by-year tables are open")
OWNER = Key("library_owner", str, "", "this session's id in the library (its per-session limits); made on first use")
UNDO = Key("undo", dict, {}, "region_id -> the working Scenario before the last edit (one step)")
REDO = Key("redo", dict, {}, "region_id -> the Scenario an undo replaced (cleared by a new edit)")
URL_READ = Key("url_read", bool, False, "the address was read at the session's start (?w=, ?l=)")
URL_WRITTEN = Key("url_written", str, "", "the ?w= value this session last wrote into the address")
HTML_LANG = Key("html_lang", str, "", "the language last set on the browser's <html lang> (sent once, not every run)")
WIDGETS_SEEN = Key("widgets_seen", dict, {}, "the w.* widget values at the end of the last run (restore_from_url)")
EDITED = Key("edited", bool, False, "a callback changed the scenario or dropped the widgets in this run (a user's act)")
EDITOR = Key("editor", str, "", "the editor signed in with a local password (ui/auth.py; sign-in on only); \"\" = none")

#: every key the app keeps in session state, declared once (widget keys ``w.*`` come from :func:`widget_key`)
KEYS: tuple[Key, ...] = (LANG, REGION_ID, SCENARIOS, REGIONS, REGION_BASE, COMPARE, COMPARE_SAVED, GOAL,
                         EDITOR_VERSION, UPLOADS,
                         DATA_ENTRY, FLASH, OPENED_LINK, PRESENT_SLIDE, YEARLY_OPEN, OWNER, UNDO, REDO, URL_READ,
                         URL_WRITTEN, HTML_LANG, WIDGETS_SEEN, EDITED, EDITOR)
DEFAULTS: dict[str, Any] = {k.name: k.default for k in KEYS}


def init() -> None:
    for key in KEYS:
        if key.name not in st.session_state:
            st.session_state[key.name] = copy.deepcopy(key.default)


def get(key: Key) -> Any:
    """The key's value in this session (its default when missing or of the wrong type)."""
    value = st.session_state.get(key.name)
    return value if isinstance(value, key.type) else copy.deepcopy(key.default)


def put(key: Key, value: Any) -> None:
    if not isinstance(value, key.type):
        raise TypeError(f"session state {key.name!r} takes {key.type}, not {type(value).__name__}")
    st.session_state[key.name] = value


def widget_key(*parts) -> str:
    """A widget's key: ``w.`` and the parts (a scenario field, a page's name, a language, a version).

    Widget keys are dropped by :func:`clear_widgets` (a language or region switch) and re-seeded from the model
    state above."""
    return "w." + ".".join(str(p) for p in parts)


def view_key(name: str) -> str:
    """The key of a container that reruns the page when opened or closed (a tab, an expander, a menu): ``v.`` and
    the name. Not a ``w.`` key, so an edit that re-seeds the scenario's widgets leaves the user where they were; but
    like a widget it is a user's act when it changes (:func:`_user_acted`)."""
    return "v." + name


def lang() -> str:
    value = get(LANG)
    return value if value in LANGS else DEFAULT_LANG


# --------------------------------------------------------------------------- regions: shipped, saved, edited
@dataclass(frozen=True)
class CatalogueEntry:
    """A region the selector offers: shipped (data/regions/), saved in the app (a version), or new in this session."""

    id: str
    name: str
    kind: str
    province: str
    version: int | None      # the latest saved version (None: shipped file, or not saved yet)
    ready: bool              # enough data for a first projection (Region.ready)
    shipped: bool            # a file of data/regions/ has this id (a saved version is then an edit of it)
    saved: bool              # saved in the app (storage/regions.py)
    unsaved: bool = False    # made in this session and not saved yet


def region_store():
    """Regions saved in the app, in the library's database file (a light object over :func:`library`)."""
    from storage.regions import RegionStore
    return RegionStore(library=library())


def _stamp() -> tuple:
    """What changes when any process saves a region (RegionStore.stamp: the SQLite file's size and time, or a count on
    PostgreSQL): the key of the caches below, so that a rerun reads the saved regions once, and again after someone
    saved one."""
    try:
        return region_store().stamp()
    except ValidationError:   # a database that cannot be read: the shipped regions still work
        return ()


@functools.lru_cache(maxsize=4)
def _saved_list(stamp: tuple) -> tuple:
    return tuple(region_store().list())


@functools.lru_cache(maxsize=64)
def _saved_latest(stamp: tuple, rid: str):
    return region_store().latest(rid)


def _saved_entries() -> dict:
    try:
        return {e.id: e for e in _saved_list(_stamp())}
    except ValidationError:   # a database that cannot be read: the shipped regions still work
        return {}


def _shipped_stamp() -> tuple:
    """The regions folder and when it last changed (a region file added, removed or renamed changes the folder's
    time): with :func:`_stamp`, the key of the caches below, so that a rerun neither lists the folder nor builds
    the catalogue again (the frame and the pages ask a dozen times a run)."""
    try:
        return str(data.REGIONS_DIR), data.REGIONS_DIR.stat().st_mtime_ns
    except OSError:
        return str(data.REGIONS_DIR), 0


@functools.lru_cache(maxsize=4)
def _shipped_at(stamp: tuple) -> tuple[str, ...]:
    return region_ids()


def _shipped_ids() -> tuple[str, ...]:
    """The shipped regions' ids (:func:`simulation.data.region_ids`), listed again only when the folder changes."""
    return _shipped_at(_shipped_stamp())


@functools.lru_cache(maxsize=4)
def _catalogue_at(shipped: tuple, stamp: tuple) -> tuple[CatalogueEntry, ...]:
    """The shipped and saved regions of :func:`region_catalogue` (ValidationError: the saved ones cannot be read)."""
    return _catalogue(_shipped_at(shipped), {e.id: e for e in _saved_list(stamp)})


def _catalogue(shipped: tuple[str, ...], saved: dict) -> tuple[CatalogueEntry, ...]:
    out = {}
    for rid in shipped:
        try:
            r = load_region(rid)
        except ValidationError:   # a broken file (tests/test_data.py refuses it): the other regions still open
            continue
        e = saved.get(rid)
        out[rid] = CatalogueEntry(rid, r.name, r.kind, r.province, None, r.ready, True, False) if e is None else \
            CatalogueEntry(rid, e.name, e.kind, e.province, e.version, e.ready, True, True)
    for rid, e in saved.items():
        if rid not in out:
            out[rid] = CatalogueEntry(rid, e.name, e.kind, e.province, e.version, e.ready, False, True)
    return tuple(out.values())


def region_catalogue() -> list[CatalogueEntry]:
    """Every region this session can open, by province then name: the shipped ones (their latest saved version
    instead when one was saved), the saved ones, and this session's new region not saved yet."""
    try:
        known = _catalogue_at(_shipped_stamp(), _stamp())
    except ValidationError:   # a database that cannot be read: the shipped regions still work (not kept)
        known = _catalogue(_shipped_ids(), {})
    out = {e.id: e for e in known}
    for rid, r in st.session_state.get(REGIONS.name, {}).items():
        if rid not in out and isinstance(r, Region):
            out[rid] = CatalogueEntry(rid, r.name, r.kind, r.province, None, r.ready, False, False, unsaved=True)
    return sorted(out.values(), key=lambda e: (e.province.casefold(), e.name.casefold(), e.id))


def _known(rid: object) -> bool:
    """A region id this session can open: shipped, saved, or edited in this session."""
    if not isinstance(rid, str):
        return False
    if rid in _shipped_ids() or isinstance(st.session_state.get(REGIONS.name, {}).get(rid), Region):
        return True
    return rid in _saved_entries()


def region_id() -> str:
    rid = get(REGION_ID)
    if _known(rid):
        return rid
    if rid != REGION_ID.default and rid in st.session_state.get(SCENARIOS.name, {}):
        _region_gone(rid)   # deleted (here or in another session) while a scenario was open for it
    return REGION_ID.default


def _region_gone(rid: str) -> None:
    """Close the scenario of a region that is no longer on the server and say so (once): the session goes back to
    the default region."""
    try:
        if region_store().latest(rid) is not None:   # still saved (a listing read before the save)
            return
        gone = region_store().versions(rid)
    except ValidationError:   # the database cannot be read now: the default region for this run, nothing closed
        return
    st.session_state[SCENARIOS.name].pop(rid, None)
    put(REGION_ID, REGION_ID.default)
    st.session_state.pop(widget_key("region"), None)   # the selector is seeded again with the default region
    name = gone[-1].name if gone else rid
    flash("warning", t("setup.region_gone", lang(), region=md_escape(name),
                       default=md_escape(load_region(REGION_ID.default).name)))


def _latest_saved(rid: str) -> tuple[Region, int] | None:
    try:
        return _saved_latest(_stamp(), rid) if rid in _saved_entries() else None
    except ValidationError as exc:   # a tampered or unreadable saved version: say so, fall back to the file
        flash("error", error_text(exc))
        return None


def region() -> Region:
    """The working region: this session's unsaved edit, else its latest saved version, else the shipped file;
    what its own data leave out is filled with marked defaults (Region.defaulted)."""
    rid = region_id()
    edit = st.session_state[REGIONS.name].get(rid)
    if edit is not None:
        return edit
    saved = _latest_saved(rid)
    if saved is not None:
        return saved[0]
    if rid in _shipped_ids():
        return load_region(rid)
    return load_region(REGION_ID.default)


def region_version() -> int | None:
    """The saved version of the working region (None: shipped data, or an unsaved edit)."""
    rid = region_id()
    if rid in st.session_state[REGIONS.name]:
        return get(REGION_BASE).get(rid)
    saved = _latest_saved(rid)
    return None if saved is None else saved[1]


def region_snapshot() -> Region | None:
    """The region data a saved scenario or share link keeps (so that it reproduces its numbers after the region is
    edited): the session's edit, or the saved region; None for the shipped data as shipped."""
    rid = region_id()
    edit = st.session_state[REGIONS.name].get(rid)
    if edit is not None:
        return edit
    saved = _latest_saved(rid)
    return None if saved is None else saved[0]


def set_region_data(r: Region) -> None:
    """Make ``r`` this session's (unsaved) edit of its region. A field that was missing and now holds other values
    than before is the region's own (no longer missing nor defaulted), unless ``r`` marks it defaulted and it is
    what the defaults give for the new data (groups sized by workers just entered: ui/data_editor.with_defaults)."""
    before = region() if r.id == region_id() else None
    if before is not None:
        changed = [f for f in r.missing if getattr(r, f) and getattr(r, f) != getattr(before, f)]
        # a field still marked defaulted is a default only if it is what the defaults give for the new data (a
        # table that replaced a defaulted UMK keeps the mark it had: its values are then the region's own)
        fresh = parse_region(region_data(r), "region") if any(f in r.defaulted for f in changed) else r
        own = {f: getattr(r, f) for f in changed if f not in r.defaulted or getattr(r, f) != getattr(fresh, f)}
        if own:
            r = r.with_data(**own)
    st.session_state[REGIONS.name][r.id] = r
    get(REGION_BASE).pop(r.id, None)


def use_region_snapshot(r: Region, version: int | None = None) -> None:
    """Work with the region data a saved scenario or share link kept (as kept: marks included), made with saved
    version ``version`` (None: shipped or edited data)."""
    st.session_state[REGIONS.name][r.id] = r
    if version is None:
        get(REGION_BASE).pop(r.id, None)
    else:
        get(REGION_BASE)[r.id] = version


def reset_region_data() -> None:
    """Drop the session's edit: back to the latest saved version, else the shipped file."""
    st.session_state[REGIONS.name].pop(region_id(), None)
    st.session_state.setdefault(REGION_BASE.name, {}).pop(region_id(), None)


def set_region(rid: str) -> None:
    """Switch to another region (shipped, saved or this session's); refused (code ``unknown_region``) otherwise."""
    if not _known(rid):
        raise ValidationError("region", f"unknown region {str(rid)[:40]!r}", code="unknown_region",
                              params={"region": md_escape(str(rid)[:40])})
    put(REGION_ID, rid)
    clear_widgets()


def _new_id(kind: str, name: str) -> str:
    """A fresh region id from kind and name (``kab_sambas``, ``kota_singkawang``), unique on this server."""
    words = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"^(kota|kabupaten|kab\.?|provinsi|prov\.?)\s+", "", words.strip())
    slug = re.sub(r"[^a-z0-9]+", "_", words).strip("_")[:28] or "wilayah"
    base = {"kota": "kota", "kabupaten": "kab", "provinsi": "prov"}.get(kind, "wilayah") + "_" + slug
    taken = {e.id for e in region_catalogue()}
    rid, n = base, 1
    while rid in taken or not REGION_ID_RE.fullmatch(rid):
        n += 1
        rid = f"{base}_{n}"
    return rid


def new_region(name: str, kind: str, province: str, *, copy_of: str | None = None) -> Region:
    """A new region made the session's working one (not saved yet: :func:`save_region`): blank (not ready: the
    Data page's guided setup asks for coverage history and workers), or a copy of the own data of a shipped or
    saved region (``copy_of``: its id). Raises ValidationError for a bad name, kind, province or unknown copy."""
    from storage.library import check_name
    name, province = check_name(name, "region.name"), check_name(province, "region.province")
    d: dict = {}
    if copy_of is not None:
        if not _known(copy_of):
            raise ValidationError("region", f"unknown region {str(copy_of)[:40]!r}", code="unknown_region",
                                  params={"region": md_escape(str(copy_of)[:40])})
        edit = st.session_state[REGIONS.name].get(copy_of)
        saved = None if edit is not None else _latest_saved(copy_of)
        src = edit or (saved[0] if saved else load_region(copy_of))
        d = region_data(src)
    d.update(id=_new_id(kind, name), name=name, kind=kind, province=province)
    r = parse_region(d, "region")
    st.session_state[REGIONS.name][r.id] = r
    put(REGION_ID, r.id)
    clear_widgets()
    return r


def save_region(editor: str | None = None) -> int:
    """Save the working region as a new version (for every session of the server; it survives a restart) and
    return the version; the session then uses the saved version (its edit is dropped). Raises ValidationError."""
    r = region()
    version = region_store().save(r, owner=owner(), editor=editor)
    reset_region_data()
    return version


def revert_region(editor: str | None = None) -> int:
    """"Kembali ke berkas bawaan": the working region's shipped file is used again by every session (its saved
    versions stay in the history); this session's unsaved edit is dropped. Returns the last saved version."""
    rid = region_id()
    version = region_store().revert_to_shipped(rid, owner=owner(), editor=editor)
    reset_region_data()
    clear_widgets()
    return version


def delete_region(editor: str | None = None) -> int:
    """"Hapus wilayah": the working region, saved only in the app, leaves the selector of every session (its versions
    stay in the history); this session closes its scenario and edit and goes back to the default region. Returns
    the last saved version."""
    rid = region_id()
    version = region_store().delete(rid, owner=owner(), editor=editor)
    st.session_state[REGIONS.name].pop(rid, None)
    get(REGION_BASE).pop(rid, None)
    st.session_state[SCENARIOS.name].pop(rid, None)
    put(REGION_ID, REGION_ID.default)
    clear_widgets()
    return version


def needs_text(fields) -> str:
    """Region fields (``Region.needs``, ``Region.missing``) named for a reader, in the session's language."""
    return ", ".join(t(f"region.field.{f}", lang()) for f in fields if f)


def region_yaml_text() -> str:
    """The working region's own data as a region file (data/regions/*.yaml format; no defaults)."""
    return region_yaml(region())


def scenario() -> Scenario:
    rid = region_id()
    s = st.session_state[SCENARIOS.name].get(rid)
    if s is None:
        s = labels.starting_scenario(region(), lang())
        st.session_state[SCENARIOS.name][rid] = s
    return s


def set_scenario(s: Scenario, *, reset_widgets: bool = True, undoable: bool = True) -> None:
    """Make ``s`` the working scenario of its region. The one it replaces is kept for :func:`undo` (one step);
    a new edit forgets what an undo had replaced (:func:`redo`)."""
    before = st.session_state[SCENARIOS.name].get(s.region)
    if undoable and before is not None and before != s:
        st.session_state[UNDO.name][s.region] = before
        st.session_state[REDO.name].pop(s.region, None)
    st.session_state[SCENARIOS.name][s.region] = s
    put(EDITED, True)
    if reset_widgets:
        clear_widgets()


def clear_widgets() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("w.")]:
        del st.session_state[key]
    put(EDITOR_VERSION, get(EDITOR_VERSION) + 1)
    put(EDITED, True)


def projection():
    return model.project(scenario(), region())


def flash(kind: str, message: str) -> None:
    st.session_state[FLASH.name].append((kind, message))


def show_flash() -> None:
    for kind, message in get(FLASH):
        (st.error if kind == "error" else st.warning if kind == "warning" else st.success)(message)
    put(FLASH, [])


def error_text(exc: ValidationError) -> str:
    """A validation error in the user's language: where, then what."""
    lg = lang()
    key = f"errors.{exc.code}"
    params = error_params(exc.code, exc.field, exc.params, lg)   # numbers the reader's way (Babel)
    if exc.code == "region_not_ready":   # the fields a region lacks, named for a reader
        params["missing"] = needs_text(str(params.get("missing", "")).split(", "))
        params["region"] = md_escape(str(params.get("region", "")))
    msg = t(key, lg, **params)
    if msg == key:  # no translation for this code: fall back to the engine's English sentence
        msg = exc.message
    return t("errors.field", lg, field=exc.field, problem=msg)


def seed(key: str, value: Any) -> str:
    """Give a widget key its model value when the widget has none (first draw, or after a page switch)."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def update_scenario(**changes) -> bool:
    """Apply validated changes to the working scenario; on error keep it and say why."""
    try:
        set_scenario(scenario().replace(**changes), reset_widgets=False)
        return True
    except ValidationError as exc:
        flash("error", error_text(exc))
        return False


def bind(field: str, transform=lambda v: v) -> tuple[str, dict]:
    """Key and callback kwargs for a widget that edits one scenario field."""
    key = seed(widget_key(field), getattr(scenario(), field))

    def _changed() -> None:
        if not update_scenario(**{field: transform(st.session_state[key])}):
            st.session_state[key] = getattr(scenario(), field)
    return key, {"on_change": _changed}


# --------------------------------------------------------------------------- scenario library and share links
@st.cache_resource
def library():
    """One library per server process (the SQLite file, or PostgreSQL when PBI_DATABASE_URL is set; thread-safe)."""
    from storage.library import Library
    return Library()


def owner() -> str:
    """This browser session's id for the library's per-session limits (random, made once per session)."""
    if not get(OWNER):
        import uuid
        put(OWNER, uuid.uuid4().hex)
    return get(OWNER)


def edited_region():
    """The region data when the user edited them on the Data page, else None (shipped data)."""
    return st.session_state[REGIONS.name].get(region_id())


def open_shared_link() -> None:
    """Apply ``?s=<key>`` once per key: the linked scenario (and region data) replace the working ones.

    A malformed, unknown or tampered key says so and leaves the session on its current (default) scenario.
    """
    key = st.query_params.get("s")
    if key is None or get(OPENED_LINK) == key:
        return
    put(OPENED_LINK, key)
    try:
        s, r = library().resolve_region(key)
        version = library().link_region_version(key)
    except ValidationError as exc:
        flash("error", t("share.bad_link", lang()) + " " + error_text(exc))
        del st.query_params["s"]
        return
    put(REGION_ID, s.region)
    if r is not None:   # the link's own region data (edited, or the saved version it was made with)
        use_region_snapshot(r, version)
    else:
        st.session_state[REGIONS.name].pop(s.region, None)
        get(REGION_BASE).pop(s.region, None)
    set_scenario(s)
    flash("success", t("share.opened", lang(), name=md_escape(s.name), id=key))


def keep_in_url() -> None:
    """Write the working scenario into the address, so that a reload (F5) or a bookmark brings it back: ``?s=<key>``
    while it is the scenario of the share link opened (page switches drop the query; it is put back here), else
    ``?w=<the scenario, encoded>`` (:func:`encode_work`); ``?l=en`` in English. Called at the end of every run of
    the frame."""
    s = scenario()
    key = get(OPENED_LINK)
    if key is not None:
        from storage.library import snapshot_hash
        if snapshot_hash(s, region_snapshot()) != key:
            put(OPENED_LINK, None)
            key = None
    want = {"s": key} if key is not None else {"w": encode_work(s)}
    if lang() != DEFAULT_LANG:   # the language too (the default one is left out of the address)
        want["l"] = lang()
    for name in ("s", "w", "l"):
        if name not in want and name in st.query_params:
            del st.query_params[name]
    for name, value in want.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    put(URL_WRITTEN, want.get("w", ""))
    put(WIDGETS_SEEN, _widget_values())
    put(EDITED, False)


def _widget_values() -> dict:
    """The values of the widgets and of the containers that rerun on a click (tabs, expanders, menus)."""
    return {k: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith(("w.", "v."))}


def _user_acted() -> bool:
    """Whether this rerun carries a user's action: a callback changed the scenario or dropped the widgets
    (:func:`set_scenario`, :func:`clear_widgets` ran before the page) or a widget holds another value than at the
    end of the last run (a tab or an expander opened counts: :func:`view_key`). Such a rerun's address can be
    stale: the browser sends the address it shows, which may predate the address the last run wrote (two quick
    edits, a slow machine), and adopting it would silently undo the last edit. Back and Forward send no widget
    change."""
    if get(EDITED):
        return True
    seen = get(WIDGETS_SEEN)
    for k, v in _widget_values().items():
        if k not in seen:
            continue
        try:
            if bool(v != seen[k]):
                return True
        except (TypeError, ValueError):   # values that do not compare to one truth value: count as changed
            return True
    return False


# --------------------------------------------------------------------------- the working scenario in the address
WORK_PREFIX = "1"            # format of ?w=: "1" + base64url(zlib(the scenario's JSON)); another prefix is refused
MAX_WORK_CHARS = 20_000      # a longer ?w= is refused before it is decoded
MAX_WORK_JSON = 200_000      # bytes the decoded JSON may have (a small value cannot inflate the server's memory)


@functools.lru_cache(maxsize=64)
def encode_work(s: Scenario) -> str:
    """The scenario as a short, URL-safe text for ``?w=`` (about 1,100 characters for Pontianak's default).

    Cached on the (frozen, hashable) scenario: every rerun asks for it twice (restore_from_url compares the address
    with it, keep_in_url writes it), and the scenario rarely changes between reruns."""
    import base64
    import zlib
    packed = zlib.compress(s.to_json(indent=None).encode("utf-8"), 9)
    return WORK_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_work(text: object) -> Scenario:
    """The scenario of a ``?w=`` value, validated like any file the user opens (Scenario.from_json) and for a region
    this app has. Raises ValidationError (field ``w``, code ``bad_work_url``) for a value that is not ours."""
    import base64
    import binascii
    import zlib

    def bad() -> ValidationError:
        return ValidationError("w", "the working scenario in the address cannot be read", code="bad_work_url")
    if not isinstance(text, str) or not text.startswith(WORK_PREFIX) or len(text) > MAX_WORK_CHARS:
        raise bad()
    body = text[len(WORK_PREFIX):]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_WORK_JSON + 1)
        if len(raw) > MAX_WORK_JSON or not inflater.eof or inflater.unused_data:
            raise bad()
    except (binascii.Error, ValueError, zlib.error):
        raise bad() from None
    s = Scenario.from_json(raw)
    if not _known(s.region):
        raise ValidationError("w.region", f"unknown region {s.region!r}", code="unknown_region",
                              params={"region": md_escape(s.region[:40])})
    return s


def restore_from_url() -> None:
    """Make the scenario in ``?w=`` the working one: on a session's first run (a reload, a bookmark; with the
    language in ``?l=``), and later when the address holds a ``?w=`` this session did not write last (the browser's
    Back and Forward step through the edits, each of which wrote its address: that step can be undone). A rerun
    that carries a user's action (:func:`_user_acted`) never adopts an address: it may be stale, and the edit wins.

    A value that cannot be read or is not a valid scenario says so (where and what) and leaves the session on its
    scenario (the default one on a first run); :func:`keep_in_url` then writes that one into the address."""
    first = not get(URL_READ)
    if first:
        put(URL_READ, True)
        if st.query_params.get("l") in LANGS:
            put(LANG, st.query_params["l"])
    text = st.query_params.get("w")
    if text is None or "s" in st.query_params:   # a share link wins (the address holds one or the other)
        return
    if not first and (text in (get(URL_WRITTEN), encode_work(scenario())) or _user_acted()):
        return   # our own address, or an edit's rerun whose address may predate the last one written
    try:
        s = decode_work(text)
    except ValidationError as exc:
        flash("error", t("app.bad_work_url", lang()) + " " + error_text(exc))
        del st.query_params["w"]
        return
    put(REGION_ID, s.region)
    set_scenario(s, undoable=not first)
    put(URL_WRITTEN, text)


# --------------------------------------------------------------------------- undo and redo (one step)
def can_undo() -> bool:
    return region_id() in get(UNDO)


def can_redo() -> bool:
    return region_id() in get(REDO)


def _step(take: Key, keep: Key) -> None:
    """Put back the scenario kept under ``take`` for this region; keep the one it replaces under ``keep``."""
    rid = region_id()
    other = st.session_state[take.name].pop(rid, None)
    if other is None:
        return
    st.session_state[keep.name][rid] = scenario()
    set_scenario(other, undoable=False)


def undo() -> None:
    """Back to the scenario before the last edit; the one left can be brought back with :func:`redo`."""
    _step(UNDO, REDO)


def redo() -> None:
    """The scenario an undo replaced, again (until a new edit)."""
    _step(REDO, UNDO)
