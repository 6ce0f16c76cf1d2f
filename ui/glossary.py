"""The glossary (ID/EN) where a reader needs it: a menu in the sidebar of every page, and a section of the About page.

The words and their order come from :mod:`presentation.glossary`. The sidebar menu draws its content only while it
is open (``on_change="rerun"``, ``.open``), so it costs every other rerun one element.
"""

from __future__ import annotations

import streamlit as st

from presentation import glossary
from presentation.i18n import t

from . import state

MENU_KEY = state.widget_key("glossary")   # the sidebar menu's open state (a widget key: dropped on a language switch)
PRESENT_KEY = state.widget_key("glossary", "present")   # the same menu in presentation mode's bar (no sidebar there)
ANCHOR = "glosarium"                       # the About page's section: .../tentang#glosarium


def sidebar_menu(lang: str) -> None:
    """The "Glosarium" menu (call it inside ``st.sidebar``)."""
    menu(lang)


def menu(lang: str, where=None, key: str = MENU_KEY) -> None:
    """The "Glosarium" menu in ``where`` (a container; default: the current one)."""
    box = (st if where is None else where).popover(t("glossary.button", lang), icon="📖", key=key,
                                                   on_change="rerun", help=t("glossary.button_help", lang))
    if not box.open:
        return
    box.caption(t("glossary.intro", lang))
    box.markdown(glossary.markdown(lang))
    box.caption(t("glossary.more", lang))


def section(lang: str) -> None:
    """The glossary as a section of a page, with its anchor."""
    st.header(t("glossary.title", lang), anchor=ANCHOR)
    st.caption(t("glossary.intro", lang))
    st.markdown(glossary.markdown(lang))
