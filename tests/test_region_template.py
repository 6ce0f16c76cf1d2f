"""The Data page's Excel template round-trips: downloaded, filled in and uploaded, it gives back the same region.

Driven through the same functions the page calls: simulation/io/templates.py (the download), reader (the upload)
and apply (the Apply button).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import openpyxl
import pytest

from simulation import io as uploads
from simulation.data import Target, load_region
from simulation.io.templates import _SHEET_TITLES
from simulation.sourced import YearValue

TODAY = dt.date(2026, 12, 4)


def upload_and_apply(region, data: bytes, lang: str):
    up = uploads.read_upload(data, "templat.xlsx", region=region, lang=lang)
    assert up.ok, [(p.code, p.row, p.column, p.params) for p in up.all_problems]
    return up, uploads.apply_tables(region, up.tables, today=TODAY, lang=lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("rid", ["pontianak", "kalbar"])
def test_the_template_uploaded_unchanged_changes_nothing(rid, lang):
    region = load_region(rid)
    up, back = upload_and_apply(region, uploads.template_xlsx(region, lang, ["catatan"]), lang)
    assert {tb.kind for tb in up.tables} == set(uploads.KINDS)
    assert uploads.changes(region, up.tables, lang) == []
    assert back == region


def other_numbers(r):
    """The same region with other numbers in every table (what the user's template starts from)."""
    def yv(v, value, year=None):
        return YearValue(value=value, source="perkiraan lama", certainty="A", source_date=dt.date(2020, 1, 1),
                         year=year or v.year)
    return replace(
        r,
        coverage_history=tuple(yv(v, v.value / 2) for v in r.coverage_history[:2]),
        potential_workers=(yv(r.potential_workers[0], 99_999, 2019),),
        min_wage=(yv(r.min_wage[0], 1_234_567),),
        apbd=tuple(yv(v, v.value * 3) for v in r.apbd),
        worker_growth_pct=replace(r.worker_growth_pct, value=r.worker_growth_pct.value + 1),
        formal_share=replace(r.formal_share, value=r.formal_share.value / 2),
        groups=tuple(replace(g, members=replace(g.members, value=g.members.value + 7)) for g in r.groups),
        targets=(Target(id="lama", name_id="Target lama", name_en="Old target", year=2030, coverage_pct=50.0,
                        source="x", certainty="A", source_date=dt.date(2020, 1, 1)),))


def fill(sheet, rows: list[dict], kind: str, lang: str) -> None:
    """Type ``rows`` into a template sheet as a person does in Excel: the old rows cleared, numbers typed the
    Indonesian way as text ("40,86") or as numbers, dates as dates, the header left as it was."""
    keys = {sheet.cell(row=1, column=j).value: j for j in range(1, sheet.max_column + 1)}
    by_key = {uploads.column_header(kind, c.key, lang): c.key for c in uploads.columns(kind)}
    sheet.delete_rows(2, sheet.max_row)
    for i, row in enumerate(rows, start=2):
        for header, j in keys.items():
            v = row.get(by_key[header])
            if isinstance(v, float) and v != int(v) and lang == "id":
                v = uploads.plain_text(v, lang)          # "40,86": typed as text with a decimal comma
            sheet.cell(row=i, column=j, value=v)


def as_typed(r, lang: str):
    """The region as one person types it into a template in one language: each source as published (no
    translation of it), a target's name in that language for both languages (the template has one name column)."""
    def one(v):
        return replace(v, source_id=None, source_en=None)
    return replace(
        r, coverage_history=tuple(map(one, r.coverage_history)), potential_workers=tuple(map(one, r.potential_workers)),
        min_wage=tuple(map(one, r.min_wage)), apbd=tuple(map(one, r.apbd)),
        **{a: one(getattr(r, a)) for a in ("worker_growth_pct", "formal_share", "formal_coverage", "apbd_growth_pct")},
        targets=tuple(replace(one(x), name_id=x.name(lang), name_en=x.name(lang)) for x in r.targets))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_filled_in_template_gives_back_the_region(lang):
    """The user downloads the template of a region holding other numbers, types the real region's values into
    every sheet (with their sources, dates and certainties), uploads it and applies: the real region comes back.

    A group row has one set of source cells for four values, so the template leaves them out: a group value the
    file changes is recorded under the source and certainty chosen for the whole upload."""
    real = as_typed(load_region("pontianak"), lang)
    start = replace(other_numbers(real), targets=tuple(replace(x, name_en=x.name_id) for x in other_numbers(real).targets))
    assert start != real
    wb = openpyxl.load_workbook(io.BytesIO(uploads.template_xlsx(start, lang, ["catatan"])))
    for kind in uploads.KINDS:
        fill(wb[_SHEET_TITLES[kind][0 if lang == "id" else 1]], uploads.region_rows(real, kind, lang), kind, lang)
    buf = io.BytesIO()
    wb.save(buf)
    up = uploads.read_upload(buf.getvalue(), "templat.xlsx", region=start, lang=lang)
    assert up.ok, [(p.code, p.row, p.column, p.params) for p in up.all_problems]
    back = uploads.apply_tables(start, up.tables, source="BPJS TK Cabang, surat 3/2026", certainty="M",
                                today=TODAY, lang=lang)
    for g_back, g_real in zip(back.groups, real.groups, strict=True):
        assert g_back.members.value == g_real.members.value
        assert (g_back.members.source, g_back.members.certainty, g_back.members.source_date) == (
            "BPJS TK Cabang, surat 3/2026", "M", TODAY)
    assert replace(back, groups=real.groups) == real
