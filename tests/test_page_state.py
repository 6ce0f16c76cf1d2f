"""Session state declared once (ui/state.py): every key a page keeps is a declared Key or a widget's key.

Each view is opened through the whole app (AppTest); whatever is left in session state must be one of
``ui.state.KEYS`` (model state with a type and a default), a widget key made by ``state.widget_key`` (``w.``),
or the key of a widget that holds no model state (buttons, download menus, an expander), listed here.
"""

from __future__ import annotations

import pytest
from apptest_helpers import open_view

from ui import state

#: keys of widgets without model state: download menus and buttons, Apply/Discard buttons, the yearly expander
STATELESS_PREFIXES = ("dl.", "data.dl.", "data.apply.", "data.discard.", "data.sync_", "FormSubmitter:")
STATELESS_KEYS = {"goalseek.apply", "projection.yearly", "data.reset"}
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
    assert undeclared(["lang", "w.lang", "dl.cakupan.menu", "projection.yearly_open"]) == []
    assert undeclared(["compare_choice", "projection.yearly_opened"]) == ["compare_choice", "projection.yearly_opened"]
