"""A screen reader and a tablet (issue 13), in Chromium against the running app.

- Every chart says what it shows: the Vega-Lite spec's ``description`` (presentation/charts.py) reaches the page
  as the chart's ``aria-label`` (Vega writes it on the chart's container, role ``graphics-document``), in the
  reader's language.
- At 800 px (a tablet) the sidebar is narrower (240 px instead of 300, app.py's style block) and the key figures
  stay whole; at 1400 px it keeps its width. Screenshots: test-artifacts/a11y-*.png.
"""

from __future__ import annotations

from conftest import open_page, shot, wait_idle

from presentation.i18n import t

CHART = "[data-testid=stVegaLiteChart]"


def chart_labels(page) -> list[str]:
    page.locator(CHART).first.locator("canvas, svg").first.wait_for()
    wait_idle(page)
    return page.evaluate(f"""() => [...document.querySelectorAll('{CHART}')].map(c =>
        (c.closest('[aria-label]') || c).getAttribute('aria-label') || '')""")


def test_every_chart_carries_its_description_as_an_aria_label(visit):
    page = visit.page
    open_page(page, visit.base_url + "/", "Ringkasan: Kota Pontianak")
    (fan,) = chart_labels(page)
    assert fan.startswith("Cakupan kepesertaan Kota Pontianak: tren dan skenario. Grafik garis cakupan kepesertaan")
    assert "Data tercatat, Tanpa kebijakan baru, dan Skenario" in fan
    assert "Target kota 2026 45,0\u00a0% tahun 2026" in fan or "Target kota 2026 45,0 % tahun 2026" in fan
    shot(page, "a11y-overview-id")

    open_page(page, visit.base_url + "/proyeksi", "Proyeksi: Kota Pontianak")
    labels = chart_labels(page)
    assert len(labels) >= 2 and all(" Grafik " in label for label in labels), labels
    assert any(label.startswith(t("chart.cost_title", "id")) for label in labels)

    open_page(page, visit.base_url + "/?l=en", "Overview: Kota Pontianak")
    (fan,) = chart_labels(page)
    assert fan.startswith("Coverage in Kota Pontianak: trend and scenario. Line chart of coverage")
    assert "Recorded, No new policy, and Scenario" in fan and "Grafik" not in fan


def _layout(page) -> dict:
    return page.evaluate("""() => {
        const sb = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect();
        const values = [...document.querySelectorAll('[data-testid=stMetricValue]')];
        return {sidebar: sb.width, main_left: document.querySelector('[data-testid=stMain]').getBoundingClientRect().x,
                cut: values.flatMap(v => [v, ...v.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)
                                           .map(e => v.innerText)),
                outside: values.filter(v => v.getBoundingClientRect().right > window.innerWidth + 1)
                               .map(v => v.innerText),
                n: values.length};
    }""")


def test_the_sidebar_gives_way_on_a_tablet_and_the_key_figures_stay_whole(visit):
    page = visit.page
    page.set_viewport_size({"width": 800, "height": 1000})
    open_page(page, visit.base_url + "/", "Ringkasan: Kota Pontianak")
    chart_labels(page)
    tablet = _layout(page)
    shot(page, "a11y-tablet-800")
    assert tablet["sidebar"] <= 240 and tablet["main_left"] <= 241, tablet
    assert tablet["n"] >= 6 and tablet["cut"] == [] and tablet["outside"] == [], tablet
    # the language buttons and the region still fit the narrower sidebar
    buttons = page.locator("[data-testid=stSidebar] [data-testid=stButtonGroup] button")
    assert buttons.count() == 2
    for i in range(2):   # whole words, not "Bahasa Indon…"
        assert buttons.nth(i).evaluate("e => [e, ...e.querySelectorAll('*')].every(x => x.scrollWidth <= "
                                       "x.clientWidth + 1)"), buttons.nth(i).inner_text()

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.wait_for_timeout(500)
    desktop = _layout(page)
    shot(page, "a11y-desktop-1400")
    assert desktop["sidebar"] >= 290 and desktop["cut"] == [], desktop
