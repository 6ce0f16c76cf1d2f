"""Edits that redraw only what shows the scenario (Streamlit fragments, ``st.fragment``).

An edit normally reruns the whole app: the frame (state, address, sidebar, navigation, the CSS) and every element
of the page, and the browser re-renders every element it is sent, changed or not. On the Projection page a step
of the quick lever changes only the page's figures, and the sidebar's line naming the working scenario and its
undo/redo buttons. So those two parts are fragments with fixed keys, and the lever's callback reruns just them
(``st.rerun([PAGE, STATUS])``, Streamlit's keyed rerun from a callback): the frame, the page's heading and the
lever itself stay as drawn. This pays on every step of the lever (docs/PERFORMANCE.md: edit → charts, Projection).

The rules that keep it correct:

- A part reads everything it shows from the session when it runs (never a value computed by the page before it):
  in a fragment rerun nothing outside the fragment runs.
- :func:`rerun` reruns the parts only when the page drew its live part in the last full run (:func:`page`
  records it; the frame forgets it at the start of every full run, :func:`begin_run`); anywhere else the
  edit's rerun stays a full one. A refused edit (the scenario unchanged, a message to show) reruns everything.
- The address (``?w=``) is written by the frame after a full run; after the parts' rerun :func:`status` writes it
  (``ui.address.keep_in_url``), so a reload after an edit brings the edit back.
- Undo and redo change the whole page: their buttons ask for a full rerun.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from . import address, state

PAGE = "live.page"       # the page's part that follows the scenario
STATUS = "live.status"   # the sidebar's scenario line and undo/redo


def begin_run() -> None:
    """Called by the frame at the start of every full run: no live part is drawn yet."""
    state.put(state.LIVE_PAGE, False)


def page(draw: Callable[[], None]) -> None:
    """Draw the page's part that follows the scenario, as the fragment :data:`PAGE`."""
    state.put(state.LIVE_PAGE, True)
    st.fragment(draw, key=PAGE)()


def status(draw: Callable[[], None]) -> None:
    """Draw the sidebar's scenario line, as the fragment :data:`STATUS`; after an edit's rerun of the parts, keep
    the edited scenario in the address (the frame, which does it after a full run, has not run)."""
    def part() -> None:
        draw()
        if state.get(state.LIVE_RERUN):
            state.put(state.LIVE_RERUN, False)
            address.keep_in_url()
    st.fragment(part, key=STATUS)()


def rerun() -> None:
    """From the callback of an edit that changed only the scenario: rerun the live parts, not the whole app (when the
    page has them; otherwise return, and the interaction's full rerun follows)."""
    if state.get(state.LIVE_PAGE):
        state.put(state.LIVE_RERUN, True)
        st.rerun([PAGE, STATUS])


def full_rerun(action: Callable[[], None]) -> Callable[[], None]:
    """A button's callback that reruns the whole app after ``action``, also from inside a live part."""
    def callback() -> None:
        action()
        st.rerun()
    return callback
