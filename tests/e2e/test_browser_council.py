"""Before a council meeting (issue 13): presentation mode on a 1280 × 720 projector driven by a clicker, work that
survives a reload (F5), key figures readable on an 800-pixel tablet, a printout without the editing interface and
the page's language attribute.

A 1280 × 720 projector shows about 620 px of page under the browser's bars: the viewport here is 1280 × 620.
"""

from __future__ import annotations

import re

import pytest
from conftest import assert_no_error, choose_route, heading, nav, open_page, shot, sidebar_identity, wait_idle
from playwright.sync_api import expect

from presentation.i18n import t
from simulation import default_scenario

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 620}
TABLET = {"width": 800, "height": 1000}
JHT = default_scenario().replace(route="bpu_jht")
#: screens whose chart shows one series (no legend to show): the cost curve and the tornado
ONE_SERIES = {t("present.s5_title", "id", target="Target kota 2026"), t("present.s6_title", "id"),
              t("present.s5_title", "en", target="City target 2026"), t("present.s6_title", "en")}


COUNTER = {"id": r"Layar (\d+) dari (\d+)", "en": r"Screen (\d+) of (\d+)"}
MONTHS = {"id": "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember",
          "en": "January|February|March|April|May|June|July|August|September|October|November|December"}


def screen(page, lang: str = "id") -> tuple[int, int]:
    """(screen, screens) from the caption "Layar i dari n · ..." ("Screen i of n")."""
    caption = page.get_by_text(re.compile("^" + COUNTER[lang])).first
    m = re.match(COUNTER[lang], caption.inner_text())
    return int(m[1]), int(m[2])


def at_screen(page, lang: str, i: int, n: int):
    """The caption saying screen ``i`` of ``n`` (for ``expect``)."""
    return page.get_by_text(re.compile("^" + COUNTER[lang].replace(r"(\d+)", str(i), 1).replace(r"(\d+)", str(n))))


def title(page) -> str:
    return page.locator("[data-testid=stMain] h2").first.inner_text().strip()


def drawn_chart(page):
    """The screen's chart once Vega drew it: its element and the legend's box (Vega's SVG or canvas scenegraph)."""
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.locator("canvas, svg").first.wait_for()
    wait_idle(page)
    return chart


def legend_box(page) -> dict | None:
    """The box (page px) around the chart's legends, as Vega drew them (``<g class="role-legend">`` in its SVG),
    and the chart's own box; None when the chart has no legend."""
    return page.evaluate("""() => {
        const host = document.querySelector('[data-testid=stVegaLiteChart]');
        const legends = [...host.querySelectorAll('.role-legend')].map(g => g.getBoundingClientRect());
        if (!legends.length) return null;
        const chart = host.getBoundingClientRect();
        return {bottom: Math.max(...legends.map(r => r.bottom)), right: Math.max(...legends.map(r => r.right)),
                chart_right: chart.right};
    }""")


@pytest.fixture
def projector(visit):
    visit.page.set_viewport_size(PROJECTOR)
    return visit


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_presentation_screen_fits_the_projector_and_the_clicker_moves(projector, lang):
    page = projector.page
    if lang == "id":
        page.goto(projector.base_url + "/presentasi")
    else:   # the language is the session's: choose it, then open presentation mode from the sidebar
        open_page(page, projector.base_url + "/", "Ringkasan: Kota Pontianak")
        page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        heading(page, "Overview").wait_for()
        wait_idle(page)
        page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(
            has_text=t("nav.present", "en")).first.click()
    at_screen(page, lang, 1, r"\d+").wait_for()
    wait_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    first, n = screen(page, lang)
    assert first == 1 and n >= 5
    assert re.search(rf"\b\d{{1,2}} ({MONTHS[lang]}) \d{{4}}\b",
                     page.locator("[data-testid=stMain]").inner_text())   # "4 Desember 2026", not 03-12-2026
    expect(page.get_by_text(t("present.keys_hint", lang))).to_be_visible()   # F11 and the keys, on screen
    titles = []
    for i in range(1, n + 1):
        assert screen(page, lang) == (i, n)
        titles.append(title(page))
        chart = drawn_chart(page)
        shot(page, f"council-present-{lang}-{i}")
        box = chart.bounding_box()
        # the whole chart (title, plot, x axis, legend) and everything else on the screen above the fold
        assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], (i, titles[-1], box)
        legend = legend_box(page)
        if titles[-1] not in ONE_SERIES:
            assert legend is not None, (i, titles[-1], "no legend drawn")
        if legend is not None:   # the whole legend: above the fold and not cut at the right
            assert legend["bottom"] <= PROJECTOR["height"] and legend["right"] <= legend["chart_right"] + 1, \
                (i, titles[-1], legend)
        assert page.evaluate("document.documentElement.scrollHeight") <= PROJECTOR["height"] + 1, (i, titles[-1])
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] text')]
            .map(e => e.textContent).filter(s => s.endsWith('…'))""")
        assert cut == [], (i, cut)   # no title, label or legend entry cut short by Vega
        assert_no_error(page, titles[-1])
        if i < n:   # the clicker: →, PageDown and space each move one screen on
            page.keyboard.press(["ArrowRight", "PageDown", "Space"][i % 3])
            expect(at_screen(page, lang, i + 1, n)).to_be_visible()
            expect(page.locator("[data-testid=stMain] h2").first).not_to_have_text(titles[-1])
    assert len(set(titles)) == n
    page.keyboard.press("ArrowRight")   # on the last screen a next press does nothing
    page.wait_for_timeout(500)
    assert screen(page, lang) == (n, n)
    page.keyboard.press("ArrowLeft")
    expect(at_screen(page, lang, n - 1, n)).to_be_visible()
    page.keyboard.press("PageUp")
    expect(at_screen(page, lang, n - 2, n)).to_be_visible()
    expect(page.locator("[data-testid=stMain] h2").first).to_have_text(titles[n - 3])
    # a mouse click leaves the focus on a button: space then moves one screen on, whichever button it is
    page.get_by_role("button", name=t("present.prev", lang)).click()
    expect(at_screen(page, lang, n - 3, n)).to_be_visible()
    wait_idle(page)
    page.keyboard.press("Space")
    expect(at_screen(page, lang, n - 2, n)).to_be_visible()
    page.get_by_role("button", name=t("present.next", lang)).click()
    expect(at_screen(page, lang, n - 1, n)).to_be_visible()
    wait_idle(page)
    page.keyboard.press("Space")
    expect(at_screen(page, lang, n, n)).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(at_screen(page, lang, n - 1, n)).to_be_visible()
    wait_idle(page)
    page.wait_for_timeout(500)
    assert screen(page, lang) == (n - 1, n)
    assert projector.outside_requests() == []


def test_a_reload_keeps_the_edited_scenario_and_undo_brings_back_the_last(visit):
    page = visit.page
    open_page(page, visit.base_url + "/skenario", "Susun skenario")
    assert page.evaluate("document.documentElement.lang") == "id"
    default_id = default_scenario().content_hash
    assert sidebar_identity(page) == default_id
    choose_route(page)
    ident = page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first
    expect(ident).to_have_text(JHT.content_hash)
    wait_idle(page)
    # undo: back to the scenario before the edit; redo: the edit again
    page.get_by_role("button", name="Urungkan").click()
    expect(ident).to_have_text(default_id)
    page.get_by_role("button", name="Ulangi").click()
    expect(ident).to_have_text(JHT.content_hash)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"[?&]w=1[A-Za-z0-9_-]+"))
    # the browser's Back and Forward step through the edits (each wrote its address), never trap the user
    page.go_back()
    expect(ident).to_have_text(default_id)
    wait_idle(page)
    page.go_forward()
    expect(ident).to_have_text(JHT.content_hash)
    wait_idle(page)
    page.reload()   # F5: a new session
    heading(page, "Susun skenario").wait_for()
    wait_idle(page)
    expect(ident).to_have_text(JHT.content_hash)
    shot(page, "council-reload-kept")
    nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")   # a page switch keeps the work in the address
    expect(page).to_have_url(re.compile(r":\d+/(ringkasan)?\?w=1"))   # the default page is "/"
    page.reload()
    heading(page, "Ringkasan: Kota Pontianak").wait_for()
    wait_idle(page)
    expect(ident).to_have_text(JHT.content_hash)
    assert_no_error(page, "reload")
    assert visit.outside_requests() == []


def test_a_tampered_address_says_so_and_opens_the_default(visit):
    page = visit.page
    page.goto(visit.base_url + "/?w=1eNqrVkrOz0lVslJQSs7PS8tMKS0uyczPU6oFAGX4CD4")
    page.get_by_text(t("app.bad_work_url", "id")).wait_for()
    wait_idle(page)
    assert sidebar_identity(page) == default_scenario().content_hash
    assert_no_error(page, "tampered ?w=")
    shot(page, "council-tampered")


def cut_metrics(page) -> list[str]:
    """Metric values (or a part of one) wider than their box: what shows as "Rp 1,…"."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMetricValue]')].flatMap(v =>
        [v, ...v.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)
          .map(e => v.innerText + ' ' + e.scrollWidth + '>' + e.clientWidth))""")


def test_key_figures_are_whole_on_a_tablet_and_print_leaves_the_interface_out(visit):
    page = visit.page
    page.set_viewport_size(TABLET)
    open_page(page, visit.base_url + "/", "Ringkasan: Kota Pontianak")
    page.locator("[data-testid=stVegaLiteChart]").first.locator("canvas, svg").first.wait_for()
    wait_idle(page)
    shot(page, "council-tablet-800")
    assert page.locator("[data-testid=stMetricValue]").count() >= 4
    assert cut_metrics(page) == [], "ringkasan"
    for path, link in (("proyeksi", "Proyeksi"), ("capai-target", "Capai target"), ("bandingkan", "Bandingkan")):
        page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(has_text=link).first.click()
        expect(page).to_have_url(re.compile(rf"/{path}\b"))
        page.locator("[data-testid=stMain] h1").first.wait_for()
        wait_idle(page)
        page.wait_for_timeout(500)
        shot(page, f"council-tablet-800-{path}")
        assert cut_metrics(page) == [], path
    nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")

    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_idle(page)
    page.emulate_media(media="print")
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
    main = page.locator("[data-testid=stMain]").bounding_box()
    assert main["x"] <= 1
    charts = [c.bounding_box() for c in
              page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").all()]
    charts = [b for b in charts if b and b["height"] > 50]
    assert charts
    for box in charts:   # inside the page, and not squeezed: the chart takes the page's width
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 1
        assert box["width"] >= 0.8 * main["width"], (box, main)
    shot(page, "council-print")
    page.emulate_media(media="screen")


def test_the_page_language_follows_the_chosen_language(visit):
    page = visit.page
    open_page(page, visit.base_url + "/", "Ringkasan: Kota Pontianak")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    heading(page, "Overview").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()   # F5 keeps the language (?l=en)
    heading(page, "Overview").wait_for()
    wait_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"[?&]l=en\b"))
