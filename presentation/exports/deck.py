"""The council deck (PowerPoint, python-pptx) from a :class:`presentation.report.Report`.

One message per slide as its title, 16:9, titles 32 pt and more, body text 20 pt and more (captions with the
sources and the slide footer are smaller). Figures are chart PNGs (:func:`.images.slide_picture`). Every number
and sentence comes from the report; the deck computes nothing.
"""

from __future__ import annotations

import io
import re

from .. import charts
from ..i18n import fmt_number, t
from ..report import Report
from .images import png_size, slide_picture

__all__ = ["BODY_PT", "CAPTION_PT", "FOOTER_PT", "TITLE_PT", "council_deck_pptx", "no_break", "shorten"]

_SLIDE_W, _SLIDE_H = 13.333, 7.5   # inches, 16:9
_MARGIN = 0.6
TITLE_PT, BODY_PT, CAPTION_PT, FOOTER_PT = 32, 22, 14, 12
_MAX_TABLE_ROWS = 7


def shorten(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;:") + "…"


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

    def text(self, slide, x, y, w, h, paragraphs, anchor="top"):
        """``paragraphs``: list of (text, size_pt, bold, colour) tuples."""
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
        tf.margin_left = tf.margin_right = Inches(0.05)
        for i, (txt, size, bold, colour) in enumerate(paragraphs):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.space_after = Pt(min(size, 24) * 0.45)
            run = para.add_run()
            run.text = no_break(txt)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = "Liberation Sans"
            run.font.color.rgb = self._rgb(colour)
        return box

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.layout)
        self.text(s, _MARGIN, 0.35, _SLIDE_W - 2 * _MARGIN, 1.3, [(title, TITLE_PT, True, charts.INK)],
                  anchor="bottom")
        self.bar(s, 1.72)
        self.slides.append(s)
        return s

    def bar(self, slide, y):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(_MARGIN + 0.05), Inches(y), Inches(1.6),
                                     Inches(0.07))
        bar.fill.solid()
        bar.fill.fore_color.rgb = self._rgb(charts.ORANGE)
        bar.line.fill.background()

    def bullets(self, slide, x, y, w, h, items, size=BODY_PT):
        return self.text(slide, x, y, w, h, [("• " + it, size, False, charts.INK) for it in items])

    def table(self, slide, x, y, w, header, rows, widths, size=20, align_numbers=True):
        from pptx.util import Inches, Pt

        n = len(rows) + 1
        row_h = size / 72 * 1.9
        shape = slide.shapes.add_table(n, len(header), Inches(x), Inches(y), Inches(w), Inches(row_h * n))
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = False
        total = sum(widths)
        for j, wj in enumerate(widths):
            tbl.columns[j].width = Inches(w * wj / total)
        for i, values in enumerate([header, *rows]):
            tbl.rows[i].height = Inches(row_h)
            for j, v in enumerate(values):
                cell = tbl.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = self._rgb("#E8E8E8" if i == 0 else ("#FFFFFF" if i % 2 else "#F6F6F6"))
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                tf = cell.text_frame
                tf.word_wrap = True
                para = tf.paragraphs[0]
                run = para.add_run()
                run.text = no_break(str(v))
                run.font.size = Pt(size)
                run.font.bold = i == 0
                run.font.name = "Liberation Sans"
                run.font.color.rgb = self._rgb(charts.INK)
                if align_numbers and j > 0 and i > 0 and _looks_numeric(str(v)):
                    from pptx.enum.text import PP_ALIGN

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
        n = len(self.slides)
        for i, s in enumerate(self.slides, start=1):
            if i == 1:
                continue
            self.text(s, _MARGIN, _SLIDE_H - 0.45, _SLIDE_W - 2 * _MARGIN - 1.0, 0.35,
                      [(footer, FOOTER_PT, False, charts.GREY)])
            box = self.text(s, _SLIDE_W - _MARGIN - 1.0, _SLIDE_H - 0.45, 1.0, 0.35,
                            [(f"{i} / {n}", FOOTER_PT, False, charts.GREY)])
            from pptx.enum.text import PP_ALIGN

            box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
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

def _chart_slide(deck: _Deck, title: str, chart, sentence: str, big: str = "", big_label: str = "",
                 notes: tuple[str, ...] = (), scale: float = 2.5) -> None:
    """Chart on the left, the message's number and sentence on the right, the chart's source underneath."""
    s = deck.slide(title)
    png, caption = slide_picture(chart, scale)
    top, bottom = 1.95, _SLIDE_H - 0.55 - 0.45
    pic = deck.picture(s, png, _MARGIN - 0.1, top, 7.9, bottom - top)
    x_text = _MARGIN - 0.1 + pic.width / 914400 + 0.3
    paras = []
    if big:
        paras += [(big, 40 if len(big) <= 9 else 32, True, charts.ORANGE), (big_label, 20, False, charts.GREY)]
    paras.append((sentence, 20, False, charts.INK))
    paras += [(line, CAPTION_PT, False, charts.GREY) for line in (*notes, *caption[1:])]
    deck.text(s, x_text, top + 0.05, _SLIDE_W - _MARGIN - x_text, bottom - top - 0.05, paras)
    if caption:
        deck.text(s, _MARGIN, bottom + 0.02, _SLIDE_W - 2 * _MARGIN, 0.45,
                  [(shorten(caption[0], 250), CAPTION_PT, False, charts.GREY)])


def _capped(rows, lang: str, sums: tuple[int, ...]) -> list[list[str]]:
    """At most :data:`_MAX_TABLE_ROWS` rows: the rest summed into one "n other groups" row (``sums``: the
    columns to add up; the others stay empty)."""
    rows = [list(r) for r in rows]
    if len(rows) <= _MAX_TABLE_ROWS:
        return rows
    rest = rows[_MAX_TABLE_ROWS - 1:]
    total = [t("exports.other_groups", lang, n=len(rest))] + [
        fmt_number(sum(parse_int(r[j]) for r in rest), lang) if j in sums else "" for j in range(1, len(rows[0]))]
    return rows[: _MAX_TABLE_ROWS - 1] + [total]


def council_deck_pptx(report: Report) -> bytes:
    """A 16:9 deck for the council, one message per slide, in the report's language.

    Slides: title; the situation today; the scenario; the projection against the targets (fan chart);
    cost and what families get back (claims chart); what it takes to reach the target (the report's goal, if
    any); which assumptions matter (its sensitivity table, if any); other scenarios (its compared projections,
    if any); the assumptions and weak sources used.
    """
    r = report
    lang = r.lang
    ps = r.shown
    deck = _Deck(lang)

    # 1 title
    s = deck.prs.slides.add_slide(deck.layout)
    deck.slides.append(s)
    deck.text(s, _MARGIN, 1.5, _SLIDE_W - 2 * _MARGIN, 2.2, [(r.name, 44, True, charts.INK)], anchor="bottom")
    deck.bar(s, 3.75)
    deck.text(s, _MARGIN, 4.0, _SLIDE_W - 2 * _MARGIN, 3.0, [
        (t("exports.deck_subtitle", lang), 26, False, charts.INK),
        (f"{r.region_name} · {r.date_text}", 24, False, charts.GREY),
        (t("exports.identity_line", lang, id=r.identity), 20, False, charts.GREY),
        (t("app.disclaimer", lang), 16, False, charts.GREY),
    ])

    # 2 situation
    s = deck.slide(r.situation.title)
    deck.bullets(s, _MARGIN, 2.05, _SLIDE_W - 2 * _MARGIN, 4.2, r.situation.bullets)
    deck.text(s, _MARGIN, _SLIDE_H - 1.15, _SLIDE_W - 2 * _MARGIN, 0.6,
              [(shorten(r.situation.source, 230), CAPTION_PT, False, charts.GREY)])

    # 3 scenario
    sc = r.scenario
    s = deck.slide(sc.title)
    deck.table(s, _MARGIN, 2.05, 7.3, [t("common.group", lang), t("exports.members", lang),
                                       t("exports.active_in", lang, year=sc.first_year)],
               _capped(sc.rows, lang, (1,)), [3.4, 1.5, 1.9])
    deck.bullets(s, _MARGIN + 7.6, 2.05, _SLIDE_W - 2 * _MARGIN - 7.6, 4.6, sc.facts, size=20)

    # 4 projection
    c = r.coverage
    _chart_slide(deck, c.title, charts.fan_chart(ps, lang), c.sentence, c.big, c.big_label)

    # 5 cost and claims
    c = r.cost
    _chart_slide(deck, c.title, charts.claims_chart(ps, lang), c.sentence, c.big, c.big_label,
                 notes=(t("exports.cost_note", lang),))

    # 6 goal
    g = r.goal_text
    if g is not None:
        s = deck.slide(g.title)
        deck.text(s, _MARGIN, 2.0, _SLIDE_W - 2 * _MARGIN, 1.0, [(g.sentence, 20, False, charts.INK)])
        if g.rows:
            deck.table(s, _MARGIN, 3.15, _SLIDE_W - 2 * _MARGIN,
                       [t("common.group", lang), t("exports.members_to_add", lang), t("common.participants", lang),
                        t("common.cost_per_year", lang)], _capped(g.rows, lang, (1, 2)), [4.6, 2.6, 2.0, 2.4])

    # 7 sensitivity, 8 comparison (optional)
    if r.sensitivity is not None:
        _chart_slide(deck, r.sensitivity_title, charts.tornado_chart(r.sensitivity, lang), r.sensitivity_sentence)
    if r.compare:
        _chart_slide(deck, r.compare_title, charts.compare_chart(list(r.compare), lang), r.compare_sentence)

    # 9 appendix: assumptions (A), then weak sources (L)
    rows = r.assumptions
    n_chunks = -(-len(rows) // 5)
    per = -(-len(rows) // n_chunks) if n_chunks else 1
    chunks = [rows[i:i + per] for i in range(0, len(rows), per)]
    for k, chunk in enumerate(chunks, start=1):
        title = t("exports.assumptions_title", lang)
        if len(chunks) > 1:
            title += f" ({k}/{len(chunks)})"
        s = deck.slide(title)
        deck.table(s, _MARGIN, 2.0, _SLIDE_W - 2 * _MARGIN,
                   [t("exports.input", lang), t("common.value", lang), t("exports.col.source", lang)],
                   [[a.short, shorten(a.value, 34) + f" ({a.certainty})", shorten(a.sources[0], 60)]
                    for a in chunk], [4.4, 2.9, 4.8], size=20, align_numbers=False)
        deck.text(s, _MARGIN, _SLIDE_H - 1.0, _SLIDE_W - 2 * _MARGIN, 0.5,
                  [(t("exports.assumptions_note", lang), CAPTION_PT, False, charts.GREY)])
    return deck.save(r.footer)


def parse_int(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text) or 0)
