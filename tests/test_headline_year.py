"""The headline year of the scheme (issue 12): the first projected year in which the scheme runs, else the first
projected year when nothing runs within the horizon; never a year before the scheme that shows a zero budget by
accident. One function chooses it (presentation.summaries.scheme_year); the Overview, the Scenario page, the
Presentation mode, the report (deck, brief) and the workbook name the same year."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest
from apptest_helpers import REPO
from streamlit.testing.v1 import AppTest

from presentation import exports, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_number, t
from simulation.data import load_region
from simulation.projection import project
from simulation.scenario import default_scenario
from simulation.sourced import YearValue

PONTIANAK = load_region("pontianak")


def history_until(year: int):
    """Pontianak with a coverage record that ends in ``year`` (two points: the minimum for a projection)."""
    points = tuple(YearValue(value=v, source="test record", certainty="M", year=y)
                   for y, v in ((year - 1, 37.0), (year, 38.35)))
    return dataclasses.replace(PONTIANAK, coverage_history=points)


def _project(scenario, region=PONTIANAK):
    return project(scenario, region)


def test_a_history_ending_before_the_scheme_starts_keeps_the_scheme_year():
    region = history_until(2023)          # projected from 2024; the agreement starts in 2026
    p = _project(default_scenario(), region)
    assert [int(y) for y in p.table["year"]][:3] == [2024, 2025, 2026]
    assert summaries.scheme_year(p) == 2026
    row = summaries.scheme_row(p)
    assert int(row["year"]) == 2026 and row["pbi_participants"] > 0 and row["cost_idr"] > 0


def test_the_first_group_to_start_sets_the_year():
    s = default_scenario()
    s = s.replace(groups=[dataclasses.replace(g, start_year=2028 if g.id == "rt_heads" else 2029)
                          for g in s.groups])
    assert summaries.scheme_year(_project(s)) == 2028


def test_groups_out_of_scope_or_empty_do_not_run():
    s = default_scenario()
    groups = [dataclasses.replace(g, start_year=2026 if not g.in_scope else 2027) for g in s.groups]
    groups = [dataclasses.replace(g, members=0) if g.id == "rt_heads" else g for g in groups]
    groups = [dataclasses.replace(g, start_year=2026) if g.id == "rt_heads" else g for g in groups]
    # in scope: rt_heads (no members, from 2026) and the others from 2027; out of scope: from 2026
    assert summaries.scheme_year(_project(s.replace(groups=groups))) == 2027


def test_nothing_runs_the_first_projected_year():
    s = default_scenario()
    none = s.replace(groups=[dataclasses.replace(g, in_scope=False) for g in s.groups])
    assert summaries.scheme_year(_project(none)) == 2026
    assert summaries.scheme_year(_project(s.replace(groups=[]))) == 2026
    late = s.replace(groups=[dataclasses.replace(g, start_year=2035) for g in s.groups])   # after the horizon
    assert summaries.scheme_year(_project(late)) == 2026
    region = history_until(2023)
    assert summaries.scheme_year(_project(s.replace(groups=[]), region)) == 2024


def test_a_record_past_the_start_headlines_the_first_projected_year():
    region = history_until(2027)          # recorded up to 2027: the scheme (from 2026) runs in every projected year
    p = _project(default_scenario().replace(horizon_year=2031), region)
    assert summaries.scheme_year(p) == 2028


@pytest.fixture(scope="module")
def late_record():
    """The app's working scenario on a region whose record ends in 2023 (the agreement from 2026)."""
    region = history_until(2023)
    scenario = labels.starting_scenario(region, "id")
    return region, scenario, _project(scenario, region)


def _open(page: str, region, scenario) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.session_state["regions"] = {region.id: region}
    at.session_state["scenarios"] = {region.id: scenario}
    at.switch_page(page)
    at.run()
    assert not at.exception and not at.error
    return at


def test_overview_names_the_scheme_year_with_its_numbers(late_record):
    region, scenario, p = late_record
    row = p.row(2026)
    values = {m.label: m.value for m in _open("views/overview.py", region, scenario).metric}
    assert values[t("overview.pbi_participants", "id", year=2026)] == fmt_number(row["pbi_participants"], "id")
    assert values[t("overview.cost", "id", year=2026)] == fmt_idr_short(row["cost_idr"], "id")
    assert t("overview.pbi_participants", "id", year=2024) not in values
    assert row["pbi_participants"] > 0


def test_scenario_page_names_the_scheme_year(late_record):
    region, scenario, p = late_record
    labels_shown = [m.label for m in _open("views/scenario.py", region, scenario).metric]
    assert t("scenario.m_participants", "id", year=2026) in labels_shown
    assert t("scenario.m_cost", "id", year=2026) in labels_shown
    assert t("scenario.m_participants", "id", year=2024) not in labels_shown


def test_report_and_workbook_name_the_scheme_year(late_record):
    from ui import model

    region, scenario, p = late_record
    rep = model.report(scenario, region, "id")
    row = p.row(2026)
    assert rep.scenario.first_year == 2026
    assert fmt_idr_short(row["cost_idr"], "id") in rep.cost.title and "2026" in rep.cost.title
    assert any("2026" in f and fmt_idr_short(row["cost_idr"], "id") in f for f in rep.scenario.facts)
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(p, "id")))
    items = {r[0]: r[1] for r in wb[wb.sheetnames[0 if "Skenario" not in wb.sheetnames else
                                                     wb.sheetnames.index("Skenario")]].iter_rows(values_only=True)}
    assert items[t("exports.setting.contribution_month", "id")] == pytest.approx(
        float(row["contribution_per_person_month_idr"]))


def test_compare_rows_of_the_first_year_are_the_scheme_years(late_record):
    region, scenario, p = late_record
    rows = {m.key: m for m in summaries.compare_metrics([p], p)}
    assert rows["compare.m_cost_first"].params == {"year": "2026"}
    assert rows["compare.m_cost_first"].values == [None, pytest.approx(float(p.row(2026)["cost_idr"]))]
    assert rows["compare.m_share"].params == {"year": "2026"}
    assert rows["compare.m_cost_total"].params == {"first": "2024", "last": "2030"}   # totals: every projected year
