"""Session state: every key and its default declared here, once, and the primitives that read and write them.

Model state lives in plain keys that no widget owns (widget values are dropped when a
page does not draw them). Widgets use keys starting with ``w.`` that are seeded from
the model state when missing, and write back through callbacks, so values survive a
page round trip.

Also here, because every other module of the session builds on them: the session's language, the one-run
messages (:func:`flash`), a validation error in the reader's words (:func:`error_text`), and the server's
scenario library (:func:`library`, :func:`owner`). What the keys hold is kept by the modules above this one:
the working region (ui/regions.py), the working scenario and its undo (ui/work.py), and the address bar
(ui/address.py). They import this module; it imports none of them.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any

import streamlit as st

from presentation.i18n import DEFAULT_LANG, LANGS, md_escape, t
from presentation.problems import error_params
from simulation.errors import ValidationError


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
LIVE_PAGE = Key("live_page", bool, False, "the page drew its live part in this session's last full run (ui/live.py)")
LIVE_RERUN = Key("live_rerun", bool, False, "an edit reran the live parts only: keep the address (ui/live.py)")

#: every key the app keeps in session state, declared once (widget keys ``w.*`` come from :func:`widget_key`)
KEYS: tuple[Key, ...] = (LANG, REGION_ID, SCENARIOS, REGIONS, REGION_BASE, COMPARE, COMPARE_SAVED, GOAL,
                         EDITOR_VERSION, UPLOADS,
                         DATA_ENTRY, FLASH, OPENED_LINK, PRESENT_SLIDE, YEARLY_OPEN, OWNER, UNDO, REDO, URL_READ,
                         URL_WRITTEN, HTML_LANG, WIDGETS_SEEN, EDITED, EDITOR, LIVE_PAGE, LIVE_RERUN)
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
    like a widget it is a user's act when it changes (:func:`ui.address._user_acted`)."""
    return "v." + name


def lang() -> str:
    value = get(LANG)
    return value if value in LANGS else DEFAULT_LANG


def needs_text(fields) -> str:
    """Region fields (``Region.needs``, ``Region.missing``) named for a reader, in the session's language."""
    return ", ".join(t(f"region.field.{f}", lang()) for f in fields if f)


def clear_widgets() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("w.")]:
        del st.session_state[key]
    put(EDITOR_VERSION, get(EDITOR_VERSION) + 1)
    put(EDITED, True)


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


# --------------------------------------------------------------------------- scenario library and share links
@st.cache_resource
def library():
    """One library per server process and database (the SQLite file, or PostgreSQL when PBI_DATABASE_URL is set;
    thread-safe). Kept open: opening one checks the schema's revision in a transaction, about a millisecond that
    every run would pay (the frame asks for the saved regions' stamp on each one, ui/regions.py)."""
    from storage import db
    return _library(db.database_url(None).render_as_string(hide_password=False))


@functools.lru_cache(maxsize=4)
def _library(url: str):
    from storage.library import Library
    return Library(url)


def owner() -> str:
    """This browser session's id for the library's per-session limits (random, made once per session)."""
    if not get(OWNER):
        import uuid
        put(OWNER, uuid.uuid4().hex)
    return get(OWNER)
