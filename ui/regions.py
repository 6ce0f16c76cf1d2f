"""The working region of a session: which regions it can open, and their data as shipped, saved or edited.

The catalogue (:func:`region_catalogue`) lists the shipped regions (data/regions/), the regions saved in the app
(storage/regions.py, every version kept) and this session's new region not saved yet; it is cached on what changes
when a file is added or a region saved, so the frame and the pages can ask for it many times a run.
:func:`region_id` and :func:`region` give the region this session works on (its unsaved edit, else its latest saved
version, else the shipped file); the Data page edits it (:func:`set_region_data`, :func:`new_region`) and saves,
reverts or deletes it for everyone (:func:`save_region`, :func:`revert_region`, :func:`delete_region`).
The session keys it keeps (``region_id``, ``regions``, ``region_base``) are declared in ui/state.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import streamlit as st

from presentation.i18n import md_escape, t
from simulation import data
from simulation.data import REGION_ID_RE, Region, load_region, parse_region, region_data, region_ids
from simulation.errors import ValidationError

from .state import (
    REGION_BASE,
    REGION_ID,
    REGIONS,
    SCENARIOS,
    clear_widgets,
    error_text,
    flash,
    get,
    lang,
    library,
    owner,
    put,
    widget_key,
)


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


def known(rid: object) -> bool:
    """A region id this session can open: shipped, saved, or edited in this session."""
    if not isinstance(rid, str):
        return False
    if rid in _shipped_ids() or isinstance(st.session_state.get(REGIONS.name, {}).get(rid), Region):
        return True
    return rid in _saved_entries()


def region_id() -> str:
    rid = get(REGION_ID)
    if known(rid):
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
    if not known(rid):
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
    from storage.store import check_name
    name, province = check_name(name, "region.name"), check_name(province, "region.province")
    d: dict = {}
    if copy_of is not None:
        if not known(copy_of):
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


def edited_region():
    """The region data when the user edited them on the Data page, else None (shipped data)."""
    return st.session_state[REGIONS.name].get(region_id())
