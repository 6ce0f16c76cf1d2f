"""Projection page (views/projection.py) driven through the whole app with Streamlit's AppTest."""

from __future__ import annotations

import pytest
from apptest_helpers import drawn_charts, open_view
from streamlit.testing.v1 import AppTest

from presentation.i18n import fmt_idr, fmt_number, fmt_pct, t
from simulation.data import load_region
from simulation.projection import project
from simulation.scenario import default_scenario
from ui import state

PAGE = "views/projection.py"


def open_page(lang: str = "id", scenario=None, tables: bool = True) -> AppTest:
    """The page, with its year-by-year tables opened (they are made only while their expander is open)."""
    at = open_view(PAGE, lang, scenario)
    if tables:   # as a click on the expander does (its callback keeps it open across pages)
        at.session_state["projection.yearly"] = True
        at.session_state["projection.yearly_open"] = True
        at.run()
        assert not at.exception
    return at


def money_table(at: AppTest):
    tables = [d.value for d in at.dataframe if "cost" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def targets_table(at: AppTest, lang: str = "id"):
    """The targets table (Markdown, under its heading and above its note) as a data frame of its cells, unescaped."""
    import re

    import pandas as pd
    head = "| " + t("common.target", lang) + " |"
    tables = [m.value for m in at.markdown if "\n" + head in m.value]
    assert len(tables) == 1
    assert tables[0].startswith("### " + t("projection.targets_header", lang) + "\n\n")
    assert tables[0].endswith(":small[:gray[" + t("projection.targets_caption", lang) + "]]")
    lines = [x for x in tables[0].splitlines() if x.startswith("|")]
    rows = [[re.sub(r"\\(.)", r"\1", c.strip()) for c in line.strip().strip("|").split(" | ")]
            for line in lines if not line.startswith("|:") and not line.startswith("|-")]
    return pd.DataFrame(rows[1:], columns=rows[0])


def coverage_table(at: AppTest):
    tables = [d.value for d in at.dataframe if "scenario" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def chart_frames(at: AppTest) -> list[list]:
    """Each Vega-Lite chart on the page as the list of its inline data frames."""
    return [frames for _, frames in drawn_charts(at)]


@pytest.fixture(scope="module")
def engine():
    return project(default_scenario("id"), load_region("pontianak"))


@pytest.fixture(scope="module")
def page_id() -> AppTest:
    return open_page("id")



def _page_with(region, scenario) -> AppTest:
    """The Projection page drawn for Pontianak with this region data and this working scenario."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.session_state["regions"] = {"pontianak": region}
    at.session_state["scenarios"] = {"pontianak": scenario}
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    return at

def test_yearly_numbers_are_the_engines(page_id, engine):
    money = money_table(page_id)
    assert list(money["year"]) == [str(y) for y in engine.table["year"]]
    assert list(money["cost"]) == [fmt_idr(c, "id") for c in engine.table["cost_idr"]]
    assert list(money["claims"]) == [fmt_idr(c, "id") for c in engine.table["claims_idr"]]
    assert money["ratio"].iloc[0] == fmt_number(engine.table["claims_to_contributions"].iloc[0], "id", 2)
    cov = coverage_table(page_id)
    r = engine.table.iloc[-1]
    assert cov["scenario"].iloc[-1] == (f"{fmt_pct(r['coverage_pct'], 'id')} ({fmt_number(r['coverage_low_pct'], 'id', 1)}"
                                        f"–{fmt_number(r['coverage_high_pct'], 'id', 1)})")
    assert cov["participants"].iloc[0] == fmt_number(engine.table["pbi_participants"].iloc[0], "id")


def test_targets_table_probabilities_are_the_engines(page_id, engine):
    table = targets_table(page_id)
    with_col, without_col = t("projection.col_prob_scenario", "id"), t("projection.col_prob_baseline", "id")
    assert list(table[with_col]) == [fmt_pct(100 * p, "id", 0) for p in engine.targets["probability"]]
    assert list(table[without_col]) == [fmt_pct(100 * p, "id", 0) for p in engine.targets["probability_baseline"]]
    assert list(table[t("common.target", "id")])[0] == "Target kota 2026"
    raw = next(m.value for m in page_id.markdown if "\n| " + t("common.target", "id") + " |" in m.value)
    lines = [x for x in raw.splitlines() if x.startswith("|")]
    assert lines[1] == "|:---|:---|" + "|".join(["---:"] * 6) + "|"   # figures right-aligned


def test_page_has_charts_notes_and_download(page_id, engine):
    frames = chart_frames(page_id)
    assert len(frames) == 3                           # fan, cost by group, claims
    fan = next(f for f in frames[0] if "series" in f.columns)
    assert {"history", "baseline", "scenario"} <= set(fan["series"])
    cost = next(f for f in frames[1] if "group" in f.columns)
    assert abs(cost[cost["year"] == 2026]["cost_idr"].sum() - engine.table["cost_idr"].iloc[0]) < 1
    texts = " ".join(m.value for m in page_id.markdown) + " ".join(i.value for i in page_id.info)
    assert "Rp 0,54" in texts                         # claims per Rp 1 sentence
    assert "Riwayat data pendek" in texts             # short history explained
    captions = " ".join(c.value for c in page_id.caption)
    assert "8,6" in captions and "Asumsi" in captions  # Pontianak 2025 actual, assumption badge
    # the record beside the model, computed from the region file's record: 8,6 x against 0,54 x, about 15,8 times
    assert "Rp 356 juta" in captions and "Rp 3,06 miliar" in captions and "0,54 kali" in captions
    assert "15,8 kali" in captions and "faktakalbar" in captions
    # and whether that is plausible: 3,2 % a year is 4,7 times Indonesia's crude death rate of 0,68 %
    assert "3,2 % peserta per tahun, 4,7 kali angka kematian kasar Indonesia (0,68 % per tahun; CIA World " \
        "Factbook 2024, 2024-07-01; kepastian M)" in captions
    assert "di atas yang wajar bagi kelompok dewasa berusia sekitar 40–65 tahun" in captions
    # every file is offered in a menu made when it opens: the tables' menu (CSV, Excel, notebook), each chart's
    assert [d.label for d in page_id.get("download_button")] == []
    menu = state.view_key("dl.tables.menu")
    assert page_id.session_state[menu] is False
    page_id.session_state[menu] = True
    page_id.run()
    labels = [d.label for d in page_id.get("download_button")]
    assert labels == [t("common.download_csv", "id"), "Unduh tabel (Excel)", t("widgets.notebook", "id")]
    assert all(d.proto.deferred_file_id and d.proto.ignore_rerun for d in page_id.get("download_button"))
    page_id.session_state[menu] = False
    page_id.run()


def test_record_beside_the_model_follows_the_record_and_the_incidence():
    """Nothing hard-coded: a region without a record shows no record; a doubled incidence halves the multiple."""
    import dataclasses

    head = t("projection.record_vs_model", "id").split("{")[0]
    region = load_region("pontianak")
    doubled = default_scenario("id")
    doubled = doubled.replace(jkm_incidence=2 * doubled.jkm_incidence, jkk_incidence=2 * doubled.jkk_incidence)
    for reg, scenario, expect in ((dataclasses.replace(region, scheme_record=()), default_scenario("id"), None),
                                  (region, doubled, "7,9 kali")):
        at = _page_with(reg, scenario)
        records = [c.value for c in at.caption if c.value.startswith(head)]
        assert (records == []) if expect is None else (len(records) == 1 and expect in records[0])


def test_every_chart_exports_from_its_download_menu():
    """Each chart has a closed "Unduh" menu; opened, it offers PNG, SVG, PDF and CSV (the files themselves:
    tests/test_exports.py and the browser walk in tests/e2e/test_browser_offline.py)."""
    at = open_page("id")
    menus = [k for k in map(state.view_key, ("dl.cakupan.menu", "dl.biaya-kelompok.menu", "dl.klaim.menu"))
             if k in at.session_state]
    assert len(menus) == 3 and not any(at.session_state[k] for k in menus)
    for k in menus:
        at.session_state[k] = True
    at.run()
    assert not at.exception
    labels = [d.label for d in at.get("download_button")]
    assert labels.count("PNG") == labels.count("SVG") == labels.count("PDF") == labels.count("CSV") == 3
    assert all(d.proto.deferred_file_id and d.proto.ignore_rerun for d in at.get("download_button")
               if d.label in ("PNG", "SVG", "PDF", "CSV"))   # built on click, and a click does not rerun


def test_changed_scenario_changes_the_numbers(engine):
    changed = default_scenario("id").replace(route="bpu_jht").with_group("street_vendors", in_scope=True)
    at = open_page("id", changed)
    expected = project(changed, load_region("pontianak"))
    money = money_table(at)
    assert money["cost"].iloc[0] == fmt_idr(expected.table["cost_idr"].iloc[0], "id")
    assert money["cost"].iloc[0] != fmt_idr(engine.table["cost_idr"].iloc[0], "id")
    prob = targets_table(at)[t("projection.col_prob_scenario", "id")]
    assert list(prob) == [fmt_pct(100 * p, "id", 0) for p in expected.targets["probability"]]
    # round trip: overview and back keeps the scenario and the numbers
    at.switch_page("views/overview.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert money_table(at)["cost"].iloc[0] == fmt_idr(expected.table["cost_idr"].iloc[0], "id")


def test_english_labels_and_numbers(engine):
    at = open_page("en")
    assert at.title[0].value == "Projection: Kota Pontianak"
    assert t("projection.col_prob_scenario", "en") in targets_table(at, "en").columns
    assert money_table(at)["cost"].iloc[0] == fmt_idr(engine.table["cost_idr"].iloc[0], "en")
    assert "," in money_table(at)["cost"].iloc[0]
    assert any("Short history" in i.value for i in at.info)
    assert f"### {t('projection.targets_header', 'en')}\n" in " ".join(m.value for m in at.markdown)
    assert t("projection.targets_header", "en") != t("projection.targets_header", "id")


def test_scenario_without_groups_says_so():
    s = default_scenario("id")
    empty = s.replace(groups=[g.__class__(**{**g.__dict__, "in_scope": False}) for g in s.groups])
    at = open_page("id", empty)
    assert any(i.value == t("projection.no_groups", "id") for i in at.info)


def _chart_specs(at: AppTest) -> list[str]:
    return [spec for spec, _ in drawn_charts(at)]


def test_quick_lever_edits_the_scenario_and_every_chart_follows_in_place():
    """The regional-share slider on the Projection page: the working scenario changes, the tables and all three
    charts carry the new numbers, and each chart's spec is unchanged (only its tables are new), which is what
    lets the browser update the drawn chart in place instead of embedding it again."""
    at = open_page("id")
    region = load_region("pontianak")
    before_specs, before_frames = _chart_specs(at), chart_frames(at)
    slider = at.slider(key="w.city_share_pct")
    assert slider.value == 100
    slider.set_value(60).run()
    assert not at.exception
    scenario = at.session_state["scenarios"]["pontianak"]
    assert scenario.city_share == pytest.approx(0.6)
    engine = project(scenario, region)
    assert list(money_table(at)["cost"]) == [fmt_idr(c, "id") for c in engine.table["cost_idr"]]
    after_frames = chart_frames(at)
    assert _chart_specs(at) == before_specs
    for old, new in zip(before_frames, after_frames, strict=True):
        assert any(not a.equals(b) for a, b in zip(old, new, strict=True))   # every chart got new numbers
    fan = next(f for f in after_frames[0] if "series" in f.columns)
    last = fan[(fan["series"] == "scenario") & (fan["year"] == engine.table["year"].iloc[-1])]
    assert last["median"].iloc[0] == pytest.approx(engine.table["coverage_pct"].iloc[-1])
    # the same value on the Scenario page (one key, seeded from the scenario), on its budget tab. AppTest forgets
    # the app's pages after a rerun of fragments only (ui/live.py), so a full run first, as any page switch is
    from views.scenario import TAB_KEY
    at.session_state[TAB_KEY] = t("scenario.tab_budget", "id")
    at.run()
    at.switch_page("views/scenario.py").run()
    assert at.slider(key="w.city_share_pct").value == 60


def test_fan_axis_follows_the_data_through_the_extent_table(page_id, engine):
    """The y axis has no fixed domain in the spec: an invisible table holds its two ends, below the lowest and
    above the highest value shown (targets included), so a new scenario moves the axis with the data."""
    import json
    spec = json.loads(_chart_specs(page_id)[0])
    assert "domain" not in json.dumps(spec["layer"][0]["encoding"]["y"]["scale"])
    fan_frames = chart_frames(page_id)[0]
    extent = next(f for f in fan_frames if list(f.columns) == ["y"])
    fan = next(f for f in fan_frames if "series" in f.columns)
    lo, top = extent["y"].min(), extent["y"].max()
    assert lo <= fan[["median", "low95"]].min().min() and top >= fan[["median", "high95"]].max().max()
    assert top >= max(tg.coverage_pct for tg in engine.scenario.targets if tg.year <= engine.table["year"].max())


def test_year_by_year_tables_are_made_only_while_their_expander_is_open():
    """Closed (the default), the expander holds nothing and the page sends no table grid for it; opened, it
    holds the coverage and money tables, and stays open across a page round trip."""
    at = open_page("id", tables=False)
    assert not at.session_state["projection.yearly"]
    assert not [d for d in at.dataframe if "cost" in d.value.columns or "participants" in d.value.columns]
    assert len(at.dataframe) == 0                      # no grid at all
    at.session_state["projection.yearly"] = True
    at.session_state["projection.yearly_open"] = True   # what the expander's callback records
    at.run()
    assert len(money_table(at)) == len(coverage_table(at)) == 5
    at.switch_page("views/overview.py").run()
    at.switch_page(PAGE).run()
    assert at.session_state["projection.yearly"] and len(money_table(at)) == 5


def test_method_notes_leave_out_by_code_what_the_page_says_in_its_own_sentences():
    """The short history and the binding cap have sentences of their own; the engine's other warnings are listed
    under the method in the reader's language. The page picks and translates them by the engine's warning codes,
    never by the English text."""
    import dataclasses

    region = load_region("pontianak")
    gap = dataclasses.replace(region, coverage_history=(region.coverage_history[0], region.coverage_history[2]))
    capped = default_scenario("id").replace(budget_cap_idr=1e8)
    p = project(capped, gap)   # 2023 and 2025 only: a short history, two points, a gap; and a cap that binds
    assert p.warning_codes == ("short_history", "two_points", "history_gaps", "budget_capped")
    assert len(p.warning_codes) == len(p.warnings)
    at = _page_with(gap, capped)
    assert not [c for c in at.caption if c.value.startswith("⚠️ ")]   # made only while the method is open
    at.session_state[state.view_key("projection.method")] = True   # as a click on the expander does
    at.run()
    notes = [c.value for c in at.caption if c.value.startswith("⚠️ ")]
    assert notes == ["⚠️ " + t("projection.warning_two_points", "id"), "⚠️ " + t("projection.warning_history_gaps", "id")]
    assert not any(text in " ".join(notes) for text in p.warnings)   # no English sentence of the engine
    assert any("2026" in w.value for w in at.warning)   # the cap's own sentence


@pytest.mark.parametrize(("implied", "level", "words"), [
    (0.0068, "within", "plausible for this cohort"),               # exactly the crude rate: within it
    (0.0069, "above_crude", "possible for a cohort aged about 40–65"),
    (3 * 0.0068, "above_crude", "3.0 times"),                      # three times still possible
    (0.0205, "implausible", "likely cover more people than the PBI cohort"),
])
def test_record_death_rate_is_judged_against_the_published_crude_death_rate(implied, level, words):
    """The record's implied death rate against mortality.crude_death_rate (0.68 %, data/parameters.yaml): at most
    the crude rate is plausible, up to three times it possible for a cohort of 40-65, beyond that not."""
    from presentation import summaries

    assert summaries.record_death_level(implied)[0] == level
    assert summaries.record_death_level(implied)[1] == pytest.approx(implied / 0.0068)
    text = summaries.record_death_plausibility(implied, "en")
    assert words in text and "0.68%" in text and "certainty M" in text
