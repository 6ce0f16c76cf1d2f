"""The council deck (PowerPoint, python-pptx) from a :class:`presentation.report.Report`.

One message per slide as its title, 16:9, titles 32 pt and more, body text 20 pt and more (captions with the
sources and the slide footer are smaller). Figures are chart PNGs (:func:`.images.slide_picture`). Every number
and sentence comes from the report; the deck computes nothing.

Laid out by measure: every text is measured with the font LibreOffice and PowerPoint draw it with (Liberation
Sans, the metric twin of Arial; :class:`_Measure`), each box is as tall as its wrapped lines, a text that does not
fit shrinks by steps down to a floor size and what still does not fit moves to a continuation slide; tables
paginate at the rows that fit; nothing enters the footer band (the bottom :data:`_FOOTER_TOP` inches).
tests/test_deck_render.py renders every slide with LibreOffice and checks it.
"""

from __future__ import annotations

import functools
import io
import math
import re
from dataclasses import dataclass, replace

from .. import chart_style, charts
from ..i18n import t
from ..report import Report
from .images import png_size, slide_picture

__all__ = ["BODY_PT", "CAPTION_PT", "FOOTER_PT", "FOOTER_TOP", "SLIDE_SIZE", "TITLE_PT", "caption_paragraphs",
           "council_deck_pptx", "no_break", "shorten", "text_width"]

_SLIDE_W, _SLIDE_H = 13.333, 7.5   # inches, 16:9
SLIDE_SIZE = (_SLIDE_W, _SLIDE_H)
_MARGIN = 0.6
TITLE_PT, BODY_PT, CAPTION_PT, FOOTER_PT = 32, 22, 14, 12
FOOTER_TOP = _SLIDE_H - 0.5     # the footer band [in from the top]: no content below this line
_BOTTOM = FOOTER_TOP - 0.08     # the lowest edge of any content box
_INSET = 0.05                   # a text box's inner margin on each side [in]
_LINE = 1.17                    # line pitch / font size (Liberation Sans: ascent + descent = 1.117, some air)
_FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
_FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2",
              "/usr/share/fonts/liberation-sans", "/usr/share/fonts/liberation", "/Library/Fonts",
              "C:/Windows/Fonts")


def shorten(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;:") + "…"


# --------------------------------------------------------------------------- measuring text


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    """Liberation Sans (fonts-liberation) at 100 px, or ``None`` when it is not installed (then widths are
    estimated from an average glyph, on the wide side)."""
    from pathlib import Path

    from PIL import ImageFont

    for folder in _FONT_DIRS:
        path = Path(folder) / _FONT_FILES[bold]
        if path.is_file():
            return ImageFont.truetype(str(path), 100)
    return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set at ``size`` pt [in]."""
    font = _font(bold)
    units = font.getlength(text) if font is not None else 62.0 * len(text)
    return units / 100 * size / 72


def wrap(text: str, size: float, bold: bool, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` [in] at the spaces (no-break spaces hold); a word
    wider than the line is cut where it overflows, as LibreOffice and PowerPoint do."""
    lines: list[str] = []
    for chunk in str(text).split("\n"):
        line = ""
        for word in chunk.split(" "):
            trial = f"{line} {word}" if line else word
            if not line or text_width(trial, size, bold) <= width:
                line = trial
            else:
                lines.append(line)
                line = word
            while text_width(line, size, bold) > width and len(line) > 1:   # a word longer than the line
                cut = max(k for k in range(1, len(line) + 1) if k == 1 or text_width(line[:k], size, bold) <= width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Para:
    """A paragraph of a text box: its text, size [pt], floor size (it shrinks no further), weight, colour."""

    text: str
    size: float
    colour: str = chart_style.INK
    bold: bool = False
    floor: float = 0.0

    def at(self, size: float) -> Para:
        return replace(self, size=max(size, self.floor or self.size))

    @property
    def space_after(self) -> float:   # [pt]
        return min(self.size, 24) * 0.45

    def height(self, width: float) -> float:
        """Its height in a box ``width`` inches wide (lines and the space after) [in]."""
        return (len(wrap(no_break(self.text), self.size, self.bold, width)) * self.size * _LINE
                + self.space_after) / 72


def _inner(w: float) -> float:
    return w - 2 * _INSET - 0.04   # and a little air: the renderers' kerning differs by a few hundredths


def paras_height(paras, w: float) -> float:
    return sum(p.height(_inner(w)) for p in paras) + 2 * _INSET


def fit(paras: list[Para], w: float, h: float) -> tuple[list[Para], list[Para]]:
    """The paragraphs that fit a ``w`` x ``h`` box, shrunk by 2 pt steps down to their floors, and those that
    do not fit even then (for a continuation slide). The first paragraph always stays (a box is never empty)."""
    shrunk = list(paras)
    for step in range(0, 40, 2):
        shrunk = [p.at(p.size - step) for p in paras]
        if paras_height(shrunk, w) <= h:
            return shrunk, []
        if all(p.size <= (p.floor or p.size) for p in shrunk):
            break
    kept: list[Para] = []
    for k, p in enumerate(shrunk):
        if kept and paras_height([*kept, p], w) > h:
            return kept, paras[k:]
        kept.append(p)
    return kept, []


def fit_line(text: str, size: float, bold: bool, width: float) -> str:
    """``text`` shortened (…) until it fits one line of ``width`` inches."""
    text = " ".join(str(text).split())
    while len(text) > 2 and text_width(no_break(text), size, bold) > _inner(width):
        text = text[:-2].rstrip(" ,;:·") + "…"
    return text


class _Deck:
    def __init__(self, lang: str):
        from pptx import Presentation
        from pptx.util import Inches

        self.lang = lang
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(_SLIDE_W), Inches(_SLIDE_H)
        self.layout = self.prs.slide_layouts[6]  # blank
        self.slides = []

    @staticmethod
    def _rgb(hex_colour: str):
        from pptx.dml.color import RGBColor

        return RGBColor.from_string(hex_colour.lstrip("#").upper())

    def text(self, slide, x, y, w, h, paras: list[Para], anchor="top", align=None):
        """A text box of exactly these paragraphs (already fitted by the caller)."""
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = Inches(_INSET)
        for i, p in enumerate(paras):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.space_after = Pt(p.space_after)
            para.line_spacing = 1.0
            if align is not None:
                para.alignment = align
            run = para.add_run()
            run.text = no_break(p.text)
            run.font.size = Pt(p.size)
            run.font.bold = p.bold
            run.font.name = "Liberation Sans"
            run.font.color.rgb = self._rgb(p.colour)
        return box

    def flow(self, slide, x, y, w, h, paras: list[Para], title: str, top_of_next: float | None = None):
        """``paras`` in a box at most ``h`` tall, as tall as they need; what does not fit (at the floor sizes)
        continues on new slides under ``title`` (continued). Returns the bottom of the last box [in]."""
        while True:
            kept, rest = fit(paras, w, h)
            used = min(h, paras_height(kept, w))
            self.text(slide, x, y, w, used, kept)
            if not rest:
                return y + used
            slide, y = self.slide(self.continued(title))
            h = _BOTTOM - y
            paras = rest

    def continued(self, title: str) -> str:
        suffix = t("exports.continued", self.lang)
        return title if title.endswith(suffix) else f"{title} {suffix}"

    def slide(self, title: str):
        """A new slide with ``title`` (32 pt, as many lines as it needs: the title never shrinks below 32 pt,
        it grows downwards) and the orange bar. Returns the slide and the top of its content area [in]."""
        s = self.prs.slides.add_slide(self.layout)
        h = self._title_height(title)
        self.text(s, _MARGIN, 0.35, _SLIDE_W - 2 * _MARGIN, h, [Para(title, TITLE_PT, chart_style.INK, bold=True)],
                  anchor="bottom")
        self.bar(s, 0.35 + h + 0.07)
        self.slides.append(s)
        return s, 0.35 + h + 0.33

    @staticmethod
    def _title_height(title: str) -> float:
        para = Para(title, TITLE_PT, chart_style.INK, bold=True)
        return max(1.3, paras_height([para], _SLIDE_W - 2 * _MARGIN) - para.space_after / 72)

    def top_after(self, title: str) -> float:
        """The top of the content area under ``title`` [in]."""
        return 0.35 + self._title_height(title) + 0.33

    def bar(self, slide, y):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(_MARGIN + 0.05), Inches(y), Inches(1.6),
                                     Inches(0.07))
        bar.fill.solid()
        bar.fill.fore_color.rgb = self._rgb(chart_style.ORANGE)
        bar.line.fill.background()

    @staticmethod
    def _row_height(values, widths, size, bold) -> float:
        lines = max(len(wrap(no_break(str(v)), size, bold, wj - 0.16 - 0.06)) for v, wj in zip(values, widths,
                                                                                                 strict=True))
        return lines * size * _LINE / 72 + 0.06 + 0.02

    def table(self, slide, x, y, w, header, rows, widths, title: str, size=20, align_numbers=True) -> float:
        """A table whose rows are measured: as many rows as fit above the footer band go on this slide, the
        rest on continuation slides under ``title`` (continued), each with the header. Returns the bottom of
        the last table [in]."""
        total = sum(widths)
        cols = [w * wj / total for wj in widths]
        head_h = self._row_height(header, cols, size, True)
        heights = [self._row_height(r, cols, size, False) for r in rows]
        rows = [list(r) for r in rows]
        per_page = len(rows)
        if sum(heights) > _BOTTOM - y - head_h:   # more than one slide: about as many rows on each
            full = _BOTTOM - self.top_after(title + " " + t("exports.continued", self.lang)) - head_h
            pages = 1 + math.ceil(max(sum(heights) - (_BOTTOM - y - head_h), 0) / full)
            per_page = math.ceil(len(rows) / pages)
        while True:
            room, n = _BOTTOM - y - head_h, 0
            while n < len(rows) and (heights[n] <= room or n == 0) and n < per_page:
                room -= heights[n]
                n += 1
            self._table(slide, x, y, cols, [header, *rows[:n]], [head_h, *heights[:n]], size, align_numbers)
            bottom = y + head_h + sum(heights[:n])
            rows, heights = rows[n:], heights[n:]
            if not rows:
                return bottom
            slide, y = self.slide(self.continued(title))

    def _table(self, slide, x, y, cols, values, heights, size, align_numbers):
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Emu, Inches, Pt

        shape = slide.shapes.add_table(len(values), len(cols), Inches(x), Inches(y), Inches(sum(cols)),
                                       Inches(sum(heights)))
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = False
        for j, wj in enumerate(cols):
            tbl.columns[j].width = Emu(int(Inches(wj)))
        for i, row in enumerate(values):
            tbl.rows[i].height = Emu(int(Inches(heights[i])))
            for j, v in enumerate(row):
                cell = tbl.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = self._rgb("#E8E8E8" if i == 0 else ("#FFFFFF" if i % 2 else "#F6F6F6"))
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                tf = cell.text_frame
                tf.word_wrap = True
                para = tf.paragraphs[0]
                para.line_spacing = 1.0
                run = para.add_run()
                run.text = no_break(str(v))
                run.font.size = Pt(size)
                run.font.bold = i == 0
                run.font.name = "Liberation Sans"
                run.font.color.rgb = self._rgb(chart_style.INK)
                if align_numbers and j > 0 and _looks_numeric(str(v)):
                    para.alignment = PP_ALIGN.RIGHT
        return shape

    def picture(self, slide, png: bytes, x, y, w, h):
        """The PNG fitted into the box (aspect kept), anchored top left."""
        from pptx.util import Inches

        pw, ph = png_size(png)
        scale = min(w / pw, h / ph)
        return slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(pw * scale),
                                        Inches(ph * scale))

    def save(self, footer: str) -> bytes:
        from pptx.enum.text import PP_ALIGN

        n = len(self.slides)
        y, h = FOOTER_TOP + 0.08, _SLIDE_H - FOOTER_TOP - 0.12
        w_page = 1.0
        w_footer = _SLIDE_W - 2 * _MARGIN - w_page
        line = fit_line(footer, FOOTER_PT, False, w_footer)
        for i, s in enumerate(self.slides, start=1):
            if i == 1:
                continue
            self.text(s, _MARGIN, y, w_footer, h, [Para(line, FOOTER_PT, chart_style.GREY)])
            self.text(s, _SLIDE_W - _MARGIN - w_page, y, w_page, h, [Para(f"{i} / {n}", FOOTER_PT, chart_style.GREY)],
                      align=PP_ALIGN.RIGHT)
        bio = io.BytesIO()
        self.prs.save(bio)
        return bio.getvalue()


_NO_BREAK = re.compile(r"(Rp) (?=[-0-9])|(?<=[0-9]) (%|poin|pp|juta|miliar|triliun|million|billion|trillion)(?!\w)")


def no_break(text: str) -> str:
    """Keep "Rp 2,15 miliar" and "45,0 %" on one line."""
    return _NO_BREAK.sub(lambda m: (m[1] + "\u00a0") if m[1] else "\u00a0" + m[2], str(text))


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?(Rp[ \u00a0])?[0-9.,]+([ \u00a0](%|juta|miliar|triliun|million|billion|trillion))?",
                             text))

def caption_paragraphs(lines) -> list[str]:
    """A chart's subtitle lines (wrapped for the chart at :data:`chart_style.SUBTITLE_CHARS`) as paragraphs again:
    the source line, then the note. A line ends a paragraph when the next line's first word would have fit on
    it (the wrap is greedy), so a source line is never split between two boxes."""
    paras: list[str] = []
    new = True
    for i, line in enumerate(lines):
        if new:
            paras.append(line)
        else:
            paras[-1] += " " + line
        nxt = lines[i + 1].split(" ", 1)[0] if i + 1 < len(lines) else ""
        new = len(line) + 1 + len(nxt) <= chart_style.SUBTITLE_CHARS
    return paras


def _chart_slide(deck: _Deck, title: str, chart, sentence: str, big: str = "", big_label: str = "",
                 notes: tuple[str, ...] = (), scale: float = 2.5) -> None:
    """Chart on the left, the message's number and sentence on the right, the chart's source and notes
    underneath across the slide (measured: the picture takes the height the caption leaves)."""
    s, top = deck.slide(title)
    png, caption = slide_picture(chart, scale)
    w_all = _SLIDE_W - 2 * _MARGIN
    cap = [Para(line, CAPTION_PT, chart_style.GREY, floor=FOOTER_PT) for line in caption_paragraphs(caption)]
    cap, _ = fit(cap, w_all, 1.2) if cap else ([], [])
    cap_h = paras_height(cap, w_all) if cap else 0.0
    bottom = _BOTTOM - cap_h
    pic = deck.picture(s, png, _MARGIN - 0.1, top, 7.9, bottom - top - 0.05)
    x_text = _MARGIN - 0.1 + pic.width / 914400 + 0.3
    paras = []
    if big:
        paras += [Para(big, 40 if len(big) <= 9 else 32, chart_style.ORANGE, bold=True, floor=32),
                  Para(big_label, 20, chart_style.GREY, floor=20)]
    paras.append(Para(sentence, 20, floor=20))
    paras += [Para(line, CAPTION_PT, chart_style.GREY, floor=FOOTER_PT) for line in notes]
    if cap:
        deck.text(s, _MARGIN, bottom, w_all, cap_h, cap)
    deck.flow(s, x_text, top + 0.05, _SLIDE_W - _MARGIN - x_text, bottom - top - 0.1, paras, title)


def council_deck_pptx(report: Report) -> bytes:
    """A 16:9 deck for the council, one message per slide, in the report's language.

    Slides: title; the situation today; the scenario; the projection against the targets (fan chart);
    cost and what families get back (claims chart); what it takes to reach the target (the report's goal, if
    any); which assumptions matter (its sensitivity table, if any); other scenarios (its compared projections,
    if any); the assumptions and weak sources used. A slide whose text or table does not fit continues on the
    next slide (module notes).
    """
    r = report
    lang = r.lang
    ps = r.shown
    deck = _Deck(lang)
    w_all = _SLIDE_W - 2 * _MARGIN

    # 1 title
    s = deck.prs.slides.add_slide(deck.layout)
    deck.slides.append(s)
    name, _ = fit([Para(r.name, 44, bold=True, floor=32)], w_all, 2.2)
    deck.text(s, _MARGIN, 1.5, w_all, 2.2, name, anchor="bottom")
    deck.bar(s, 3.75)
    paras, _ = fit([Para(r.subtitle, 26, floor=20),
                    Para(f"{r.region_name} · {r.date_text}", 24, chart_style.GREY, floor=20),
                    Para(t("exports.identity_line", lang, id=r.identity), 20, chart_style.GREY, floor=20),
                    Para(t("app.disclaimer", lang), 16, chart_style.GREY, floor=FOOTER_PT)], w_all, _BOTTOM - 4.0)
    deck.text(s, _MARGIN, 4.0, w_all, _BOTTOM - 4.0, paras)

    # 2 situation: the bullets, then the source line underneath
    s, top = deck.slide(r.situation.title)
    paras = [Para("• " + b, BODY_PT, floor=20) for b in r.situation.bullets]
    paras.append(Para(r.situation.source, CAPTION_PT, chart_style.GREY, floor=FOOTER_PT))
    deck.flow(s, _MARGIN, top, w_all, _BOTTOM - top, paras, r.situation.title)

    # 3 scenario: the groups' table (paginated) on the left, the facts on the right
    sc = r.scenario
    s, top = deck.slide(sc.title)
    x_facts = _MARGIN + 7.6 if sc.rows else _MARGIN   # no group in scope: no empty table, the facts alone
    deck.flow(s, x_facts, top, _SLIDE_W - _MARGIN - x_facts, _BOTTOM - top,
              [Para("• " + f, 20, floor=20) for f in sc.facts], sc.title)
    if sc.rows:
        deck.table(s, _MARGIN, top, 7.3, [t("common.group", lang), t("exports.members", lang),
                                          t("exports.active_in", lang, year=sc.first_year)],
                   sc.rows, [3.4, 1.5, 1.9], sc.title)

    # 4 projection
    c = r.coverage
    _chart_slide(deck, c.title, charts.fan_chart(ps, lang), c.sentence, c.big, c.big_label)

    # 5 cost and claims
    c = r.cost
    _chart_slide(deck, c.title, charts.claims_chart(ps, lang), c.sentence, c.big, c.big_label,
                 notes=(t("exports.cost_note", lang),))

    # 6 goal: the sentence, then the steps' table (paginated)
    g = r.goal_text
    if g is not None:
        s, top = deck.slide(g.title)
        y = deck.flow(s, _MARGIN, top, w_all, _BOTTOM - top, [Para(g.sentence, 20, floor=20)], g.title)
        if g.rows:
            if y > _BOTTOM - 1.2:   # not even the header and a row: the table starts on the next slide
                s, y = deck.slide(deck.continued(g.title))
            deck.table(s, _MARGIN, y + 0.1, w_all,
                       [t("common.group", lang), t("exports.members_to_add", lang), t("common.participants", lang),
                        t("common.cost_per_year", lang)], g.rows, [4.6, 2.6, 2.0, 2.4], g.title)

    # 7 sensitivity, 8 comparison (optional)
    if r.sensitivity is not None:
        _chart_slide(deck, r.sensitivity_title, charts.tornado_chart(r.sensitivity, lang), r.sensitivity_sentence)
    if r.compare:
        _chart_slide(deck, r.compare_title, charts.compare_chart(list(r.compare), lang), r.compare_sentence)

    # 9 appendix: assumptions (A), then weak sources (L), paginated; the note under the last table
    title = t("exports.assumptions_title", lang)
    s, top = deck.slide(title)
    note = [Para(t("exports.assumptions_note", lang), CAPTION_PT, chart_style.GREY, floor=FOOTER_PT)]
    y = deck.table(s, _MARGIN, top, w_all,
                   [t("exports.input", lang), t("common.value", lang), t("exports.col.source", lang)],
                   [[a.short, shorten(a.value, 34) + f" ({a.certainty})", shorten(a.sources[0], 60)]
                    for a in r.assumptions], [4.4, 2.9, 4.8], title, size=20, align_numbers=False)
    if y + paras_height(note, w_all) + 0.1 > _BOTTOM:
        s, y = deck.slide(deck.continued(title))
    deck.flow(deck.slides[-1], _MARGIN, y + 0.1, w_all, _BOTTOM - y - 0.1, note, title)
    return deck.save(r.footer)
