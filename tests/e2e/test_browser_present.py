"""Presentation mode on the projector: no editing interface, one heading (and from screen 2 a chart) per screen."""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_error, heading, shot, wait_idle
from playwright.sync_api import expect

from presentation import labels
from presentation.i18n import fmt_idr_short, fmt_pct, t
from simulation import default_scenario, load_region
from ui import model

pytestmark = pytest.mark.browser


def expected_titles() -> list[str]:
    """The six screen titles for the default Pontianak scenario, from the engine's figures."""
    region = load_region("pontianak")
    shown = labels.localized(default_scenario(), region, "id")
    p = model.project(shown, region)
    first = p.table.iloc[0]
    target = next(tg for tg in shown.targets if tg.year in set(p.table["year"]))
    return [
        t("present.s1_title", "id", region=region.name),
        t("present.s2_title", "id", year=target.year, pct=fmt_pct(p.row(target.year)["coverage_pct"], "id", 1)),
        t("present.s3_title", "id", cost=fmt_idr_short(first["cost_idr"], "id"), year=int(first["year"])),
        t("present.s4_title", "id", claims=fmt_idr_short(first["claims_idr"], "id")),
        t("present.s5_title", "id", target=target.name),
        t("present.s6_title", "id"),
    ]


def screen_title(page) -> str:
    return page.locator("[data-testid=stMain] h2").first.inner_text().strip()


def counter(page) -> tuple[int, int]:
    """(screen, screens) from the caption "Layar i dari n · ..."."""
    caption = page.get_by_text(re.compile(r"^Layar \d+ dari \d+")).first
    m = re.match(r"Layar (\d+) dari (\d+)", caption.inner_text())
    return int(m[1]), int(m[2])


def test_presentation_hides_the_sidebar_and_steps_through_every_screen(visit):
    page = visit.page
    titles = expected_titles()
    page.goto(visit.base_url + "/presentasi")
    page.locator("[data-testid=stMain] h2", has_text=titles[0]).wait_for()
    wait_idle(page)
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
    expect(page.locator("header[data-testid=stHeader]")).to_be_hidden()
    first, n = counter(page)
    assert first == 1 and n >= len(titles)

    nxt = page.get_by_role("button", name="Berikutnya")
    prev = page.get_by_role("button", name="Sebelumnya")
    expect(prev).to_be_disabled()
    seen = []
    for i in range(1, n + 1):
        expect(page.get_by_text(f"Layar {i} dari {n}")).to_be_visible()
        title = screen_title(page)
        assert title and title not in seen, (i, title, seen)
        seen.append(title)
        if i >= 2:   # from screen 2 a chart, drawn (Vega renders a canvas or an svg)
            page.locator("[data-testid=stVegaLiteChart]").first.locator("canvas, svg").first.wait_for()
        expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
        assert_no_error(page, title)
        wait_idle(page)
        shot(page, f"present-{i}")
        if i < n:
            nxt.click()
            expect(page.locator("[data-testid=stMain] h2").first).not_to_have_text(title)
    expect(nxt).to_be_disabled()
    # every message the council must hear, in order, with the engine's figures
    it = iter(seen)
    assert all(any(x == want for x in it) for want in titles), (titles, seen)

    # and back
    prev.click()
    expect(page.locator("[data-testid=stMain] h2").first).to_have_text(seen[-2])
    prev.click()
    expect(page.locator("[data-testid=stMain] h2").first).to_have_text(seen[-3])
    assert counter(page) == (n - 2, n)

    # leaving presentation mode brings the sidebar back
    page.get_by_role("link", name="Keluar").click()
    heading(page, "Ringkasan: Kota Pontianak").wait_for()
    expect(page.locator("[data-testid=stSidebar]")).to_be_visible()
    assert visit.outside_requests() == []
