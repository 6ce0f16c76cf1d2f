"""Compare page (views/compare.py) with the scenario library (issue 13): saved scenarios chosen beside the working
one (at most four), the library's baseline entry as the reference column, the empty states, an entry computed on
its own stored region data, and entries that cannot be shown. Each test has a library of its own."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest
from apptest_helpers import drawn_charts, open_view

from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from simulation.data import load_region
from simulation.projection import project
from simulation.scenario import default_scenario
from ui import compare_sources, state

PAGE = "views/compare.py"
NBSP = "\u00a0"
REGION = load_region("pontianak")
A = default_scenario().replace(city_share=0.6)            # the baseline entry ("Jadikan acuan")
B = default_scenario().replace(route="bpu_jht")
C = default_scenario().replace(city_share=0.8)


@pytest.fixture
def lib(tmp_path, monkeypatch):
    """An empty library of the test's own (the app's library is one per process: cleared before and after)."""
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    yield state.library()
    state.library.clear()


def shown(kind: str, v, lang: str = "id") -> str:
    text = {"pct": lambda: fmt_pct(v, lang, 1), "count": lambda: fmt_number(v, lang),
            "idr": lambda: fmt_idr_short(v, lang), "pp": lambda: fmt_pp(v, lang, 1)}[kind]()
    return text.replace(" ", NBSP)


def engine_column(p) -> dict[str, str]:
    """What the side-by-side table must show for projection ``p`` (Indonesian labels and numbers)."""
    fy, ly = int(p.table["year"].iloc[0]), int(p.table["year"].iloc[-1])
    return {t("compare.m_coverage", "id", year=ly): shown("pct", float(p.final["coverage_pct"])),
            t("compare.m_participants", "id", year=ly): shown("count", float(p.final["pbi_participants"])),
            t("compare.m_cost_first", "id", year=fy): shown("idr", float(p.table["cost_idr"].iloc[0])),
            t("compare.m_cost_total", "id", first=fy, last=ly): shown("idr", float(p.table["cost_idr"].sum()))}


def test_no_saved_scenario_says_so_and_links_to_the_library(lib):
    at = open_view(PAGE)
    assert [i.value for i in at.info] == [t("compare.no_saved", "id", region="Kota Pontianak")]
    links = at.get("page_link")
    assert len(links) == 1 and links[0].proto.page == "pustaka"
    assert links[0].proto.label == t("compare.to_library", "id")
    assert [m.label for m in at.multiselect] == [t("compare.choose_variants", "id")]   # no saved-scenario box
    # every variant by default, the working scenario as the reference (grey) column
    table = at.dataframe[0].value
    assert len(table.columns) == 5 and not any(c.startswith("Acuan") for c in table.columns)
    assert any(t("compare.diff_header", "id", name=md_escape(table.columns[1])) in m.value for m in at.markdown)


def test_saved_scenarios_without_a_baseline_say_so_and_are_compared_with_the_working_one(lib):
    lib.save(B, "Rencana B")
    at = open_view(PAGE)
    assert [i.value for i in at.info] == [t("compare.no_baseline", "id", region="Kota Pontianak")]
    assert at.get("page_link")[0].proto.page == "pustaka"
    box = at.multiselect(key="w.compare_saved")
    assert box.options == ["Rencana B"] and box.value == [lib.list("pontianak")[0].id]
    table = at.dataframe[0].value
    working = default_scenario().name
    assert list(table.columns) == [t("common.baseline", "id"), working, "Rencana B"]
    assert at.dataframe[1].value.columns.tolist() == ["Rencana B"]   # differences from the working scenario
    for label, text in engine_column(project(B, REGION)).items():
        assert table.loc[label, "Rencana B"] == text


def test_the_baseline_entry_is_the_reference_column_and_the_numbers_are_the_engines(lib):
    a = lib.save(A, "Rencana A")
    lib.save(B, "Rencana B")
    lib.set_baseline(a)
    at = open_view(PAGE)
    assert not at.info and not at.get("page_link")
    ref = t("compare.reference_col", "id", name="Rencana A")
    table, diffs = at.dataframe[0].value, at.dataframe[1].value
    working = default_scenario().name
    assert list(table.columns) == [t("common.baseline", "id"), ref, working, "Rencana B"]
    pa, pb, pw = project(A, REGION), project(B, REGION), project(default_scenario(), REGION)
    for col, p in ((ref, pa), ("Rencana B", pb), (working, pw)):
        for label, text in engine_column(p).items():
            assert table.loc[label, col] == text, (col, label)
    # the reference column is pinned beside the labels, the others scroll
    config = json.loads(at.dataframe[0].proto.columns)
    assert [c for c, v in config.items() if v.get("pinned")] == ["_index", ref]
    # differences are taken from the baseline entry: it has no column of its own there
    assert list(diffs.columns) == [working, "Rencana B"]
    ly = int(pa.table["year"].iloc[-1])
    cov = t("compare.m_coverage", "id", year=ly)
    assert diffs.loc[cov, working] == shown("pp", float(pw.final["coverage_pct"] - pa.final["coverage_pct"]))
    assert diffs.loc[cov, "Rencana B"] == shown("pp", float(pb.final["coverage_pct"] - pa.final["coverage_pct"]))
    assert any(t("compare.diff_header", "id", name=md_escape(ref)) in m.value for m in at.markdown)
    # the chart draws the same columns, the reference first (its line is the highlighted one)
    lines = next(f for f in drawn_charts(at)[0][1] if "name" in f.columns)
    assert list(dict.fromkeys(lines["name"])) == list(table.columns)
    assert set(lines.loc[lines["is_ref"], "name"]) == {ref}
    # the same in English
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert t("compare.reference_col", "en", name="Rencana A") in at.dataframe[0].value.columns


def test_at_most_four_saved_scenarios_newest_by_default_and_the_choice_survives_a_page_switch(lib):
    ids = [lib.save(default_scenario().replace(city_share=0.5 + 0.05 * k), f"Rencana {k}") for k in range(6)]
    at = open_view(PAGE)
    box = at.multiselect(key="w.compare_saved")
    assert box.proto.max_selections == compare_sources.MAX_SAVED == 4
    assert box.value == ids[2:]                            # the four newest
    assert at.multiselect(key="w.compare").value == [0]    # beside the working scenario only
    assert list(at.dataframe[0].value.columns)[2:] == [f"Rencana {k}" for k in range(2, 6)]
    box.unselect(ids[3]).select(ids[0]).run()
    assert not at.exception
    assert at.session_state["compare_saved"]["pontianak"] == [ids[0], ids[2], ids[4], ids[5]]
    at.switch_page("views/overview.py").run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key="w.compare_saved").value == [ids[0], ids[2], ids[4], ids[5]]
    assert list(at.dataframe[0].value.columns)[2:] == ["Rencana 0", "Rencana 2", "Rencana 4", "Rencana 5"]
    # nothing at all chosen: the page asks for a choice
    at.multiselect(key="w.compare_saved").set_value([]).run()
    at.multiselect(key="w.compare").set_value([]).run()
    assert any(i.value == t("compare.none_chosen", "id") for i in at.info) and not at.dataframe


def test_an_entry_with_its_own_region_data_is_computed_on_them_and_labelled(lib):
    doubled = dataclasses.replace(REGION, apbd=tuple(dataclasses.replace(y, value=y.value * 2) for y in REGION.apbd))
    a = lib.save(A, "Rencana A", region=doubled)
    lib.save(B, "Rencana B")               # no region data: computed on the session's, no mark
    lib.set_baseline(a)
    at = open_view(PAGE)
    ref = t("compare.own_region_col", "id", name=t("compare.reference_col", "id", name="Rencana A"))
    table = at.dataframe[0].value
    working = default_scenario().name
    # the first column after "no new policy" is one computed on the session's region data (its trend fills that)
    assert list(table.columns) == [t("common.baseline", "id"), working, ref, "Rencana B"]
    share = t("compare.m_share", "id", year=2026)
    own, usual = project(A, doubled), project(A, REGION)
    assert table.loc[share, ref] == fmt_pct(float(own.table["cost_share_apbd_pct"].iloc[0]), "id", 3).replace(" ", NBSP)
    assert table.loc[share, ref] != fmt_pct(float(usual.table["cost_share_apbd_pct"].iloc[0]), "id", 3).replace(
        " ", NBSP)
    assert any(t("compare.own_region_note", "id", names=f"«{md_escape(ref)}»") == c.value for c in at.caption)
    # the same region data in the session (the user's edit still in place): nothing to mark
    at.session_state["regions"] = {"pontianak": doubled}
    at.run()
    assert t("compare.reference_col", "id", name="Rencana A") in at.dataframe[0].value.columns
    assert ref not in at.dataframe[0].value.columns


def test_an_entry_that_cannot_be_opened_or_covers_other_years_is_named_and_left_out(lib):
    a = lib.save(A, "Rencana A")
    bad = lib.save(B, "Rencana rusak")
    lib.save(C.replace(horizon_year=2032), "Rencana panjang")
    lib.set_baseline(a)
    with sqlite3.connect(lib.path) as con:   # altered outside the app: the stored hash no longer matches
        row = json.loads(con.execute("SELECT json FROM scenarios WHERE id = ?", (bad,)).fetchone()[0])
        row["city_share"] = 0.1
        con.execute("UPDATE scenarios SET json = ? WHERE id = ?", (json.dumps(row), bad))
    at = open_view(PAGE)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith(t("compare.entry_problem", "id", name="Rencana rusak", problem="")) for w in warnings)
    assert t("compare.other_years", "id", name="Rencana panjang", first=2026, last=2032, cfirst=2026,
             clast=2030) in warnings
    cols = list(at.dataframe[0].value.columns)
    assert "Rencana rusak" not in cols and "Rencana panjang" not in cols
    assert t("compare.reference_col", "id", name="Rencana A") in cols


def test_column_names_stay_distinct_and_within_a_scenario_name():
    saved = compare_sources.Saved(entry=None, scenario=A, region=REGION, own_region=True)
    long = dataclasses.replace(saved, entry=type("E", (), {"name": "x" * 120})())
    name = compare_sources.column_name(long, "id", reference=True)
    assert len(name) <= 120 - 6 and name.endswith(t("compare.own_region_col", "id", name=""))
    assert name.startswith(t("compare.reference_col", "id", name="xxx")) and "…" in name
    assert compare_sources.unique_names(["A", "A", "B"], {"B"}) == ["A", "A (2)", "B (2)"]


def test_the_verdict_names_only_scenarios_that_carry_the_reference_target(lib):
    """The sentence answers the reference's first target; a cheaper saved scenario without that target (so without
    a computed chance of reaching it) is not named, and the page does not fail on it."""
    easy = [dataclasses.replace(tg, coverage_pct=40.0) if tg.id == "city_2026" else tg for tg in A.targets]
    a = lib.save(A.replace(targets=easy), "Rencana A")
    lib.save(A.replace(targets=(), city_share=0.5), "Tanpa target")
    lib.set_baseline(a)
    at = open_view(PAGE)
    table = at.dataframe[0].value
    assert "Tanpa target" in table.columns
    assert len(at.success) == 1 and "«Tanpa target»" not in at.success[0].value


def test_an_entry_whose_region_data_cannot_be_projected_is_named_and_left_out(lib):
    """Saved with region data the engine refuses (one year of coverage history): the page names the entry and says
    why, and compares the rest."""
    thin = dataclasses.replace(REGION, coverage_history=REGION.coverage_history[:1])
    lib.save(B, "Rencana tipis", region=thin)
    lib.save(C, "Rencana C")
    at = open_view(PAGE)
    named = md_escape(t("compare.own_region_col", "id", name="Rencana tipis"))
    assert any(w.value.startswith(t("compare.entry_problem", "id", name=named, problem="")) and "belum cukup"
               in w.value for w in at.warning), [w.value for w in at.warning]
    cols = list(at.dataframe[0].value.columns)
    assert "Rencana C" in cols and not any(c.startswith("Rencana tipis") for c in cols)
