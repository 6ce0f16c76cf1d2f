"""Shared helper of the view tests (AppTest): open the whole app on one view."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def open_view(page: str, lang: str = "id", scenario=None):
    """The whole app (app.py frame) opened on ``page`` in ``lang``, optionally with a working scenario for
    Kota Pontianak; asserts the page drew without an exception or an error box."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.run()
    at.session_state["lang"] = lang
    if scenario is not None:
        at.session_state["scenarios"] = {"pontianak": scenario}
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at
