"""The council deck and the brief as a real renderer draws them: every slide and page, Pontianak and West
Kalimantan, Indonesian and English.

The PPTX goes through LibreOffice (``soffice --headless --convert-to pdf``), the brief is a PDF already; poppler's
``pdftotext -bbox-layout`` gives where each line of text landed. A test fails when a line lies outside its text
box or table (the box python-pptx wrote), outside the slide or the page's text area, in the footer band (other
than the footer itself), or over another line; and when two target labels of a chart collide (the chart's own
scenegraph from Vega, the boxes measured with the font it draws with).

The renderers come from scripts/renderers.sh (run by test.sh; ``apt-get install libreoffice-impress
poppler-utils fonts-liberation``): without them these tests fail, they never skip.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
import vl_convert as vlc
from pptx import Presentation
from pptx.util import Emu

from presentation import chart_style, charts, exports, labels
from presentation.exports import deck as deck_module
from presentation.exports import images
from simulation.data import load_region
from simulation.scenario import default_scenario, scenario_from_region
from ui import model

CASES = [("pontianak", "id"), ("pontianak", "en"), ("kalbar", "id"), ("kalbar", "en")]
PT = 72                      # points per inch
CM = 72 / 2.54
TOL = 2.0                    # [pt] a renderer's rounding
A4_MARGIN_X, A4_TOP, A4_BOTTOM = 2 * CM, 1.8 * CM, 2 * CM   # brief.py's page frame


def _renderers() -> tuple[str, str]:
    soffice, pdftotext = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")
    assert soffice and pdftotext, ("the render test needs LibreOffice and poppler: run scripts/renderers.sh as root "
                                   "or 'sudo apt-get install -y libreoffice-impress poppler-utils fonts-liberation'")
    return soffice, pdftotext


def _scenario(region_id: str, lang: str):
    if region_id == "pontianak":
        return default_scenario(lang)
    return scenario_from_region(region_id, name="Kesepakatan Kalbar" if lang == "id" else "Kalbar agreement",
                                lang=lang)


@cache
def _report(region_id: str, lang: str):
    region = load_region(region_id)
    scenario = _scenario(region_id, lang)
    others = tuple(labels.presets(scenario, region, lang)[1:3])
    return model.report(scenario, region, lang, sensitivity=True, compare=(scenario, *others))


# --------------------------------------------------------------------------- rendering and reading positions


def _lines(pdftotext: str, pdf: Path) -> list[dict]:
    """Each page: its size and its text lines (x0, y0, x1, y1 in pt from the top left, and the text)."""
    out = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        lines = []
        for ln in re.finditer(r'<line xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</line>',
                              m[3], re.S):
            words = [html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", ln[5], re.S)]
            lines.append({"box": tuple(float(ln[i]) for i in range(1, 5)), "text": " ".join(words)})
        pages.append({"w": float(m[1]), "h": float(m[2]), "lines": lines})
    return pages


@pytest.fixture(scope="module")
def rendered():
    """Every case's deck (PPTX bytes, rendered pages) and brief (rendered pages): one LibreOffice run."""
    soffice, pdftotext = _renderers()
    with tempfile.TemporaryDirectory(prefix="deck-render-") as tmp:
        work = Path(tmp)
        decks = {}
        for region_id, lang in CASES:
            r = _report(region_id, lang)
            decks[(region_id, lang)] = exports.council_deck_pptx(r)
            (work / f"deck-{region_id}-{lang}.pptx").write_bytes(decks[(region_id, lang)])
            (work / f"brief-{region_id}-{lang}.pdf").write_bytes(exports.brief_pdf(r))
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work / "out"), *sorted(str(p) for p in work.glob("deck-*.pptx"))],
                       cwd=work, capture_output=True, timeout=180, check=True)
        out = {}
        for case in CASES:
            stem = f"{case[0]}-{case[1]}"
            out[case] = {"pptx": decks[case], "deck": _lines(pdftotext, work / "out" / f"deck-{stem}.pdf"),
                         "brief": _lines(pdftotext, work / f"brief-{stem}.pdf")}
        yield out


# --------------------------------------------------------------------------- geometry


def _inside(inner, outer, tol=TOL) -> bool:
    """``inner`` (a text line) within ``outer``; vertically with a fifth of the line's height to spare, as
    poppler's line box takes the font's whole bounding box, taller than the line pitch the text is set on."""
    v = max(tol, 0.2 * (inner[3] - inner[1]))
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - v and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + v)


def _overlap(a, b) -> float:
    """The area two boxes share, as a share of the smaller one."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(smaller, 1e-9)


def _collisions(lines, label: str) -> list[str]:
    found = []
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if _overlap(a["box"], b["box"]) > 0.15:
                found.append(f"{label}: «{a['text']}» over «{b['text']}»")
    return found


def _shape_boxes(slide) -> list[tuple]:
    """Boxes [pt] of the slide's text boxes and tables as written into the PPTX."""
    boxes = []
    for sh in slide.shapes:
        if sh.has_text_frame or sh.has_table:
            x, y = Emu(sh.left).pt, Emu(sh.top).pt
            boxes.append((x, y, x + Emu(sh.width).pt, y + Emu(sh.height).pt))
    return boxes


def deck_faults(pptx: bytes, pages: list[dict], label: str) -> list[str]:
    """What is wrong with a rendered deck: text outside its box, in the footer band or off the slide; boxes
    reaching into the footer band; lines over lines."""
    prs = Presentation(io.BytesIO(pptx))
    slides = list(prs.slides)
    faults = [] if len(slides) == len(pages) else [f"{label}: {len(slides)} slides but {len(pages)} pages"]
    band = deck_module.FOOTER_TOP * PT
    for k, (slide, page) in enumerate(zip(slides, pages, strict=False), start=1):
        where = f"{label} slide {k}"
        boxes = _shape_boxes(slide)
        for sh in slide.shapes:   # no content shape enters the footer band
            y0, y1 = Emu(sh.top).pt, Emu(sh.top + sh.height).pt
            if y0 < band - TOL and y1 > band + TOL:
                faults.append(f"{where}: a {sh.shape_type} shape runs into the footer band ({y1:.0f} > {band:.0f} pt)")
        for ln in page["lines"]:
            box = ln["box"]
            if not _inside(box, (0, 0, page["w"], page["h"]), 0):
                faults.append(f"{where}: «{ln['text']}» off the slide {box}")
            elif not any(_inside(box, b) for b in boxes):
                faults.append(f"{where}: «{ln['text']}» outside its text box or table {tuple(round(v) for v in box)}")
            if box[1] < band - TOL < box[3]:
                faults.append(f"{where}: «{ln['text']}» crosses into the footer band")
        faults += _collisions(page["lines"], where)
    return faults


def brief_faults(pages: list[dict], footer: str, label: str) -> list[str]:
    """What is wrong with a rendered brief page: text outside the frame, in the footer band (other than the
    footer line), or over other text."""
    faults = []
    for k, page in enumerate(pages, start=1):
        where = f"{label} page {k}"
        frame = (A4_MARGIN_X, A4_TOP, page["w"] - A4_MARGIN_X, page["h"] - A4_BOTTOM)
        for ln in page["lines"]:
            box = ln["box"]
            if box[1] >= frame[3] - TOL:   # the footer band: the footer and the page number only
                if not (footer.startswith(ln["text"][:12]) or re.fullmatch(r"(Halaman|Page) \d+", ln["text"])
                        or re.search(r"(Halaman|Page) \d+$", ln["text"])):
                    faults.append(f"{where}: «{ln['text']}» in the footer band")
                if not _inside(box, (frame[0], frame[3], frame[2], page["h"] - 0.5 * CM)):
                    faults.append(f"{where}: the footer line «{ln['text']}» runs outside the page's width")
            elif not _inside(box, frame):
                faults.append(f"{where}: «{ln['text']}» outside the text area {tuple(round(v) for v in box)}")
        faults += _collisions(page["lines"], where)
    return faults


# --------------------------------------------------------------------------- chart labels


def _label_boxes(spec: dict) -> list[tuple]:
    """The target labels as Vega places them (its scenegraph), measured with the font they are drawn in."""
    texts = {d["text"] for d in spec.get("datasets", {}).get("targets", [])}
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("marktype") == "text":
                for it in node.get("items", []):
                    if it.get("text") in texts:
                        size = it["fontSize"]
                        w = deck_module.text_width(it["text"], size, it.get("fontWeight") == "bold") * PT
                        x = it["x"] + it.get("dx", 0) - (w if it.get("align") == "right" else 0)
                        y = it["y"] + it.get("dy", 0)
                        found[(it["text"], round(x), round(y))] = (x, y, x + w, y + size)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(vlc.vegalite_to_scenegraph(spec))
    return list(found.values())


def label_faults(chart, label: str) -> list[str]:
    faults = []
    base = images._chart_spec(chart)
    for what, (spec, _) in (("slide", images._slide_spec(base)),
                            ("page", images._slide_spec(base, factor=1.2, legend_columns=None, wide=False))):
        boxes = _label_boxes(spec)
        n = len(spec.get("datasets", {}).get("targets", []))
        if len(boxes) != n:
            faults.append(f"{label} ({what}): {len(boxes)} label boxes for {n} targets")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if _overlap(a, b) > 0:
                    faults.append(f"{label} ({what}): target labels collide: {a} and {b}")
    return faults


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lang}" for r, lang in CASES])
def test_every_slide_keeps_its_text_in_its_boxes_and_out_of_the_footer(rendered, case):
    got = rendered[case]
    assert len(got["deck"]) >= 9
    assert deck_faults(got["pptx"], got["deck"], "-".join(case)) == []


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lang}" for r, lang in CASES])
def test_every_brief_page_keeps_its_text_in_the_frame(rendered, case):
    got = rendered[case]
    assert 2 <= len(got["brief"]) <= 4
    assert brief_faults(got["brief"], _report(*case).footer, "-".join(case)) == []


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lang}" for r, lang in CASES])
def test_target_labels_never_collide(case):
    r = _report(*case)
    faults = label_faults(charts.fan_chart(r.shown, r.lang), f"fan {case}")
    faults += label_faults(charts.compare_chart(list(r.compare), r.lang), f"compare {case}")
    assert faults == []


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-{lang}" for r, lang in CASES])
def test_rendered_text_reads_as_the_app_writes_it(rendered, case):
    """Targets with the decimals they were published with, plurals right, no internal notes, every source line
    whole in one box."""
    text = " ".join(ln["text"] for page in rendered[case]["deck"] for ln in page["lines"])
    brief = " ".join(ln["text"] for page in rendered[case]["brief"] for ln in page["lines"])
    for tg in _report(*case).shown.scenario.targets:
        assert chart_style.target_pct(tg.coverage_pct, case[1]).replace("\u00a0", " ") in text.replace("\u00a0", " ")
    assert not re.search(r"\b1 (groups|scenarios|kelompok lain)\b", text)
    assert "DOMAIN" not in text and "DOMAIN" not in brief
    prs = Presentation(io.BytesIO(rendered[case]["pptx"]))
    boxes = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    for b in boxes:   # a caption box never starts inside a source line or its quoted scenario name
        assert not re.match(r"^[^«]*»", b), b


def test_the_checks_catch_a_row_over_the_footer_and_a_split_line(rendered):
    """The checks themselves: a table row pushed into the footer band and a line outside its box are found."""
    got = rendered[CASES[0]]
    pages = [dict(p, lines=list(p["lines"])) for p in got["deck"]]
    band = deck_module.FOOTER_TOP * PT
    pages[5]["lines"].append({"box": (50.0, band - 10, 300.0, band + 8), "text": "Small farmers 800 504"})
    pages[3]["lines"].append({"box": (700.0, 10.0, 760.0, 20.0), "text": "informal»"})
    faults = deck_faults(got["pptx"], pages, "probe")
    assert any("footer band" in f and "Small farmers" in f for f in faults)
    assert any("informal»" in f and "outside its text box" in f for f in faults)
