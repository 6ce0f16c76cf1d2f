"""Edit the scenario as an analyst does (radio, slider, a cell of the group table) and read the new figures.

The figures on Skenario's live summary and on Ringkasan must be the engine's for the edited scenario, and the
edits must survive switching pages inside the session.
"""

from __future__ import annotations

import pytest
from conftest import (
    choose_route,
    edit_members,
    expect_overview,
    first_year,
    metric,
    nav,
    open_page,
    shot,
    sidebar_identity,
    wait_idle,
)
from playwright.sync_api import expect

from presentation.i18n import fmt_idr, fmt_idr_short, fmt_number
from simulation import default_scenario

pytestmark = pytest.mark.browser

SHARE_SLIDER = "Bagian iuran yang dibayar daerah"


def expect_summary(page, scenario) -> None:
    """Skenario's live summary shows the engine's first-year participants, APBD cost and contribution."""
    r = first_year(scenario)
    expect(metric(page, "Peserta PBI 2026")).to_have_text(fmt_number(r["pbi_participants"], "id"))
    expect(metric(page, "Biaya APBD 2026")).to_have_text(fmt_idr_short(r["cost_idr"], "id"))
    expect(metric(page, "Iuran per orang per bulan, 2026")).to_have_text(
        fmt_idr(r["contribution_per_person_month_idr"], "id"))


def test_edits_change_the_figures_everywhere_and_persist(visit):
    page = visit.page
    open_page(page, visit.base_url + "/skenario", "Susun skenario")
    s = default_scenario()
    expect_summary(page, s)

    # the route: BPU with JHT (old-age savings) on top of JKK + JKM
    choose_route(page, "BPU: JKK + JKM + JHT")
    s = s.replace(route="bpu_jht")
    assert first_year(s)["cost_idr"] > first_year(default_scenario())["cost_idr"]
    expect_summary(page, s)

    # who pays: the city's share from 100 % down two steps of 5 (keyboard on the slider) to 90 %
    page.get_by_role("tab", name="Pembiayaan dan batas anggaran").click()
    slider = page.get_by_role("slider", name=SHARE_SLIDER).first
    slider.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("90")
    s = s.replace(city_share=0.9)
    expect_summary(page, s)

    # the group table: RT heads (first row) 2689 -> 3000 members, typed into the grid
    page.get_by_role("tab", name="Kelompok pekerja").click()
    wait_idle(page)
    edit_members(page, 0, 2689, 3000)
    s = s.with_group("rt_heads", members=3000)
    expect_summary(page, s)
    expect(page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first).to_have_text(
        s.content_hash)
    shot(page, "edit-1-skenario")

    # Ringkasan shows the same scenario's figures
    nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")
    expect_overview(page, s)
    assert sidebar_identity(page) == s.content_hash
    shot(page, "edit-2-ringkasan")

    # another page and back: every edit is still there, in the figures and in the widgets
    nav(page, "Proyeksi", "Proyeksi")
    nav(page, "Skenario", "Susun skenario")
    expect_summary(page, s)
    expect(page.locator("[data-testid=stDataFrame] [data-testid=glide-cell-2-0]").first).to_have_text("3000")
    page.get_by_role("tab", name="Iuran").click()
    expect(page.get_by_role("radio", name="BPU: JKK + JKM + JHT")).to_be_checked()
    page.get_by_role("tab", name="Pembiayaan dan batas anggaran").click()
    expect(page.get_by_role("slider", name=SHARE_SLIDER).first).to_have_value("90")
    assert sidebar_identity(page) == s.content_hash
    shot(page, "edit-3-skenario-again")
