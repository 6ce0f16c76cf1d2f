"""A step of the quick lever on Proyeksi reruns only what shows the scenario (ui/live.py), and keeps everything a
full rerun keeps: the sidebar's scenario line, undo, the address. Anywhere else the same slider reruns the whole app.

AppTest shows what a run sent: after a rerun of fragments only, the page's heading (outside them) is absent."""

from __future__ import annotations

from apptest_helpers import drawn_charts, open_view
from streamlit.testing.v1 import AppTest

from presentation.i18n import t
from simulation.data import load_region
from simulation.projection import project
from simulation.scenario import default_scenario
from ui import address, state

LEVER = "w.city_share_pct"


def _projection() -> AppTest:
    return open_view("views/projection.py")


def _identity_line(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith(t("app.current_scenario", "id")[:10]))


def test_a_lever_step_reruns_the_live_parts_only_and_keeps_what_a_full_run_keeps():
    at = _projection()
    before_w = at.query_params["w"]
    at.slider(key=LEVER).set_value(60).run()
    assert not at.exception
    edited = default_scenario().replace(city_share=0.6)
    assert at.session_state["scenarios"]["pontianak"] == edited
    # only the live parts ran: no heading, no lever, no navigation; the three charts and the sidebar's line did
    assert [x.value for x in at.title] == [] and [s.key for s in at.slider] == []
    assert len(drawn_charts(at)) == 3
    fan = next(f for f in drawn_charts(at)[0][1] if "series" in f.columns)
    engine = project(edited, load_region("pontianak"))
    last = fan[(fan["series"] == "scenario") & (fan["year"] == engine.table["year"].iloc[-1])]
    assert abs(last["median"].iloc[0] - engine.table["coverage_pct"].iloc[-1]) < 1e-9
    assert f"`{edited.content_hash}`" in _identity_line(at)
    assert not at.sidebar.button(key="app.undo").disabled          # the edit can be undone at once
    # the address carries the edit (the frame, which writes it after a full run, did not run)
    assert at.query_params["w"] != before_w
    assert address.decode_work(at.query_params["w"]) == edited


def test_undo_after_a_lever_step_reruns_the_whole_page():
    at = _projection()
    at.slider(key=LEVER).set_value(60).run()
    at.sidebar.button(key="app.undo").click().run()
    assert not at.exception
    assert at.session_state["scenarios"]["pontianak"] == default_scenario()
    assert [x.value for x in at.title] == [t("projection.page_title", "id", region="Kota Pontianak")]
    assert at.slider(key=LEVER).value == 100                        # the lever drawn again, at the undone value
    assert address.decode_work(at.query_params["w"]) == default_scenario()
    assert at.sidebar.button(key="app.redo").disabled is False


def test_the_same_slider_on_skenario_reruns_the_whole_app():
    """Skenario has no live part: its figures are all over the page. Having visited Proyeksi first must not make
    its lever rerun a part that Skenario does not draw."""
    from views.scenario import TAB_KEY

    at = _projection()
    at.session_state[TAB_KEY] = t("scenario.tab_budget", "id")
    at.switch_page("views/scenario.py").run()
    assert at.session_state[state.LIVE_PAGE.name] is False
    at.slider(key=LEVER).set_value(70).run()
    assert not at.exception
    assert at.session_state["scenarios"]["pontianak"].city_share == 0.7
    assert [x.value for x in at.title] == [t("scenario.title", "id")]   # the whole page ran
    assert at.slider(key=LEVER).value == 70
