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


def drawn_charts(at) -> list[tuple[str, list]]:
    """(spec as sent, [its tables as data frames]) of each chart on the page, in page order."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return [(c.proto.spec, [convert_arrow_bytes_to_pandas_df(d.data.data) for d in c.proto.datasets])
            for c in at.get("vega_lite_chart")]


def rerun_with_scenario(at, scenario, region_id: str = "pontianak") -> tuple[list, list]:
    """:func:`drawn_charts` before and after the working scenario becomes ``scenario`` and the page reruns."""
    before = drawn_charts(at)
    at.session_state["scenarios"][region_id] = scenario
    at.run()
    assert not at.exception
    return before, drawn_charts(at)


def open_tab(at, tab: str, lang: str = "id") -> object:
    """Open one of the page's tabs, as a click on it does (only the open tab's content runs)."""
    from presentation.i18n import t
    from views.scenario import TAB_KEY

    at.session_state[TAB_KEY] = t(f"scenario.tab_{tab}", lang)
    at.run()
    assert not at.exception, at.exception
    return at


#: the Data page's tabs, in order (views/data.py)
DATA_TABS = ("history", "workers", "budget", "groups", "targets", "upload")


def open_data_tab(at, which: str):
    """The Data page with its tab ``which`` (history, workers, budget, groups, targets, upload) open, as a click on
    it does: only the open tab is built (views/data.py)."""
    from presentation.i18n import t
    from ui import state

    lang = at.session_state["lang"]
    at.session_state[state.view_key("data.tabs")] = ("⬆️ " if which == "upload" else "") + t(f"data.tab_{which}", lang)
    at.run()
    assert not at.exception
    return at
