"""Comparing two saved scenarios (issue 13), in a real browser: two scenarios saved on Pustaka, one marked
"Jadikan acuan", then set side by side on Bandingkan. The numbers the grids show are the engine's for each saved
scenario, computed here from what the library holds; the baseline entry is the reference column and the differences
are taken from it.
"""

from __future__ import annotations

import pytest
from conftest import assert_no_error, heading, nav, shot, wait_idle
from playwright.sync_api import expect

from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, fmt_pp, t
from simulation import default_scenario, load_region, project
from storage.library import Library

pytestmark = pytest.mark.browser

REGION = load_region("pontianak")
SAVED = {"Rencana A uji banding": default_scenario().replace(city_share=0.6),
         "Rencana B uji banding": default_scenario().replace(route="bpu_jht")}
REFERENCE, OTHER = list(SAVED)


def grid(page, i: int) -> dict[str, dict[str, str]]:
    """Grid ``i`` on the page as the reader sees it: {row label: {column: text}}, read from the accessible copy of
    the canvas that st.dataframe keeps (spaces normalised: the page keeps numbers and units on one line)."""
    rows = page.locator("[data-testid=stDataFrame]").nth(i).evaluate(
        "g => [...g.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th, td')].map(c => c.innerText))")
    rows = [[" ".join(c.replace("\u00a0", " ").split()) for c in r] for r in rows if r]
    head, body = rows[0], rows[1:]
    return {r[0]: dict(zip(head[1:], r[1:], strict=True)) for r in body}


def engine_rows(p) -> dict[str, str]:
    fy, ly = int(p.table["year"].iloc[0]), int(p.table["year"].iloc[-1])
    return {t("compare.m_coverage", "id", year=ly): fmt_pct(float(p.final["coverage_pct"]), "id", 1),
            t("compare.m_coverage", "id", year=fy): fmt_pct(float(p.row(fy)["coverage_pct"]), "id", 1),
            t("compare.m_participants", "id", year=ly): fmt_number(float(p.final["pbi_participants"]), "id"),
            t("compare.m_cost_first", "id", year=fy): fmt_idr_short(float(p.table["cost_idr"].iloc[0]), "id"),
            t("compare.m_cost_total", "id", first=fy, last=ly): fmt_idr_short(float(p.table["cost_idr"].sum()), "id")}


def save(page, base_url: str, key: str, name: str) -> None:
    """Open the share link ``key`` (the scenario becomes the working one), then save it on Pustaka as ``name``."""
    page.goto(f"{base_url}/?s={key}")
    heading(page, t("overview.title", "id", region=REGION.name)).wait_for(timeout=30_000)
    wait_idle(page)
    nav(page, t("nav.library", "id"), t("library.title", "id"))
    page.locator("[data-testid=stForm] input[type=text]").first.fill(name)
    page.locator("[data-testid=stForm]").get_by_role("button", name=t("library.save", "id")).click()
    page.get_by_text(t("library.saved", "id", name=name)).first.wait_for(timeout=30_000)
    wait_idle(page)


@pytest.fixture
def lib(app_server):
    """The server's own library file; the entries this test saved are deleted afterwards (the browser tests share
    one server, and a baseline entry left behind would become every later Compare page's reference column)."""
    library = Library(app_server.data_dir / "scenarios.sqlite3")
    yield library
    for e in library.list("pontianak"):
        if e.name in SAVED:
            library.delete(e.id, force=True)


def test_two_saved_scenarios_side_by_side_against_the_baseline_entry(visit, lib):
    page = visit.page
    for name, scenario in SAVED.items():
        save(page, visit.base_url, lib.share(scenario), name)
        if name == REFERENCE:   # "Jadikan acuan" on the entry just saved
            page.locator("[data-testid=stSelectbox]").filter(has_text=t("library.choose", "id")).click()
            page.get_by_role("option", name=name, exact=True).click()
            wait_idle(page)
            page.get_by_role("button", name=t("library.set_baseline", "id")).click()
            page.get_by_text(t("library.baseline_done", "id")).first.wait_for(timeout=30_000)
            wait_idle(page)
    shot(page, "compare-saved-pustaka")

    nav(page, t("nav.compare", "id"), t("compare.page_title", "id", region=REGION.name))
    saved_box = page.locator("[data-testid=stMultiSelect]").filter(has_text=t("compare.choose_saved", "id"))
    tags = saved_box.locator(".react-aria-ComboBox [data-tag]")   # the chosen scenarios (a hidden copy sits in a <template>)
    saved_box.locator("input").first.focus()
    while tags.count():                     # the choice from scratch: none, then the other saved scenario
        saved_box.locator("input").first.press("Backspace")
        wait_idle(page)
    reference = t("compare.reference_col", "id", name=REFERENCE)
    expect(tags).to_have_count(0)
    expect(page.locator("[data-testid=stDataFrame]").first.locator("th").filter(has_text=REFERENCE)).to_have_count(1)
    expect(page.locator("[data-testid=stDataFrame]").first.locator("th").filter(has_text=OTHER)).to_have_count(0)
    saved_box.locator("input").first.focus()
    saved_box.locator("input").first.press("ArrowDown")   # opens the list of the saved scenarios not chosen
    page.locator("[role=option]").filter(has_text=OTHER).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.locator("[data-testid=stDataFrame]").first.locator("th").filter(has_text=OTHER)).to_have_count(1)
    assert_no_error(page, "compare")
    shot(page, "compare-saved")

    table, diffs = grid(page, 0), grid(page, 1)
    entries = {e.name: e for e in lib.list("pontianak")}
    assert entries[REFERENCE].is_baseline
    projections = {}
    for name, column in ((REFERENCE, reference), (OTHER, OTHER)):
        scenario, own_region = lib.open(entries[name].id)
        assert own_region is None and scenario.to_dict() | {"name": ""} == SAVED[name].to_dict() | {"name": ""}
        projections[name] = p = project(scenario, REGION)
        for label, text in engine_rows(p).items():
            assert table[label][column] == text, (column, label, table[label])
    # the differences are taken from the baseline entry: it has no column there, the other saved scenario has
    ly = int(projections[REFERENCE].table["year"].iloc[-1])
    coverage = t("compare.m_coverage", "id", year=ly)
    gap = float(projections[OTHER].final["coverage_pct"] - projections[REFERENCE].final["coverage_pct"])
    assert reference not in diffs[coverage] and diffs[coverage][OTHER] == fmt_pp(gap, "id", 1)
    expect(page.get_by_text(t("compare.diff_header", "id", name=reference))).to_be_visible()
