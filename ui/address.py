"""The address bar: the working scenario kept in the address (``?w=``, ``?l=``), so a reload (F5), a bookmark or
the browser's Back and Forward bring it back, and a share link (``?s=``) opened once.

The frame calls :func:`open_shared_link` and :func:`restore_from_url` before the page and :func:`keep_in_url` after
it. The session keys it keeps (``opened_link``, ``url_read``, ``url_written``, ``widgets_seen``, ``edited``) are
declared in ui/state.py.
"""

from __future__ import annotations

import functools

import streamlit as st

from presentation.i18n import DEFAULT_LANG, LANGS, md_escape, t
from simulation.errors import ValidationError
from simulation.scenario import Scenario

from .regions import known, region_snapshot, use_region_snapshot
from .state import (
    EDITED,
    LANG,
    OPENED_LINK,
    REGION_BASE,
    REGION_ID,
    REGIONS,
    URL_READ,
    URL_WRITTEN,
    WIDGETS_SEEN,
    error_text,
    flash,
    get,
    lang,
    library,
    put,
)
from .work import scenario, set_scenario


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
        from storage.links import snapshot_hash
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
    if not known(s.region):
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
