"""The glossary (issue 13): BPU, PU, JKK, JKM, JHT, PBI, UMK/UMP, APBD, RPJMN/RKP, coverage and potential workers,
in Indonesian and English, reachable from every page where a term appears (a menu in the sidebar of every page, the
same list as a section of the About page). Pages driven with Streamlit's AppTest through the whole app."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import open_view

from presentation import glossary
from presentation.i18n import t
from ui.glossary import ANCHOR, MENU_KEY, PRESENT_KEY

ABBREVIATIONS = {"bpu": ["BPU"], "pu": ["PU"], "jkk": ["JKK"], "jkm": ["JKM"], "jht": ["JHT"], "pbi": ["PBI"],
                 "umk": ["UMK", "UMP"], "apbd": ["APBD"], "rpjmn": ["RPJMN", "RKP"]}
WORDS = {"id": {"coverage": "cakupan", "potential_workers": "pekerja potensial"},
         "en": {"coverage": "coverage", "potential_workers": "potential workers"}}
# every page with the app's sidebar (presentation mode hides it: its own bar has the menu, tested below)
VIEWS = ["overview", "scenario", "projection", "compare", "goalseek", "sensitivity", "library", "data", "about"]


def test_every_term_is_defined_in_both_languages():
    assert len(glossary.TERMS) == 11 == len(set(glossary.TERMS))
    for lang in ("id", "en"):
        entries = dict(glossary.entries(lang))
        assert len(entries) == 11
        for key, (term, text) in zip(glossary.TERMS, glossary.entries(lang), strict=True):
            for abbr in ABBREVIATIONS.get(key, []):
                assert re.search(rf"\b{abbr}\b", term), (lang, key, term)
            if key in WORDS[lang]:
                assert WORDS[lang][key] in term.lower(), (lang, key, term)
            assert len(text) > 40 and not text.startswith("glossary."), (lang, key)
    assert dict(glossary.entries("id")).values() != dict(glossary.entries("en")).values()
    assert all(i[1] != e[1] for i, e in zip(glossary.entries("id"), glossary.entries("en"), strict=True))


def _sidebar_menu(at):
    menus = [b for b in at.sidebar.children.values() if getattr(b, "type", None) == "popover"
             and b.proto.popover.label in (t("glossary.button", "id"), t("glossary.button", "en"))]
    assert len(menus) == 1, [getattr(b, "type", None) for b in at.sidebar.children.values()]
    return menus[0]


def _page_text(at) -> str:
    """What the page shows in its main part: titles, headers, text, captions, metric labels and tables."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
             for e in getattr(at.main, kind)]
    parts += [m.label for m in at.main.metric]
    parts += [str(df.to_dict()) for df in (d.value for d in at.main.dataframe)]
    return "\n".join(str(p) for p in parts)


def _terms_on(text: str, lang: str) -> set[str]:
    found = {k for k, abbrs in ABBREVIATIONS.items() if any(re.search(rf"\b{a}\b", text) for a in abbrs)}
    return found | {k for k, w in WORDS[lang].items() if w in text.lower()}


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_opens_the_glossary_from_its_sidebar(view):
    at = open_view(f"views/{view}.py", "id")
    menu = _sidebar_menu(at)
    assert menu.proto.popover.label == "Glosarium" and menu.proto.popover.help
    assert not at.session_state[MENU_KEY] and not list(menu.children.values())   # closed: nothing drawn inside
    on_page = _terms_on(_page_text(at), "id")
    assert on_page or view == "library", "the page shows none of the glossary's terms"   # the library: names only
    at.session_state[MENU_KEY] = True   # what a click on the menu does (on_change="rerun")
    at.run()
    assert not at.exception
    shown = "\n".join(e.value for e in _sidebar_menu(at).markdown)
    defined = {k for k, (term, _) in zip(glossary.TERMS, glossary.entries("id"), strict=True) if term in shown}
    assert defined == set(glossary.TERMS) and on_page <= defined


def test_presentation_mode_has_the_glossary_in_its_bar():
    """Presentation mode hides the sidebar: the same menu sits in its bar, beside the exit."""
    at = open_view("views/present.py", "id")
    menus = [b for b in at.main.children.values() if getattr(b, "type", None) == "popover"] + [
        b for block in at.main.children.values() for b in getattr(block, "children", {}).values()
        if getattr(b, "type", None) == "popover"]
    assert [m.proto.popover.label for m in menus] == ["Glosarium"]
    at.session_state[PRESENT_KEY] = True
    at.run()
    assert not at.exception
    shown = "\n".join(e.value for e in at.main.markdown)
    assert all(f"**{term}**" in shown for term, _ in glossary.entries("id"))


def test_the_glossary_follows_the_language():
    at = open_view("views/projection.py", "en")
    menu = _sidebar_menu(at)
    assert menu.proto.popover.label == "Glossary"
    at.session_state[MENU_KEY] = True
    at.run()
    shown = "\n".join(e.value for e in _sidebar_menu(at).markdown)
    assert all(term in shown and text in shown for term, text in glossary.entries("en"))
    assert t("glossary.pbi.def", "id") not in shown


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_about_page_has_the_glossary_as_a_section_with_an_anchor(lang):
    at = open_view("views/about.py", lang)
    headers = [h for h in at.main.header if h.value == t("glossary.title", lang)]
    assert len(headers) == 1 and headers[0].proto.anchor == ANCHOR
    body = "\n".join(m.value for m in at.main.markdown)
    assert all(f"**{term}**: {text}" in body for term, text in glossary.entries(lang))
