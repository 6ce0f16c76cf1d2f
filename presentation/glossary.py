"""The glossary (ID/EN) of the abbreviations and terms the pages, charts and files use.

The words live in the catalogues (``presentation/locales/pages/glossary.*.json``); this module only fixes the order
of the terms and writes them as Markdown. The UI shows it from the sidebar of every page and on the About page
(``ui/glossary.py``).
"""

from __future__ import annotations

from .i18n import t

#: the terms, in the order a reader meets them: the two routes, the three programmes, who pays, wages and budget,
#: the national plans, and the two words of the headline number
TERMS = ("bpu", "pu", "jkk", "jkm", "jht", "pbi", "umk", "apbd", "rpjmn", "coverage", "potential_workers")


def entries(lang: str) -> list[tuple[str, str]]:
    """(term, definition) of every glossary entry in ``lang``."""
    return [(t(f"glossary.{k}.term", lang), t(f"glossary.{k}.def", lang)) for k in TERMS]


def markdown(lang: str) -> str:
    """The glossary as a Markdown list: the term in bold, then its definition."""
    return "\n".join(f"- **{term}**: {text}" for term, text in entries(lang))
