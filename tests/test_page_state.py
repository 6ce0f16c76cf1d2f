"""Session state declared once (ui/state.py): every key a page keeps is a declared Key or a widget's key.

Each view is opened through the whole app (AppTest); whatever is left in session state must be one of
``ui.state.KEYS`` (model state with a type and a default), a widget key made by ``state.widget_key`` (``w.``),
or the key of a widget that holds no model state (buttons, download menus, an expander), listed here.
"""

from __future__ import annotations

import base64
import zlib

import pytest
from apptest_helpers import REPO, open_tab, open_view
from streamlit.testing.v1 import AppTest

from presentation.i18n import t
from simulation import default_scenario
from simulation.errors import ValidationError
from ui import address, state

#: keys of widgets without model state: download menus and buttons, Apply/Discard buttons, the yearly expander
STATELESS_PREFIXES = ("v.", "dl.", "data.dl.", "data.apply.", "data.discard.", "data.sync_", "FormSubmitter:")
STATELESS_KEYS = {"goalseek.apply", "projection.yearly", "data.reset", "app.undo", "app.redo", "present_prev",
                  "present_next", "present_pagedown", "present_space", "present_pageup"}
VIEWS = ["overview", "scenario", "projection", "compare", "goalseek", "sensitivity", "library", "present", "data",
         "about"]


def undeclared(keys) -> list[str]:
    declared = {k.name for k in state.KEYS}
    return sorted(k for k in keys if not k.startswith(("w.", "$$", *STATELESS_PREFIXES))
                  and k not in declared and k not in STATELESS_KEYS)


def test_registry_names_are_unique_and_defaults_have_their_type():
    names = [k.name for k in state.KEYS]
    assert len(names) == len(set(names))
    assert state.DEFAULTS == {k.name: k.default for k in state.KEYS}
    for k in state.KEYS:
        assert isinstance(k.default, k.type), k.name
        assert not k.name.startswith("w."), k.name   # widget keys are dropped on a language switch


def test_widget_keys_are_derived_in_one_way():
    assert state.widget_key("goal", "target") == "w.goal.target"
    assert state.widget_key("indexation_pct", "en") == "w.indexation_pct.en"
    assert state.widget_key("groups", 3) == "w.groups.3"


@pytest.mark.parametrize("view", VIEWS)
def test_every_key_a_view_keeps_is_declared(view):
    at = open_view(f"views/{view}.py")
    keys = list(at.session_state.keys())
    assert {k.name for k in state.KEYS} <= set(keys)   # state.init() put every declared key in place
    assert undeclared(keys) == []
    for k in state.KEYS:
        assert isinstance(at.session_state[k.name], k.type), k.name


def test_the_check_finds_a_key_written_as_a_literal():
    assert undeclared(["lang", "w.lang", "v.dl.cakupan.menu", "projection.yearly_open"]) == []
    assert undeclared(["compare_choice", "projection.yearly_opened"]) == ["compare_choice", "projection.yearly_opened"]


# --------------------------------------------------------------------------- the working scenario survives a reload
def _fresh(query: dict | None = None):
    """A new session (what F5 gives), with ``query`` in the address."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_a_reload_with_the_address_restores_the_edited_scenario():
    edited = default_scenario().replace(route="bpu_jht", name="Rapat DPRD")
    at = _fresh()
    at.session_state["scenarios"]["pontianak"] = edited
    at.run()
    w = _param(at, "w")
    assert w is not None and w.startswith("1") and len(w) < 2_000   # compact enough for any address bar
    again = _fresh({"w": w})   # F5: a new session, the same address
    assert again.session_state["scenarios"]["pontianak"] == edited
    assert not again.error
    assert _param(again, "w") == w
    assert address.decode_work(address.encode_work(edited)) == edited


def test_back_in_the_browser_brings_back_the_scenario_of_that_address():
    at = _fresh()
    before = _param(at, "w")
    edited = default_scenario().replace(route="bpu_jht")
    at.session_state["scenarios"]["pontianak"] = edited
    at.run()
    assert _param(at, "w") == address.encode_work(edited)
    at.query_params["w"] = before   # Back: the browser shows the previous address and Streamlit reruns
    at.run()
    assert at.session_state["scenarios"]["pontianak"] == default_scenario()
    assert _param(at, "w") == before
    assert not at.button(key="app.undo").disabled   # the step back can be undone
    at.run()   # an ordinary rerun with the address the session wrote changes nothing
    assert at.session_state["scenarios"]["pontianak"] == default_scenario()


def test_an_edits_rerun_carrying_an_older_address_keeps_the_edit():
    """Two quick edits (or a slow machine): the browser may send, with the second action, the address it showed
    before the first edit's address arrived. That address must not silently undo the first edit."""
    at = _fresh()
    stale = _param(at, "w")
    first = default_scenario().replace(route="bpu_jht")
    at.session_state["scenarios"]["pontianak"] = first
    at.run()
    assert _param(at, "w") == address.encode_work(first)
    at.query_params["w"] = stale            # the address the browser still shows ...
    at.segmented_control(key="w.lang").set_value("en").run()   # ... sent with a widget's change
    assert at.session_state["scenarios"]["pontianak"] == first
    assert _param(at, "w") == address.encode_work(first)   # and the address is put right


def test_a_tab_opened_with_an_older_address_keeps_the_edit():
    """The browser test's race (2026-12-04): on Skenario, a route chosen, then at once the groups tab clicked. The
    tab's rerun carried the address from before the route; a tab is no ``w.`` widget, so that rerun looked like
    Back, adopted the old address and the route was lost under the next edit. Opening a tab is a user's act."""
    at = _fresh()
    at.switch_page("views/scenario.py").run()
    open_tab(at, "contribution")
    stale = _param(at, "w")
    first = default_scenario().replace(route="bpu_jht")
    at.session_state["scenarios"]["pontianak"] = first
    at.run()
    assert _param(at, "w") == address.encode_work(first)
    at.query_params["w"] = stale   # the address the browser still shows, sent with the tab's click
    open_tab(at, "groups")
    assert at.session_state["scenarios"]["pontianak"] == first
    assert _param(at, "w") == address.encode_work(first)


def test_an_undo_carrying_an_older_address_is_an_undo_not_a_jump():
    at = _fresh()
    stale = _param(at, "w")
    first = default_scenario().replace(route="bpu_jht")
    second = first.replace(name="Rapat DPRD")
    for s in (first, second):   # two edits, each through the one door (set_scenario keeps the step for undo)
        at.session_state["undo"]["pontianak"] = at.session_state["scenarios"]["pontianak"]
        at.session_state["scenarios"]["pontianak"] = s
        at.run()
    at.query_params["w"] = stale
    at.button(key="app.undo").click().run()   # a callback changes the scenario before the page runs
    assert at.session_state["scenarios"]["pontianak"] == first
    assert _param(at, "w") == address.encode_work(first)


def test_a_reload_keeps_the_language():
    at = _fresh()
    assert _param(at, "l") is None   # Indonesian, the default, is left out
    at.session_state["lang"] = "en"
    at.run()
    assert _param(at, "l") == "en"
    again = _fresh({"w": _param(at, "w"), "l": "en"})
    assert again.session_state["lang"] == "en"
    assert again.sidebar.caption[0].value.startswith("Current scenario")
    assert _fresh({"l": "xx"}).session_state["lang"] == "id"


def test_the_address_is_kept_when_the_page_changes():
    at = _fresh()
    at.session_state["scenarios"]["pontianak"] = default_scenario().replace(route="bpu_jht")
    at.run()
    w = _param(at, "w")
    at.query_params.clear()   # what the browser does on a page switch
    at.switch_page("views/projection.py")
    at.run()
    assert _param(at, "w") == w


@pytest.mark.parametrize("value", ["1eNqrVkrOz0lVslJQSs7PS8tMKS0uyczPU6oFAGX4CD4",   # valid zlib, not a scenario
                                   "1" + "A" * 30, "garbage", "2" + "x" * 10, "1" + "A" * 30_000])
def test_a_tampered_address_says_so_and_keeps_the_default(value):
    at = _fresh({"w": value})
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(t("app.bad_work_url", "id")), errors
    assert at.session_state["scenarios"]["pontianak"] == default_scenario()
    assert _param(at, "w") == address.encode_work(default_scenario())   # the address now holds the default


def test_an_address_for_an_unknown_region_is_refused():
    bad = default_scenario().to_json(indent=None).replace('"region": "pontianak"', '"region": "atlantis"')
    value = "1" + base64.urlsafe_b64encode(zlib.compress(bad.encode())).decode().rstrip("=")
    with pytest.raises(ValidationError) as exc:
        address.decode_work(value)
    assert exc.value.field in ("region", "w.region")


def test_undo_and_redo_one_step():
    at = _fresh()
    buttons = {b.key: b for b in at.button}
    assert buttons["app.undo"].disabled and buttons["app.redo"].disabled
    first = at.session_state["scenarios"]["pontianak"]
    # an edit as a widget makes it: through work.set_scenario (the Scenario page's route radio)
    at.switch_page("views/scenario.py")
    at.run()
    open_tab(at, "contribution")
    edited = default_scenario().replace(route="bpu_jht")
    at.radio(key=next(r.key for r in at.radio if r.key and "route" in r.key)).set_value("bpu_jht").run()
    assert at.session_state["scenarios"]["pontianak"] == edited
    at.button(key="app.undo").click().run()
    assert at.session_state["scenarios"]["pontianak"] == first
    assert at.button(key="app.undo").disabled and not at.button(key="app.redo").disabled
    at.button(key="app.redo").click().run()
    assert at.session_state["scenarios"]["pontianak"] == edited
    assert not at.button(key="app.undo").disabled and at.button(key="app.redo").disabled
    assert not at.exception and not at.error


def test_a_share_link_stays_in_the_address_across_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))   # a library of its own
    state.library.clear()
    try:
        linked = default_scenario().replace(route="bpu_jht")
        key = state.library().share(linked)
        at = _fresh({"s": key})
        assert at.session_state["scenarios"]["pontianak"] == linked
        assert _param(at, "s") == key and _param(at, "w") is None   # the short link, not the scenario's text
        at.query_params.clear()   # a page switch
        at.switch_page("views/projection.py")
        at.run()
        assert _param(at, "s") == key
        at.session_state["scenarios"]["pontianak"] = default_scenario()   # an edit: no longer the linked scenario
        at.run()
        assert _param(at, "s") is None and _param(at, "w") == address.encode_work(default_scenario())
    finally:
        state.library.clear()
