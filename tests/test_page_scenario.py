"""Skenario / Scenario builder page, driven as a user would with Streamlit's AppTest.

Numbers on the page are checked against the engine (``simulation.projection.project``) for the same scenario.

The group editor: AppTest cannot type into ``st.data_editor`` and does not fire its ``on_change``. The tests
assign the editor's edit state (``{"edited_rows": ..., "added_rows": [], "deleted_rows": []}``) on
``at.session_state[f"w.groups.{editor_version}"]`` before ``run()``; the page applies edit state that
reaches the script without the callback through the same function the callback uses
(``ui.components.apply_group_edits``), which is also tested directly below.
"""

from __future__ import annotations

import pytest
from apptest_helpers import open_tab
from streamlit.testing.v1 import AppTest

from presentation.i18n import fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp
from simulation.data import load_region
from simulation.errors import ValidationError
from simulation.projection import project
from ui import components as page  # the group editor's pure helpers

PAGE = "views/scenario.py"
REGION = load_region("pontianak")


# --------------------------------------------------------------------------- helpers
def open_page(lang: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.run()
    if lang:
        at.session_state["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def scenario_of(at: AppTest):
    return at.session_state["scenarios"]["pontianak"]


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def edit_groups(at: AppTest, edited_rows: dict) -> AppTest:
    key = f"w.groups.{at.session_state['editor_version']}"
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    return at


def assert_summary_matches(at: AppTest, scenario, lang: str = "id") -> None:
    """Every number of the live summary equals the engine's for ``scenario``."""
    p = project(scenario, REGION)
    r0, rh = p.table.iloc[0], p.table.iloc[-1]
    y0, yh = int(r0["year"]), int(rh["year"])
    assert metric(at, f"Peserta PBI {y0}").value == fmt_number(r0["pbi_participants"], lang)
    assert metric(at, f"Tambahan bersih {y0}").value == fmt_number(r0["pbi_added_net"], lang)
    for row in (r0, rh):
        m = metric(at, f"Cakupan {int(row['year'])}")
        assert m.value == fmt_pct(row["coverage_pct"], lang, 2)
        assert m.delta == fmt_pp(row["coverage_pct"] - row["baseline_coverage_pct"], lang, 2)
        c = metric(at, f"Biaya APBD {int(row['year'])}")
        assert c.value == fmt_idr_short(row["cost_idr"], lang)
        assert fmt_idr(row["cost_idr"], lang) in c.help   # the exact rupiah amount
    assert metric(at, f"Porsi APBD {y0}").value == fmt_pct(r0["cost_share_apbd_pct"], lang, 3)
    assert yh == scenario.horizon_year


# --------------------------------------------------------------------------- pure helpers
def test_apply_group_edits_converts_percent_and_validates():
    s = scenario_of(open_page())
    first = s.groups[0]
    out = page.apply_group_edits(s, {"0": {"members": 3000, "take_up_pct": 80, "certainty": "ignored"},
                                     1: {"in_scope": False}})
    assert out.groups[0].members == 3000 and out.groups[0].take_up == pytest.approx(0.8)
    assert out.groups[0].name == first.name and out.groups[1].in_scope is False
    assert out.groups[2:] == s.groups[2:]
    with pytest.raises(ValidationError) as exc:
        page.apply_group_edits(s, {2: {"dropout_pct": 120}})
    assert exc.value.field == "groups[2].dropout"
    with pytest.raises(ValidationError) as exc:
        page.apply_group_edits(s, {0: {"members": None}})
    assert exc.value.code == "empty_value"
    frame = page.groups_frame(out, REGION, "id")
    assert frame.loc[0, "members"] == 3000 and frame.loc[0, "take_up_pct"] == pytest.approx(80)
    assert list(frame.columns) == list(page.COLUMNS)


# --------------------------------------------------------------------------- the page
def test_member_edit_moves_summary_exactly_as_the_engine():
    at = open_page()
    before = scenario_of(at)
    assert_summary_matches(at, before)
    old_cost = metric(at, "Biaya APBD 2026").help

    edit_groups(at, {0: {"members": 4000}})
    expected = before.with_group(before.groups[0].id, members=4000)
    assert scenario_of(at).to_dict() == expected.to_dict()
    assert_summary_matches(at, expected)
    assert metric(at, "Biaya APBD 2026").help != old_cost
    # the fresh editor shows the applied value
    assert at.data_editor[0].value["members"].iloc[0] == 4000
    assert not at.error


def test_bad_edit_shows_error_and_keeps_scenario():
    at = open_page()
    before = scenario_of(at)
    version = at.session_state["editor_version"]
    edit_groups(at, {0: {"members": -5}})
    assert scenario_of(at) == before
    errors = " ".join(e.value for e in at.error)
    assert "Baris 1 (Ketua RT)" in errors and "Anggota" in errors and "-5" in errors
    assert at.session_state["editor_version"] > version
    assert at.data_editor[0].value["members"].iloc[0] == before.groups[0].members


def test_only_the_open_tab_is_drawn():
    """The page sends only its open tab (Streamlit's browser side re-renders every element sent, hidden tabs'
    too, on each edit); a click on a tab (here its state) draws that one."""
    at = open_page()
    assert len(at.data_editor) == 1 and not [w for w in at.radio if w.key == "w.route"]
    assert not [w for w in at.slider if w.key == "w.city_share_pct"]
    open_tab(at, "budget")
    assert len(at.data_editor) == 0 and [w for w in at.slider if w.key == "w.city_share_pct"]
    assert [tb.label for tb in at.tabs] == ["Kelompok pekerja", "Iuran", "Pembiayaan dan batas anggaran",
                                            "Kepatuhan pemberi kerja", "Asumsi"]


def test_route_bpu_jht_costs_36800():
    at = open_tab(open_page(), "contribution")
    label = "Iuran per orang per bulan, 2026"
    assert metric(at, label).value == "Rp 16.800"
    at.radio(key="w.route").set_value("bpu_jht").run()
    assert not at.exception
    assert scenario_of(at).route == "bpu_jht"
    assert metric(at, label).value == "Rp 36.800"
    assert any("JHT Rp 20.000" in c.value for c in at.caption)
    assert_summary_matches(at, scenario_of(at))


def test_city_share_half_halves_city_cost_per_participant():
    at = open_tab(open_page(), "budget")
    full = project(scenario_of(at), REGION).table.iloc[0]
    at.slider(key="w.city_share_pct").set_value(50).run()
    assert not at.exception
    s = scenario_of(at)
    assert s.city_share == 0.5
    half = project(s, REGION).table.iloc[0]
    assert half["cost_idr"] / half["pbi_participants"] == pytest.approx(full["cost_idr"] / full["pbi_participants"] / 2)
    assert metric(at, "Bagian daerah per bulan").value == "Rp 8.400"
    assert metric(at, "Bagian peserta per bulan").value == "Rp 8.400"
    assert_summary_matches(at, s)   # fewer participants too: take-up falls when people pay part


def test_budget_cap_binds():
    at = open_tab(open_page(), "budget")
    at.toggle(key="w.cap_on").set_value(True).run()
    s = scenario_of(at)
    assert s.budget_cap_idr is not None and not project(s, REGION).table["budget_capped"].any()
    at.text_input(key="w.budget_cap_idr.id").set_value("Rp 500.000.000").run()
    assert not at.exception
    s = scenario_of(at)
    assert s.budget_cap_idr == 500_000_000
    table = project(s, REGION).table
    assert table["budget_capped"].all()
    assert metric(at, "Biaya APBD 2026").value == "Rp 500 juta"
    assert_summary_matches(at, s)
    lost = project(s.replace(budget_cap_idr=None), REGION).table.iloc[0]["pbi_participants"] - \
        table.iloc[0]["pbi_participants"]
    assert any("Batas anggaran mengikat pada 2026–2030" in w.value and fmt_number(lost, "id") in w.value
               for w in at.warning)


def test_unreadable_money_shows_error_and_keeps_scenario():
    at = open_tab(open_page(), "budget")
    at.toggle(key="w.cap_on").set_value(True).run()
    before = scenario_of(at)
    at.text_input(key="w.budget_cap_idr.id").set_value("lima ratus").run()
    assert not at.exception
    assert scenario_of(at) == before
    assert any("Batas anggaran" in e.value and "angka" in e.value for e in at.error)


def test_compliance_lever_adds_coverage_at_no_cost():
    at = open_tab(open_page(), "compliance")
    before = project(scenario_of(at), REGION).table
    at.radio(key="w.compliance_mode").set_value("count").run()
    at.number_input(key="w.compliance_count").set_value(2000).run()
    assert not at.exception
    s = scenario_of(at)
    assert (s.compliance_mode, s.compliance_per_year) == ("count", 2000.0)
    after = project(s, REGION).table
    assert metric(at, "Tambahan dari penegakan, 2030").value == fmt_number(after.iloc[-1]["compliance_added"], "id")
    assert list(after["cost_idr"]) == list(before["cost_idr"])
    assert after.iloc[-1]["coverage_pct"] > before.iloc[-1]["coverage_pct"]
    assert_summary_matches(at, s)


def test_group_extras_are_made_only_while_open():
    """The groups tab's add and delete forms and its two detail tables are made only while their expander is open
    (Streamlit's browser side re-renders every element sent on each edit); opened, the first detail table shows
    the engine's participants of each group in the headline year."""
    from presentation.summaries import scheme_year
    from ui.scenario_sections import DETAIL_KEY, SOURCES_KEY
    from views.scenario import ADD_KEY, DELETE_KEY

    at = open_page()
    assert not [w for w in at.text_input if w.key == "w.add.name"] and len(at.dataframe) == 1   # the group editor
    for key in (ADD_KEY, DELETE_KEY, DETAIL_KEY, SOURCES_KEY):
        at.session_state[key] = True   # as a click on each expander does
    at.run()
    assert not at.exception
    assert [w for w in at.text_input if w.key == "w.add.name"] and len(at.dataframe) == 3
    p = project(scenario_of(at), REGION)
    by = p.by_group[p.by_group["year"] == scheme_year(p)]
    assert list(at.dataframe[1].value["Peserta"]) == [fmt_number(x, "id") for x in by["participants"]]


def test_add_and_delete_custom_group():
    from views.scenario import ADD_KEY, DELETE_KEY

    at = open_page()
    at.session_state[ADD_KEY] = at.session_state[DELETE_KEY] = True   # both expanders opened
    at.run()
    n = len(scenario_of(at).groups)
    at.text_input(key="w.add.name").set_value("Juru parkir")
    at.number_input(key="w.add.members").set_value(700)
    at.button(key="w.add.submit").click().run()
    assert not at.exception
    s = scenario_of(at)
    assert len(s.groups) == n + 1
    g = s.group("custom_1")
    assert (g.name, g.members, g.in_scope, g.take_up, g.already_covered) == ("Juru parkir", 700, True, 0.7, 0.1)
    assert at.data_editor[0].value["name"].iloc[-1] == "Juru parkir"
    assert at.data_editor[0].value["certainty"].iloc[-1] == "Isian pengguna"
    assert_summary_matches(at, s)
    at.selectbox(key="w.delete_group").set_value("custom_1")
    at.button(key="w.delete").click().run()
    assert not at.exception
    assert len(scenario_of(at).groups) == n


def test_round_trip_keeps_edits():
    at = open_tab(open_page(), "contribution")
    at.text_input(key="w.name").set_value("Skenario uji DPRD").run()
    at.radio(key="w.route").set_value("bpu_jht").run()
    edit_groups(at, {1: {"members": 999}})
    at.switch_page("views/overview.py")
    at.run()
    assert not at.exception
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    s = scenario_of(at)
    assert (s.name, s.route, s.groups[1].members) == ("Skenario uji DPRD", "bpu_jht", 999)
    assert at.text_input(key="w.name").value == "Skenario uji DPRD"
    assert at.data_editor[0].value["members"].iloc[1] == 999   # back on the page: its first tab
    open_tab(at, "contribution")
    assert at.radio(key="w.route").value == "bpu_jht"
    assert metric(at, "Iuran per orang per bulan, 2026").value == "Rp 36.800"


def test_language_switch_changes_labels():
    at = open_page()
    assert at.title[0].value == "Susun skenario"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Build a scenario"
    labels = [m.label for m in at.metric]
    assert "PBI participants 2026" in labels and "APBD cost 2030" in labels
    assert [tab.label for tab in at.tabs][:2] == ["Worker groups", "Contribution"]
    open_tab(at, "contribution", "en")
    assert metric(at, "Contribution per person per month, 2026").value == "Rp 16,800"
    assert metric(at, "Per person per month, 2026").value == "Rp 16,800"
    assert at.radio(key="w.route").options[2].startswith("Wage earner")


def test_reset_restores_region_default():
    at = open_tab(open_page(), "contribution")
    default = scenario_of(at)
    at.radio(key="w.route").set_value("pu").run()
    assert scenario_of(at).route == "pu"
    assert not [b for b in at.button if b.key == "w.reset"]   # made only while its menu is open
    from views.scenario import RESET_MENU_KEY
    at.session_state[RESET_MENU_KEY] = True   # as a click on the menu does
    at.run()
    at.button(key="w.reset").click().run()
    assert not at.exception
    assert scenario_of(at).to_dict() == default.to_dict()
    assert at.radio(key="w.route").value == "bpu"


def test_compliance_pool_and_take_up_fall_as_the_method_states():
    """Formal workers not yet covered = potential workers × formal share × (1 − formal coverage); when the
    region pays 60 %, participants pay 40 % and take-up falls by elasticity × 40 %."""
    at = open_tab(open_page(), "budget")
    at.slider(key="w.city_share_pct").set_value(60).run()
    assert not at.exception
    s = scenario_of(at)
    assert s.city_share == pytest.approx(0.6)
    y0 = int(project(s, REGION).table["year"].iloc[0])
    growth = REGION.worker_growth_pct.value if s.worker_growth_pct is None else s.worker_growth_pct
    pool = REGION.potential_workers_in(y0, growth) * REGION.formal_share.value * (1 - REGION.formal_coverage.value)
    assert f"turun {fmt_pct(s.takeup_elasticity * 0.4 * 100, 'id', 0)}" in " ".join(c.value for c in at.caption)
    open_tab(at, "compliance")
    assert f"{y0}: {fmt_number(pool, 'id')} orang" in " ".join(c.value for c in at.caption)


def test_custom_base_year_input_indexes_from_its_own_year():
    """The own base gets a year: Rp2.000.000 set for 2025 at 5 % costs a 2026 participant JKK on Rp2.100.000."""
    at = open_tab(open_page(), "contribution")
    at.session_state["scenarios"] = {"pontianak": scenario_of(at).replace(
        base="custom", base_custom_idr=2_000_000, indexation_pct=5.0)}
    at.run()
    assert at.text_input(key="w.base_custom_year.id").value == "2026"   # unset: the scenario's first year
    at.text_input(key="w.base_custom_year.id").set_value("2025").run()
    assert not at.exception
    s = scenario_of(at)
    assert s.base_custom_year == 2025
    # BPU: JKK 1 % of Rp2.100.000 + JKM Rp6.800 = Rp27.800 a month in 2026
    assert project(s, REGION).table.iloc[0]["contribution_per_person_month_idr"] == pytest.approx(27_800)
