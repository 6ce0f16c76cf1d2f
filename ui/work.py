"""The working scenario of a session: the one its pages show and edit for the working region, the widgets bound to
its fields, and one step of undo and redo.

Each region keeps its own working scenario (session key ``scenarios``); a region opened for the first time starts
from its starting scenario (presentation.labels.starting_scenario). Every change goes through :func:`set_scenario`,
which keeps the scenario it replaces for :func:`undo`. The session keys are declared in ui/state.py; the working
region comes from ui/regions.py; ui/address.py keeps the scenario in the address bar.
"""

from __future__ import annotations

import streamlit as st

from presentation import labels
from simulation.errors import ValidationError
from simulation.scenario import Scenario

from . import model
from .regions import region, region_id
from .state import (
    EDITED,
    REDO,
    SCENARIOS,
    UNDO,
    Key,
    clear_widgets,
    error_text,
    flash,
    get,
    lang,
    put,
    seed,
    widget_key,
)


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


def projection():
    return model.project(scenario(), region())


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
