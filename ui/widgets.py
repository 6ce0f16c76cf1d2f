"""Small Streamlit pieces shared by pages: a chart with its downloads, council material downloads."""

from __future__ import annotations

import re

import streamlit as st

from . import model, state
from .i18n import t


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "grafik"


def chart(chart_obj, name: str, *, data=None) -> None:
    """Draw an Altair chart as on every page, with PNG (2×), SVG, PDF and CSV downloads underneath.

    Files are built only when a button is clicked (``data=callable``, ``on_click="ignore"``: no rerun), from the
    very chart object shown, so the download looks like the screen. Footer: scenario name, identity, date.
    """
    st.altair_chart(chart_obj, theme=None)
    lang = state.lang()
    footer = _footer()
    stem = f"{_slug(name)}-{model.identity(state.scenario())}"
    from . import exports  # imported on use: vl-convert and openpyxl are not needed to draw a page

    cols = st.columns([1, 1, 1, 1, 4])
    cols[0].download_button("PNG", data=lambda: exports.chart_png(chart_obj, scale=2, footer=footer),
                            file_name=f"{stem}.png", mime="image/png", on_click="ignore",
                            help=t("widgets.png_help", lang), key=f"dl.{name}.png")
    cols[1].download_button("SVG", data=lambda: exports.chart_svg(chart_obj, footer=footer),
                            file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                            key=f"dl.{name}.svg")
    cols[2].download_button("PDF", data=lambda: exports.chart_pdf(chart_obj, footer=footer),
                            file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore",
                            key=f"dl.{name}.pdf")
    cols[3].download_button("CSV", data=lambda: exports.chart_data_csv(data if data is not None else chart_obj, lang),
                            file_name=f"{stem}.csv", mime="text/csv", on_click="ignore",
                            help=t("widgets.csv_help", lang), key=f"dl.{name}.csv")


def _footer() -> str:
    from .exports import footer_text
    return footer_text(state.scenario(), state.lang())


def council_downloads(key: str) -> None:
    """Deck (PowerPoint) and PDF brief of the working scenario, in the chosen language."""
    from . import exports
    lang = state.lang()
    region = state.region()
    p = model.project(state.scenario(), region)
    stem = f"pbi-{region.id}-{state.scenario().content_hash}-{lang}"
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.download_button(t("widgets.deck", lang), data=lambda: exports.council_deck_pptx(p, lang),
                       file_name=f"{stem}.pptx", on_click="ignore", key=f"dl.{key}.deck", type="primary",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    c2.download_button(t("widgets.brief", lang), data=lambda: exports.brief_pdf(p, lang),
                       file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore", key=f"dl.{key}.brief")
    c3.download_button(t("widgets.workbook", lang), data=lambda: exports.projection_workbook(p, lang),
                       file_name=f"{stem}.xlsx", on_click="ignore", key=f"dl.{key}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
