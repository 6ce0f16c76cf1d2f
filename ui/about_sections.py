"""The About page's source tables: every parameter with its value, date, certainty and source, and every value
the simulator takes from the region in use (edited or shipped)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from presentation.i18n import fmt_idr, fmt_number, fmt_pct, t, vega_time_locale
from simulation.data import Region
from simulation.sourced import CERTAINTIES

# the most frequent source notes of the data files, in the reader's language (the rest are quoted as recorded)
SOURCE_NOTES = {"assumption": "about.src_assumption",
                "no published count: enter the city's own data": "about.src_no_count"}
UNITS = {"IDR/month": "about.val_idr_month", "IDR/claim": "about.val_idr_claim", "months": "about.val_months",
         "per year": "about.val_per_year", "logit/year": "about.val_logit_year", "pseudo-changes": "about.val_pseudo"}


def badge(c: str, lang: str) -> str:
    return t(f"data.badge_{c.lower()}", lang) if c in CERTAINTIES else c


def date_text(d: dt.date | None, lang: str) -> str:
    if d is None:
        return ""
    return f"{d.day} {vega_time_locale(lang)['shortMonths'][d.month - 1]} {d.year}"


def source_note(text: str, lang: str) -> str:
    key = SOURCE_NOTES.get(text)
    return t(key, lang) if key else text


def param_value(unit: str, v: float, lang: str) -> str:
    """A parameter's value with its unit, the user's way."""
    if unit == "share":
        return fmt_pct(100 * v, lang, 2)
    if unit == "percent/year":
        return t("about.val_per_year", lang, v=fmt_pct(v, lang, 1))
    if unit == "ratio":
        return fmt_number(v, lang, 1) + "×"
    number = fmt_idr(v, lang) if unit.startswith("IDR") else (
        fmt_pct(100 * v, lang, 2) if unit == "per year" else fmt_number(v, lang, 0 if v == int(v) else 2))
    key = UNITS.get(unit)
    return t(key, lang, v=number) if key else f"{number} {unit}"


def parameters_table(params, lang: str) -> None:
    """Every dated value of every parameter in data/parameters.yaml."""
    prow = []
    for pid, p in params.items.items():
        desc = p.label(lang)   # written once, in the parameter's entry of data/parameters.yaml
        for v in p.values:
            prow.append({"code": pid, "desc": desc, "value": param_value(p.unit, v.value, lang),
                         "since": date_text(v.since, lang), "source": source_note(v.source_in(lang), lang),
                         "cert": badge(v.certainty, lang)})
    desc_col = t("common.description", lang)
    st.table(pd.DataFrame({
        desc_col: [r["desc"] for r in prow],
        t("common.value", lang): [r["value"] for r in prow],
        t("about.col_since", lang): [r["since"] for r in prow],
        t("common.certainty", lang): [r["cert"] for r in prow],
        t("common.source", lang): [r["source"] for r in prow],
        t("about.col_code", lang): [r["code"] for r in prow],
    }).set_index(desc_col))


def _region_rows(region: Region, lang: str) -> list[dict]:
    rrow: list[dict] = []

    def pct(share: float) -> str:
        return fmt_pct(100 * share, lang, 0)

    def add(item: str, year: str, value: str, v) -> None:
        rrow.append({"item": item, "year": year, "value": value, "source": source_note(v.source_in(lang), lang),
                     "date": date_text(v.source_date, lang), "cert": v.certainty})

    for v in region.coverage_history:
        add(t("data.table_history", lang), str(v.year), fmt_pct(v.value, lang, 2), v)
    for v in region.potential_workers:
        add(t("data.table_workers", lang), str(v.year), fmt_number(v.value, lang), v)
    add(t("data.param_worker_growth_pct", lang), "", fmt_pct(region.worker_growth_pct.value, lang, 1),
        region.worker_growth_pct)
    add(t("data.param_formal_share_pct", lang), "", pct(region.formal_share.value), region.formal_share)
    add(t("data.param_formal_coverage_pct", lang), "", pct(region.formal_coverage.value), region.formal_coverage)
    for v in region.min_wage:
        add(t("data.table_min_wage", lang), str(v.year), fmt_idr(v.value, lang), v)
    for v in region.apbd:
        add(t("data.table_apbd", lang), str(v.year), fmt_idr(v.value, lang), v)
    add(t("data.param_apbd_growth_pct", lang), "", fmt_pct(region.apbd_growth_pct.value, lang, 1),
        region.apbd_growth_pct)
    for g in region.groups:
        name = g.name(lang)
        add(t("about.item_members", lang, group=name), "", fmt_number(g.members.value, lang), g.members)
        add(t("about.item_covered", lang, group=name), "", pct(g.already_covered.value), g.already_covered)
        add(t("about.item_take_up", lang, group=name), "", pct(g.take_up.value), g.take_up)
        add(t("about.item_dropout", lang, group=name), "", pct(g.dropout.value), g.dropout)
    for tg in region.targets:
        add(tg.name(lang), str(tg.year), fmt_pct(tg.coverage_pct, lang, 2), tg)
    return rrow


def region_table(region: Region, lang: str, *, edited: bool) -> None:
    """Every value the simulator takes from the region, with how many of them are assumptions."""
    rrow = _region_rows(region, lang)
    st.markdown(t("about.region_intro_edited" if edited else "about.region_intro", lang, n=len(rrow),
                  assumed=sum(r["cert"] == "A" for r in rrow)))
    item = t("about.col_item", lang)
    st.table(pd.DataFrame({
        item: [r["item"] for r in rrow],
        t("common.year", lang): [r["year"] for r in rrow],
        t("common.value", lang): [r["value"] for r in rrow],
        t("common.certainty", lang): [badge(r["cert"], lang) for r in rrow],
        t("common.source", lang): [r["source"] for r in rrow],
        t("data.col_date", lang): [r["date"] for r in rrow],
    }).set_index(item))
