"""Small Streamlit pieces shared by pages: a chart with its downloads, council material downloads."""

from __future__ import annotations

import re

import altair as alt
import streamlit as st

from presentation import figures, labels
from presentation.i18n import t

from . import model, regions, state, work


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "grafik"


def on_screen(chart_obj):
    """The chart as drawn on the page: stretched to the page's width only. Streamlit's default ("fit" in
    both directions) squeezes the plot's height by the title, subtitle and legend, so a chart with a
    three-line subtitle came out half as tall as specified. The exported files keep the chart as built."""
    fit = {"type": "fit-x", "contains": "padding"}
    if isinstance(chart_obj, dict):   # a whole spec
        return {**chart_obj, "autosize": fit}
    if isinstance(chart_obj, figures.Figure):
        return chart_obj.properties(autosize=fit)
    return chart_obj.properties(autosize=alt.AutoSizeParams(**fit))   # an Altair chart


def draw(chart_obj) -> None:
    """Put a chart on the page as it is (no downloads): a figure's tables go as Arrow under their names, so an
    edit that changes only numbers is redrawn in place by the browser (presentation/figures.py)."""
    shown = on_screen(chart_obj)
    if isinstance(shown, figures.Figure):
        st.vega_lite_chart(shown.for_streamlit(), theme=None)
    elif isinstance(shown, dict):
        st.vega_lite_chart(shown, theme=None)
    else:
        st.altair_chart(figures.lean(shown), theme=None)   # see presentation/figures.py


def chart(chart_obj, name: str, *, data=None) -> None:
    """Draw a chart as on every page, with a "Download" menu under it: PNG (2×), SVG, PDF and CSV.

    The menu's buttons are made only while the menu is open (``on_change="rerun"``, ``.open``): four buttons per
    chart on every rerun were a third of the Projection page's rerun after an edit, in the server and in the
    browser (docs/PERFORMANCE.md). Files are built only when a button is clicked (``data=callable``,
    ``on_click="ignore"``: no rerun), from the very chart object shown, so the download looks like the screen.
    Footer: scenario name, identity, date.
    """
    draw(chart_obj)
    lang = state.lang()
    row = _download_menu(t("widgets.download", lang), f"dl.{name}.menu", t("widgets.download_help", lang))
    if row is None:
        return
    footer = _footer()
    stem = f"{_slug(name)}-{labels.identity(work.scenario())}"
    exports = _exports()

    row.download_button("PNG", data=lambda: exports.chart_png(chart_obj, scale=2, footer=footer),
                        file_name=f"{stem}.png", mime="image/png", on_click="ignore",
                        help=t("widgets.png_help", lang), key=f"dl.{name}.png")
    row.download_button("SVG", data=lambda: exports.chart_svg(chart_obj, footer=footer),
                        file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore", key=f"dl.{name}.svg")
    row.download_button("PDF", data=lambda: exports.chart_pdf(chart_obj, footer=footer),
                        file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore", key=f"dl.{name}.pdf")
    row.download_button("CSV", data=lambda: exports.chart_data_csv(data if data is not None else chart_obj, lang),
                        file_name=f"{stem}.csv", mime="text/csv", on_click="ignore",
                        help=t("widgets.csv_help", lang), key=f"dl.{name}.csv")


def _download_menu(label: str, name: str, help_text: str):
    """A closed "⬇️" menu that reruns the page when opened (``v.`` key ``name``); while it is open, the row its
    buttons go in, side by side at their own width, else None: the buttons are made only while it is open."""
    menu = st.popover(label, icon="⬇️", key=state.view_key(name), on_change="rerun", help=help_text)
    return menu.container(horizontal=True, gap="small") if menu.open else None


def _footer() -> str:
    from presentation.report import footer_text  # words only: the exports package is imported on a click
    return footer_text(work.scenario(), state.lang())


def _exports():
    from presentation import exports  # on a click: Altair, vl-convert and python-pptx are not needed to draw a page
    return exports


def council_downloads(key: str) -> None:
    """Deck (PowerPoint), PDF brief and workbook of the working scenario, in the chosen language.

    The files are made on a click, after this run, from the one report of the scenario (``model.report``, the
    same cache the Overview's sentence reads): the callables close over the scenario, region and language read
    here and never touch the session state, which is gone by then."""
    lang = state.lang()
    region = regions.region()
    scenario = work.scenario()
    p = model.project(scenario, region)
    stem = f"pbi-{region.id}-{scenario.content_hash}-{lang}"

    def deck() -> bytes:
        return _exports().council_deck_pptx(model.report(scenario, region, lang))

    def brief() -> bytes:
        return _exports().brief_pdf(model.report(scenario, region, lang))

    c1 = c2 = c3 = st.container(horizontal=True, gap="small")   # each button as wide as its label
    c1.download_button(t("widgets.deck", lang), data=deck,
                       file_name=f"{stem}.pptx", on_click="ignore", key=f"dl.{key}.deck", type="primary",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    c2.download_button(t("widgets.brief", lang), data=brief,
                       file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore", key=f"dl.{key}.brief")
    c3.download_button(t("widgets.workbook", lang), data=lambda: _exports().projection_workbook(p, lang),
                       file_name=f"{stem}.xlsx", on_click="ignore", key=f"dl.{key}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def table_downloads(p, shown, scenario, lang: str) -> None:
    """The Projection page's files of its yearly table, in a menu like a chart's (its buttons made only while it
    is open): CSV, workbook (both of ``p``, the projection of ``shown``, the scenario named in the page's language)
    and the notebook of the user's ``scenario``."""
    row = _download_menu(t("widgets.download_tables", lang), "dl.tables.menu", t("widgets.download_tables_help", lang))
    if row is None:
        return

    def csv() -> bytes:
        return _exports().table_csv(p.table, lang)

    def xlsx() -> bytes:
        return _exports().projection_workbook(p, lang)

    stem = f"proyeksi_{p.region.id}_{labels.identity(shown)}"
    row.download_button(t("common.download_csv", lang), data=csv, on_click="ignore", mime="text/csv",
                        file_name=f"{stem}.csv", help=t("projection.csv_help", lang))
    row.download_button(t("widgets.workbook", lang), data=xlsx, on_click="ignore", file_name=f"{stem}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    notebook_download(row, scenario, lang)   # the user's scenario, as `python -m simulation run` reads it


def notebook_download(container, scenario, lang: str) -> None:
    """A Jupyter notebook that rebuilds ``scenario`` with the engine's public API and prints its yearly table.

    Built on a click from the scenario passed in (the callable runs outside the session: no session state);
    nbformat is imported only then.
    """
    def build() -> bytes:
        from simulation.notebook import notebook_bytes
        return notebook_bytes(scenario)

    container.download_button(t("widgets.notebook", lang), data=build, on_click="ignore",
                              mime="application/x-ipynb+json", key="dl.notebook",
                              file_name=f"pbi-{scenario.region}-{scenario.content_hash}.ipynb",
                              help=t("widgets.notebook_help", lang))
