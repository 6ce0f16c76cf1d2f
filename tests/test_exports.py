"""Exports (presentation/exports/): chart images, CSV/XLSX, the council deck and the PDF brief, and the one report
(presentation/report.py) the deck, the brief and the Overview page read.

Each file is opened the way its reader would open it (PIL, openpyxl, python-pptx, the PDF's own objects)
and checked for what a person would look at: size, not blank, language, numbers as numbers, and that text
from users cannot run as a spreadsheet formula. That presentation/ imports no UI and calls no engine function
is checked on its source by tests/test_layout.py; here, on the running code (an engine that refuses to run).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import zlib

import altair as alt
import openpyxl
import pandas as pd
import pytest
import vl_convert as vlc
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE

from presentation import chart_style, charts, exports, labels
from presentation.i18n import fmt_number, fmt_pct, t
from simulation.data import load_region
from simulation.parameters import load_parameters
from simulation.projection import project
from simulation.scenario import default_scenario
from ui import model

EVIL = ['=HYPERLINK("http://x")', "+cmd", "@SUM(1)", "-2+3", "\tTab", "\rCR", "  =1+1"]


@pytest.fixture(scope="module")
def region():
    return load_region("pontianak")


@pytest.fixture(scope="module")
def proj_id(region):
    return model.project(default_scenario("id"), region)


@pytest.fixture(scope="module")
def proj_en(region):
    return model.project(default_scenario("en"), region)


@pytest.fixture(scope="module")
def fan_png(proj_id):
    chart = charts.fan_chart(proj_id, "id")
    footer = exports.footer_text(proj_id.scenario, "id")
    return chart, footer, exports.chart_png(chart, scale=2, footer=footer)


# =========================================================================== charts


def _svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\swidth="([0-9.]+)"[^>]*\sheight="([0-9.]+)"', svg)
    assert m, svg[:300]
    return float(m[1]), float(m[2])


def test_png_has_the_size_of_the_chart_times_the_scale(fan_png):
    chart, footer, png = fan_png
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    w, h = exports.png_size(png)
    sw, sh = _svg_size(exports.chart_svg(chart, footer).decode())
    assert abs(w - 2 * sw) <= 2 and abs(h - 2 * sh) <= 2
    # the plot (640 × 340) plus padding, axes, title, legend and footer
    assert w >= 2 * (chart_style.WIDTH + 2 * 12) and h >= 2 * (chart_style.HEIGHT + 2 * 12 + 60)
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (w, h)
    w3, _ = exports.png_size(exports.chart_png(chart, scale=3, footer=footer))
    assert abs(w3 - 3 * sw) <= 3


def test_png_is_not_blank(fan_png):
    _, _, png = fan_png
    with Image.open(io.BytesIO(png)) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1_000_000)
        assert len(colours) > 200  # lines, bands, text anti-aliasing
        small = rgb.resize((200, 120))
        dark = sum(1 for p in small.get_flattened_data() if sum(p) < 600)
        assert dark > 200  # marks and text, not an empty white frame
        # the footer line is drawn: the bottom strip holds dark (text) pixels
        strip = rgb.crop((0, rgb.height - 60, rgb.width, rgb.height))
        assert min(sum(p) for p in strip.get_flattened_data()) < 400


def test_svg_has_title_footer_and_marks(proj_id):
    chart = charts.fan_chart(proj_id, "id")
    footer = exports.footer_text(proj_id.scenario, "id")
    svg = html.unescape(exports.chart_svg(chart, footer).decode("utf-8"))
    assert t("chart.fan_title", "id", region="Kota Pontianak") in svg
    assert footer in svg
    assert proj_id.scenario.content_hash in footer
    assert "Kesepakatan 2026 (Pontianak)" in footer and "«" in footer
    assert svg.count("<path") > 10  # bands and lines are drawn
    en = html.unescape(exports.chart_svg(charts.fan_chart(proj_id, "en"),
                                         exports.footer_text(proj_id.scenario, "en")).decode())
    assert "identity " + proj_id.scenario.content_hash in en and "Coverage in Kota Pontianak" in en


def test_footer_moves_the_house_config_to_the_wrapper(proj_id):
    chart = charts.cost_by_group_chart(proj_id, "id")
    before = chart.to_dict()
    wrapped = exports.with_footer(chart, "x")
    spec = wrapped if isinstance(wrapped, dict) else wrapped.to_dict()   # a figure's footer is on its spec
    assert spec["config"] == before["config"]
    assert "config" not in spec["vconcat"][0]
    assert spec["title"]["text"] == "x" and spec["title"]["orient"] == "bottom"
    assert chart.to_dict() == before  # the page's chart is not changed


def test_chart_pdf_and_url_data(proj_id):
    pdf = exports.chart_pdf(charts.claims_chart(proj_id, "id"), footer="f")
    assert pdf.startswith(b"%PDF") and _pages(pdf) >= 1
    with pytest.raises(ValueError, match="inline"):
        exports.chart_png(alt.Chart("http://127.0.0.1:9/data.csv").mark_point().encode(x="a:Q"))


def test_chart_data_csv_is_the_charts_table(proj_id):
    chart = charts.fan_chart(proj_id, "en")
    got = pd.read_csv(io.BytesIO(exports.chart_data_csv(chart, "en")), encoding="utf-8-sig")
    frame = charts.coverage_frame(proj_id)
    assert len(got) == len(frame)
    assert got[exports.column_header("median", "en")].tolist() == pytest.approx(frame["median"].round(6).tolist())


# =========================================================================== CSV


def test_csv_separators_bom_and_headers_per_language(proj_id):
    tab = proj_id.table
    raw_id = exports.table_csv(tab, "id")
    raw_en = exports.table_csv(tab, "en")
    assert raw_id.startswith(b"\xef\xbb\xbf") and raw_en.startswith(b"\xef\xbb\xbf")
    df_id = pd.read_csv(io.BytesIO(raw_id), sep=";", decimal=",", encoding="utf-8-sig")
    df_en = pd.read_csv(io.BytesIO(raw_en), sep=",", decimal=".", encoding="utf-8-sig")
    assert list(df_id.columns)[:2] == ["Tahun", "Pekerja potensial (orang)"]
    assert list(df_en.columns)[:2] == ["Year", "Potential workers (persons)"]
    assert df_id.shape == df_en.shape == tab.shape
    cost_id = exports.column_header("cost_idr", "id")
    assert df_id[cost_id].tolist() == pytest.approx(tab["cost_idr"].tolist(), rel=1e-9)
    assert df_en[exports.column_header("coverage_pct", "en")].tolist() == pytest.approx(tab["coverage_pct"].tolist())
    assert "Ya" in raw_id.decode("utf-8-sig") or "Tidak" in raw_id.decode("utf-8-sig")  # budget_capped


def test_the_gap_has_one_sign_in_the_csv_and_the_workbook(proj_id):
    """Gap = scenario - target (negative = short), as the engine, the pages and the CLI say it: the agreement alone
    is short of the city's 45 % in 2026."""
    import openpyxl

    names = {tg.id: tg.name for tg in labels.localized(proj_id.scenario, proj_id.region, "en").targets}
    header = exports.column_header("gap_city_2026_pp", "en", names)
    assert header == "Gap to City target 2026 (pp; negative = short)"
    want = (proj_id.table["coverage_pct"] - 45.0).tolist()
    assert want[0] < 0
    df = pd.read_csv(io.BytesIO(exports.table_csv(proj_id.table, "en", names=names)), encoding="utf-8-sig")
    assert df[header].tolist() == pytest.approx(want)
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(proj_id, "en")))
    rows = list(wb[t("exports.sheet.projection", "en")].iter_rows(values_only=True))
    col = rows[0].index(header)
    assert [r[col] for r in rows[1:]] == pytest.approx(want)
    rows = list(wb[t("exports.sheet.targets", "en")].iter_rows(values_only=True))
    gap, target = rows[0].index(exports.column_header("gap_pp", "en")), rows[0].index(
        exports.column_header("target_id", "en"))
    city = next(r for r in rows[1:] if r[target] == "city_2026")
    assert city[gap] == pytest.approx(want[0])


def test_every_projection_column_has_a_header_in_both_languages(proj_id):
    names = {tg.id: tg.name for tg in proj_id.scenario.targets}
    for c in list(proj_id.table.columns) + list(proj_id.by_group.columns) + list(proj_id.targets.columns):
        hid, hen = exports.column_header(c, "id", names), exports.column_header(c, "en", names)
        assert hid != c and hen != c and not hid.startswith("exports."), c
    assert exports.column_header("gap_city_2026_pp", "id", names) == \
        "Selisih ke target Target kota 2026 (poin; negatif = kurang)"
    assert exports.column_header("something_new", "en") == "something_new"


@pytest.mark.parametrize("text", EVIL)
def test_neutralise(text):
    out = exports.neutralise(text)
    assert out == "'" + text


@pytest.mark.parametrize("value", ["Ketua RT", "RT-heads", "", "a=b", "1.234,5", 5, -1.5, None, True])
def test_neutralise_leaves_safe_values(value):
    assert exports.neutralise(value) is value or exports.neutralise(value) == value


def _evil_frame() -> pd.DataFrame:
    return pd.DataFrame({"group": EVIL, "cost_idr": [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0, 7.0],
                         "members": [1, 2, 3, 4, 5, 6, 7]})


def test_csv_neutralises_text_and_keeps_negative_numbers():
    raw = exports.table_csv(_evil_frame().rename(columns={"members": "=cmd|' /C calc'!A0"}), "id")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[2].startswith("'=")
    for row, evil in zip(body, EVIL, strict=True):
        assert row[0] == "'" + evil
    assert body[0][1] == "-1,5" and body[3][1] == "-4,0"  # a number, not text
    en = list(csv.reader(io.StringIO(exports.table_csv(_evil_frame(), "en").decode("utf-8-sig"), newline="")))
    assert en[1][0] == "'" + EVIL[0] and en[1][1] == "-1.5"


def test_xlsx_neutralises_text_and_keeps_negative_numbers():
    df = _evil_frame()
    df["=head"] = ["x"] * len(df)
    wb = openpyxl.load_workbook(io.BytesIO(exports.workbook_xlsx({"=Sheet/1": df}, "en")))
    ws = wb.worksheets[0]
    assert ws.title == "=Sheet-1"
    assert ws.cell(1, 4).value == "'=head"
    for i, evil in enumerate(EVIL, start=2):
        cell = ws.cell(i, 1)
        assert cell.value == "'" + evil and cell.data_type == "s"
    neg = ws.cell(2, 2)
    assert neg.value == -1.5 and neg.data_type == "n" and neg.number_format == "#,##0"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_user_names_are_neutralised_in_the_projection_workbook(region):
    s = default_scenario("id").replace(name="@SUM(1)").with_group("rt_heads", name=EVIL[0])
    p = project(s, region)
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(p, "id")))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + EVIL[0] in texts and "'@SUM(1)" in texts
    assert not any(v.startswith(("=", "+", "@")) for v in texts)


# =========================================================================== XLSX


@pytest.mark.parametrize(("lang", "sheets", "first_header", "cost_header"), [
    ("id", ["Proyeksi", "Per kelompok", "Target", "Skenario", "Kelompok", "Asumsi & sumber"], "Tahun",
     "Biaya APBD (Rp per tahun)"),
    ("en", ["Projection", "By group", "Targets", "Scenario", "Groups", "Assumptions & sources"], "Year",
     "Cost to the local budget, APBD (Rp per year)"),
])
def test_projection_workbook(proj_id, proj_en, lang, sheets, first_header, cost_header):
    p = proj_id if lang == "id" else proj_en
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(p, lang)))
    assert wb.sheetnames == sheets
    ws = wb[sheets[0]]
    headers = [c.value for c in ws[1]]
    assert headers[0] == first_header and cost_header in headers
    assert ws.freeze_panes == "A2"
    assert ws.max_row == len(p.table) + 1
    col = headers.index(cost_header) + 1
    for i, v in enumerate(p.table["cost_idr"], start=2):
        cell = ws.cell(i, col)
        assert isinstance(cell.value, float) and cell.value == pytest.approx(v) and cell.number_format == "#,##0"
    pct = ws.cell(2, headers.index(exports.column_header("coverage_pct", lang)) + 1)
    assert isinstance(pct.value, float) and pct.number_format == "0.00"
    assert ws.cell(2, 1).value == int(p.table["year"].iloc[0]) and ws.cell(2, 1).number_format == "0"
    assert ws.column_dimensions["B"].width >= 10
    # groups and targets carry the shown names
    names = {c.value for c in wb[sheets[1]]["C"][1:]}
    assert {g.name for g in labels.localized(p.scenario, p.region, lang).groups if g.in_scope} == names


def test_assumptions_sheet_lists_parameters_and_region_values(proj_id):
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(proj_id, "id")))
    ws = wb["Asumsi & sumber"]
    headers = [c.value for c in ws[1]]
    assert headers == ["Kategori", "Uraian", "Nilai", "Satuan", "Tahun / berlaku sejak", "Sumber",
                       "Tingkat kepastian", "Asumsi?"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    params = load_parameters()
    n_values = sum(len(p.values) for p in params.items.values())
    assert sum(1 for r in rows if r[0] == "Parameter BPJS Ketenagakerjaan") == n_values
    assert all(isinstance(r[2], (int, float)) for r in rows)
    assert all(r[5] for r in rows)  # every value has a source
    by_item = {r[1]: r for r in rows}
    jkm = by_item[params.items["bpu.jkm_flat"].label("id")]   # the YAML entry's label; last dated value wins
    assert jkm[2] == 6800 and jkm[3] == "Rp/bulan" and jkm[7] is False
    assert jkm[1] == "Iuran JKM peserta BPU, tetap per bulan"
    elasticity = next(r for r in rows if r[1].startswith("Turunnya keikutsertaan"))
    assert elasticity[7] is True and elasticity[6] == "Asumsi (A)"
    apbd = by_item["APBD 2025"]
    assert apbd[2] == 2e12 and apbd[7] is True
    assert any(r[0] == "Kelompok pekerja" and r[1].startswith("Kader posyandu") for r in rows)
    en = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(proj_id, "en")))["Assumptions & sources"]
    assert [c.value for c in en[1]][:3] == ["Category", "Item", "Value"]


# =========================================================================== council deck


def _deck(raw: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(raw))


def _title(slide) -> str:
    return slide.shapes[0].text_frame.text


def _runs(slide):
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if getattr(shape, "has_table", False) and shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for tf in frames:
            for para in tf.paragraphs:
                yield from para.runs


@pytest.fixture(scope="module")
def report_id(proj_id, region):
    other = labels.presets(proj_id.scenario, region, "id")[2]
    return model.report(proj_id.scenario, region, "id", sensitivity=True, compare=(proj_id.scenario, other))


@pytest.fixture(scope="module")
def deck_id(report_id):
    return exports.council_deck_pptx(report_id)


def test_deck_slides_titles_and_pictures_in_indonesian(deck_id, proj_id):
    prs = _deck(deck_id)
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    slides = list(prs.slides)
    titles = [_title(s) for s in slides[1:]]
    titles = [x for x in titles if x.startswith("Lampiran") or not x.endswith("(lanjutan)")]  # measured pages
    assert slides[0].shapes[0].text_frame.text == "Kesepakatan 2026 (Pontianak)"
    assert proj_id.scenario.content_hash in " ".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    expected_starts = ["Saat ini 40,0", "Skenario: Pemkot membayar iuran 5.746", "Dengan skenario, cakupan 2026",
                       "2026: Pemkot membayar", "Semua kelompok pun belum cukup", "Di luar ketidakpastian tren",
                       "Bagaimana skenario lain"]
    for title, start in zip(titles, expected_starts, strict=False):
        assert title.replace("\u00a0", " ").startswith(start), (title, start)
    appendix = [x for x in titles if x.startswith("Lampiran")]
    assert len(titles) == len(expected_starts) + len(appendix) and 1 <= len(appendix) <= 3
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 4 and all(p.image.content_type == "image/png" for p in pictures)
    all_text = " ".join(r.text for s in slides for r in _runs(s))
    assert "exports." not in all_text and "{" not in all_text
    assert "Sumber" in all_text and "Source" not in all_text.replace("Sumber", "")


def test_deck_type_is_large(deck_id):
    prs = _deck(deck_id)
    for i, slide in enumerate(prs.slides):
        title_sizes = {r.font.size.pt for p in slide.shapes[0].text_frame.paragraphs for r in p.runs}
        assert min(title_sizes) >= 32, i
        sizes = {r.font.size.pt for r in _runs(slide)}
        body = {s for s in sizes if s not in (exports.CAPTION_PT, exports.FOOTER_PT, 16)}
        assert min(body) >= 20, (i, sizes)
        assert sizes <= body | {exports.CAPTION_PT, exports.FOOTER_PT, 16}


def test_deck_in_english_with_a_given_goal(proj_en, region):
    raw = exports.council_deck_pptx(model.report(proj_en.scenario, region, "en", goal=(41.5, 2027, 0.8)))
    titles = [_title(s).replace("\u00a0", " ") for s in list(_deck(raw).slides)[1:]]
    assert titles[0].startswith("Today 40.0% of workers in Kota Pontianak")
    assert titles[1].startswith("The scenario: the city pays")
    assert "41.5% by 2027" in titles[4] or "41.5% for 2027" in titles[4]
    assert titles[-1].startswith("Appendix")
    text = " ".join(r.text for s in _deck(raw).slides for r in _runs(s))
    assert "with probability 80%" in text.replace("\u00a0", " ")
    assert "Lampiran" not in text and "Sumber" not in text


def test_goal_slide_gives_the_chance_and_the_compliance_lever(proj_en, region):
    """45 % in 2026 at the median: every group leaves some workers (about 2,150) for enforcement on firms; the slide
    says so with the chance of that plan (50 %), and the chance with the groups alone."""
    report = model.report(proj_en.scenario, region, "en", goal=(45.0, 2026, 0.5))
    text = report.goal_text.sentence
    assert "Chance of reaching 45.0% in 2026 with the groups:" in text
    assert f"{fmt_number(report.goal.compliance_needed, 'en')} workers are still missing" in text
    assert "chance with that plan: 50%" in text
    easy = round(float(proj_en.row(2028)["coverage_pct"]) + 0.5, 1)     # the groups reach it: no compliance
    reached = model.report(proj_en.scenario, region, "en", goal=(easy, 2028, 0.5)).goal_text.sentence
    assert "with the groups: 50%" in reached and "still missing" not in reached


# =========================================================================== brief


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _pdf_text(pdf: bytes) -> str:
    """Text of the PDF's streams (ASCII85 and Flate undone where used), enough to find words."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = m.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        try:
            data = zlib.decompress(data)
        except zlib.error:
            pass
        out.append(data.decode("latin-1"))
    return "\n".join(out)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_pdf(proj_id, proj_en, lang):
    p = proj_id if lang == "id" else proj_en
    pdf = exports.brief_pdf(model.report(p.scenario, p.region, lang))
    assert pdf.startswith(b"%PDF-")
    assert 2 <= _pages(pdf) <= 4
    text = _pdf_text(pdf)
    assert p.scenario.content_hash in text
    if lang == "id":
        assert "Saat ini 40,0" in text and "Lampiran: angka asumsi" in text and "Halaman 1" in text
        assert "Appendix" not in text
    else:
        assert "Today 40.0" in text and "Appendix: assumed" in text and "Page 1" in text
        assert "Lampiran" not in text
    assert pdf.count(b"/Subtype /Image") >= 3  # the chart pictures


def test_brief_with_sensitivity_stays_within_four_pages(proj_id, region):
    pdf = exports.brief_pdf(model.report(proj_id.scenario, region, "id", sensitivity=True), compress=False)
    assert 2 <= _pages(pdf) <= 4
    assert b"Di luar ketidakpastian tren" in pdf
    assert b"\xab" in pdf or b"\\253" in pdf  # the guillemet of the footer is in the standard font's encoding


# =========================================================================== one report for every product


def _plain(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, PDF string escapes undone."""
    return re.sub(r"\\([()\\])", r"\1", text).replace("\u00a0", " ").replace("\xa0", " ")


def test_deck_brief_and_page_sentence_show_the_numbers_the_report_holds(report_id, deck_id):
    """The headline (coverage in the first target's year, its range and chances) is computed once, in the report;
    the deck's slide, the brief's section and the Overview's sentence all print the report's numbers."""
    rep = report_id
    h = rep.headline
    row = rep.projection.row(h.year)
    tr = rep.projection.targets.set_index("target_id").loc[h.target_id]
    assert (h.year, h.target_id) == (2026, "city_2026")
    assert h.coverage_pct == pytest.approx(row["coverage_pct"]) and h.probability == pytest.approx(tr["probability"])
    big, prob = fmt_pct(h.coverage_pct, "id"), fmt_pct(100 * h.probability, "id", 0)
    assert rep.coverage.big == big and big in rep.coverage.title and prob in rep.coverage.sentence

    slides = list(_deck(deck_id).slides)
    slide = next(s for s in slides if _plain(_title(s)) == _plain(rep.coverage.title))
    shown = _plain(" ".join(r.text for r in _runs(slide)))
    assert _plain(big) in shown and _plain(rep.coverage.sentence) in shown and _plain(rep.coverage.big_label) in shown
    cost_slide = next(s for s in slides if _plain(_title(s)) == _plain(rep.cost.title))
    assert _plain(rep.cost.big) in _plain(" ".join(r.text for r in _runs(cost_slide)))

    text = _plain(_pdf_text(exports.brief_pdf(rep, compress=False)))
    assert _plain(rep.coverage.title)[:40] in text and f"({_plain(big)})" in text and _plain(prob) in text
    assert _plain(rep.cost.big) in text and rep.identity in text

    # the Overview's sentence speaks of the same year, median and chance as the slide
    assert all(_plain(x) in _plain(rep.spoken) for x in (str(h.year), big, prob))


def test_overview_page_says_the_reports_sentence(region):
    """The page reads its sentence from the report the deck is built from (ui.model.report, one cache)."""
    from apptest_helpers import open_view

    at = open_view("views/overview.py", "en")
    rep = model.report(default_scenario("en"), region, "en")
    assert rep.spoken_md and rep.spoken_md in [i.value for i in at.info]


def test_exports_from_a_report_never_call_the_engine(report_id, monkeypatch):
    """Everything is in the report: with every engine function refusing to run, the files are still made."""
    import sys

    def refuse(*_a, **_k):
        raise AssertionError("an export called the engine")

    engine = ("project", "goal_seek", "cost_coverage_curve", "sensitivity", "baseline_forecast", "fit_forecast")
    for name in ("simulation", "simulation.projection", "simulation.goalseek", "simulation.sensitivity",
                 "simulation.forecast"):
        for fn in engine:
            if callable(getattr(sys.modules[name], fn, None)):
                monkeypatch.setattr(sys.modules[name], fn, refuse)
    for fn in ("project", "goal_seek", "cost_curve", "sensitivity", "report", "_report"):
        monkeypatch.setattr(model, fn, refuse)
    deck = _deck(exports.council_deck_pptx(report_id))
    assert len(deck.slides) >= 9
    assert _pages(exports.brief_pdf(report_id)) >= 2
    assert openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(report_id.projection, "id"))).sheetnames


def test_fmt_date():
    import datetime as dt

    assert exports.fmt_date(dt.date(2026, 8, 17), "id") == "17 Agustus 2026"
    assert exports.fmt_date(dt.date(2026, 8, 17), "en") == "17 August 2026"


_FIGURES = {
    "fan": lambda p: charts.fan_chart(p, "id"),
    "tornado": lambda p: charts.tornado_chart(model.sensitivity(p.scenario, p.region), "id", metric="cost"),
    "compare": lambda p: charts.compare_chart(
        [model.project(s, p.region) for s in labels.presets(p.scenario, p.region, "id")], "id"),
    "cost_curve": lambda p: charts.cost_curve_chart(model.cost_curve(p.scenario, p.region, 2028), 45, 2028, "id"),
}


@pytest.mark.parametrize("kind", sorted(_FIGURES))
def test_figure_exports_compiled_once_draw_the_same_as_vega_lite(proj_id, kind):
    """Figures are compiled to Vega once per structure and get their tables and footer afterwards: the file
    must be the one Vega-Lite would give for the whole spec, for a second scenario of the same structure too."""
    build = _FIGURES[kind]
    start = model.project(proj_id.scenario.replace(city_share=0.6), proj_id.region)
    other = model.project(proj_id.scenario.replace(city_share=0.55), proj_id.region)
    for p in (start, other):
        fig = build(p)
        footer = exports.footer_text(p.scenario, "id")
        whole = exports.with_footer(fig, footer)
        assert exports.chart_png(fig, scale=2, footer=footer) == vlc.vegalite_to_png(whole, scale=2)
        # the SVG too, but for the last digit of a coordinate (floats pass through JSON once more)
        assert _rounded(exports.chart_svg(fig, footer=footer).decode()) == _rounded(vlc.vegalite_to_svg(whole))
    assert build(other).template is build(start).template


def _rounded(svg: str) -> str:
    return re.sub(r"\d+\.\d{6,}", lambda m: f"{float(m.group(0)):.6f}", svg)
