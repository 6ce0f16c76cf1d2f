"""Exports to present and share, one module per product (no Streamlit here; the engine is never called):

- :mod:`.images`: a chart as PNG, SVG or PDF, as on screen, with a footer line (scenario, identity, date).
- :mod:`.tables`: CSV and XLSX of any table (formula-safe), the projection's workbook, the assumptions sheet.
- :mod:`.deck`: the council deck (PPTX) from a :class:`presentation.report.Report`.
- :mod:`.brief`: the printed brief (PDF) from the same report.

Every function returns ``bytes`` for ``st.download_button(data=callable, on_click="ignore")``, builds its texts
with :func:`presentation.i18n.t` and the ``fmt_*`` helpers in the chosen language (Bahasa Indonesia first) and
works offline. The deck and the brief read every number and sentence from the report the UI wing built once
(``ui.model.report``), the page shows the same report's sentences, so they cannot disagree.
"""

from ..report import certainty_label, fmt_date, footer_text
from .brief import brief_pdf
from .deck import BODY_PT, CAPTION_PT, FOOTER_PT, TITLE_PT, council_deck_pptx
from .images import PNG_SIGNATURE, chart_data_csv, chart_pdf, chart_png, chart_svg, png_size, slide_picture, with_footer
from .tables import (
    assumptions_frame,
    column_header,
    neutralise,
    projection_tables,
    projection_workbook,
    table_csv,
    workbook_xlsx,
)

__all__ = [
    "BODY_PT", "CAPTION_PT", "FOOTER_PT", "PNG_SIGNATURE", "TITLE_PT", "assumptions_frame", "brief_pdf",
    "certainty_label", "chart_data_csv", "chart_pdf", "chart_png", "chart_svg", "column_header", "council_deck_pptx",
    "fmt_date", "footer_text", "neutralise", "png_size", "projection_tables", "projection_workbook", "slide_picture",
    "table_csv", "with_footer", "workbook_xlsx",
]
