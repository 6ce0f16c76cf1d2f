"""The brief (PDF, reportlab) from a :class:`presentation.report.Report`: the council deck's content on 2-4 A4 pages.

Set with reportlab's standard Helvetica (text outside Windows-1252 is replaced; « » and – are in it). Figures
are chart PNGs (:func:`.images.slide_picture`) with their source lines as text underneath. Every number and
sentence comes from the report; the brief computes nothing.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as _xml_escape

from .. import chart_style, charts
from ..i18n import t
from ..report import Report, certainty_label
from .deck import caption_paragraphs, no_break
from .images import png_size, slide_picture

__all__ = ["brief_pdf"]


def _pdf_text(text) -> str:
    """Escaped for reportlab's mini-HTML and limited to what the standard fonts (cp1252) can show."""
    s = no_break(str(text)).encode("cp1252", "replace").decode("cp1252")
    return _xml_escape(s)


def brief_pdf(report: Report, compress: bool = True) -> bytes:
    """The content of the council deck as a 2-4 page A4 brief (reportlab, standard fonts)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rep = report
    lang = rep.lang
    ps = rep.shown
    ink, grey = colors.HexColor(chart_style.INK), colors.HexColor(chart_style.GREY)
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, textColor=ink, spaceAfter=4)
    h1 = ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=10,
                        spaceAfter=5)
    meta = ParagraphStyle("meta", parent=base, textColor=grey)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=grey)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0)
    cell_r = ParagraphStyle("cell_r", parent=cell, alignment=TA_RIGHT)
    bullet = ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2)

    width = A4[0] - 4 * cm - 12   # the frame's text width: 2 cm margins, minus the frame's own 6 pt padding a side

    def para(text, style=base):
        return Paragraph(_pdf_text(text), style)

    def figure(chart, max_h, side=()):
        """The chart as a PNG, its source and note underneath as text; ``side`` paragraphs go to its right
        when the picture leaves room, else below it."""
        png, caption = slide_picture(chart, 2.5, factor=1.2, legend_columns=None, wide=False)
        pw, ph = png_size(png)
        w = width
        h = w * ph / pw
        if h > max_h:
            h, w = max_h, max_h * pw / ph
        img = Image(io.BytesIO(png), width=w, height=h)
        img.hAlign = "LEFT"
        notes = [para(line, small) for line in caption_paragraphs(caption)]   # source lines kept whole
        side = list(side)
        if side and width - w >= 5 * cm:
            grid = Table([[img, side]], colWidths=[w + 0.3 * cm, width - w - 0.3 * cm], hAlign="LEFT")
            grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
            return [grid, *notes]
        return [img, *notes, Spacer(1, 3), *side]

    def table(header, rows, widths, numeric_from=1, share=1.0):
        data = [[Paragraph(_pdf_text(h), ParagraphStyle("th", parent=cell, fontName="Helvetica-Bold",
                                                        alignment=TA_RIGHT if j >= numeric_from else 0))
                 for j, h in enumerate(header)]]
        for r in rows:
            data.append([Paragraph(_pdf_text(v), cell_r if j >= numeric_from else cell) for j, v in enumerate(r)])
        tw = sum(widths)
        tb = Table(data, colWidths=[share * width * w / tw for w in widths], repeatRows=1, hAlign="LEFT")
        tb.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F6F6F6")]),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
        return tb

    story = [para(rep.name, h1),
             para(f"{rep.region_name} · {rep.date_text} · {t('exports.identity_line', lang, id=rep.identity)}", meta),
             para(rep.subtitle + ". " + t("app.disclaimer", lang), meta)]

    sit = rep.situation
    story += [para(sit.title, h2)] + [Paragraph(_pdf_text(b), bullet, bulletText="•") for b in sit.bullets]
    story.append(para(sit.source, small))

    sc = rep.scenario
    groups = table([t("common.group", lang), t("exports.members", lang),
                    t("exports.active_in", lang, year=sc.first_year)], sc.rows, [3.0, 1.3, 1.5], share=0.55)
    side = Table([[[Paragraph(_pdf_text(f), bullet, bulletText="•") for f in sc.facts], groups]],
                 colWidths=[0.43 * width, 0.57 * width], hAlign="LEFT")
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (0, 0), 8)]))
    facts = [Paragraph(_pdf_text(f), bullet, bulletText="•") for f in sc.facts]
    story += [para(sc.title, h2), side] if sc.rows else [para(sc.title, h2), *facts]   # no empty table

    c = rep.coverage
    big_style = ParagraphStyle("big", parent=base, fontName="Helvetica-Bold", fontSize=22, leading=26,
                               textColor=colors.HexColor(chart_style.ORANGE), spaceAfter=2)
    story.append(KeepTogether([para(c.title, h2), *figure(charts.fan_chart(ps, lang), 7.2 * cm,
                                                           [para(c.big, big_style), para(c.big_label, meta),
                                                            para(c.sentence)])]))

    c = rep.cost
    story.append(KeepTogether([para(c.title, h2), *figure(charts.claims_chart(ps, lang), 6.3 * cm,
                                                           [para(c.big, big_style), para(c.big_label, meta),
                                                            para(c.sentence), para(t("exports.cost_note", lang),
                                                                                   small)])]))
    if len(ps.by_group) and ps.by_group["cost_idr"].sum() > 0:
        story.append(KeepTogether(figure(charts.cost_by_group_chart(ps, lang), 6.3 * cm)))

    g = rep.goal_text
    if g is not None:
        block = [para(g.title, h2), para(g.sentence)]
        if g.rows:
            block.append(table([t("common.group", lang), t("exports.members_to_add", lang),
                                t("common.participants", lang), t("common.cost_per_year", lang)], g.rows,
                               [4.2, 2.2, 2.0, 2.4], share=0.85))
        story.append(KeepTogether(block))

    if rep.sensitivity is not None:
        story.append(KeepTogether([para(rep.sensitivity_title, h2),
                                   *figure(charts.tornado_chart(rep.sensitivity, lang), 7 * cm,
                                           [para(rep.sensitivity_sentence)])]))
    if rep.compare:
        story.append(KeepTogether([para(rep.compare_title, h2),
                                   *figure(charts.compare_chart(list(rep.compare), lang), 6.5 * cm,
                                           [para(rep.compare_sentence)])]))

    story.append(KeepTogether([
        para(t("exports.assumptions_title", lang), h2),
        table([t("exports.input", lang), t("common.value", lang), t("exports.col.certainty", lang),
               t("exports.col.source", lang)],
              [[a.label, a.value, certainty_label(a.certainty, lang), " | ".join(a.sources)]
               for a in rep.assumptions], [3.4, 1.8, 1.8, 5.0], numeric_from=9),
        Spacer(1, 4), para(t("exports.assumptions_note", lang), small)]))

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(grey)
        canvas.drawString(2 * cm, 1.2 * cm, rep.footer.encode("cp1252", "replace").decode("cp1252"))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, t("exports.page", lang, n=doc.page))
        canvas.restoreState()

    bio = io.BytesIO()
    doc = SimpleDocTemplate(bio, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=2 * cm, title=rep.name, author=t("app.title", lang),
                            subject=rep.subtitle, creator=t("app.title", lang),
                            lang=lang, pageCompression=1 if compress else 0)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return bio.getvalue()
