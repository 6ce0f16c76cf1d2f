"""Hostile text, place by place: every page drawn (AppTest) with a scenario, groups and targets whose names hold
Markdown and HTML, and no image, link, bold text or HTML element made from those names anywhere the page renders
Markdown (markdown, captions, alerts, titles, metric labels, button and tab labels, Markdown tables).

Each rendered text is parsed with markdown-it-py (CommonMark, the grammar Streamlit's Markdown extends); an
image or link whose target is one of the names' addresses, bold text "b", or an HTML tag from the names means
the place drew user text as Markdown instead of escaping it (presentation/i18n.md_escape).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from apptest_helpers import open_view
from markdown_it import MarkdownIt

from presentation.i18n import t
from simulation.scenario import GroupScenario, Target, default_scenario

IMG = "![x](http://127.0.0.1:9/x.png)"
LINK = "[a](http://x)"
HTML = "<img src=x>"
BOLD = "**b**"
HOSTILE = f"{IMG} {LINK} {HTML} {BOLD}"
ADDRESSES = {"http://127.0.0.1:9/x.png", "http://x"}
PARSER = MarkdownIt("commonmark")

PAGES = ["overview", "projection", "goalseek", "compare", "sensitivity", "present", "scenario", "data", "library",
         "about"]


def hostile_scenario():
    s = default_scenario()
    groups = [replace(g, name=f"{HOSTILE} {i}") for i, g in enumerate(s.groups)]
    groups.append(GroupScenario(id="custom_hostile", name=f"{HOSTILE} baru", in_scope=False, members=20_000,
                                take_up=0.8, priority=99))
    targets = [replace(tg, name=f"{HOSTILE} {tg.id}") for tg in s.targets]
    targets.append(Target(id="hostile_2028", name=HOSTILE, year=2028, coverage_pct=41.0))
    return s.replace(name=f"{HOSTILE} skenario", groups=groups, targets=targets)


def made_from_names(text: str) -> list[str]:
    """What Markdown ``text`` would render from the hostile names: images, links, bold "b", HTML tags."""
    found = []

    def walk(tokens):
        for tok in tokens:
            if tok.type == "image" and tok.attrGet("src") in ADDRESSES:
                found.append(f"image {tok.attrGet('src')}")
            elif tok.type == "link_open" and tok.attrGet("href") in ADDRESSES:
                found.append(f"link {tok.attrGet('href')}")
            elif tok.type in ("html_inline", "html_block") and "<img" in tok.content:
                found.append(f"html {tok.content.strip()}")
            elif tok.type == "strong_open":
                found.append("bold")   # judged below: bold "b" only
            if tok.children:
                walk(tok.children)

    tokens = PARSER.parse(text)
    walk(tokens)
    if "bold" in found:   # the pages bold their own numbers and names; bold "b" is the name's
        inline = [c for tok in tokens if tok.children for c in tok.children]
        bold_b = any(a.type == "strong_open" and b.type == "text" and b.content == "b" and c.type == "strong_close"
                     for a, b, c in zip(inline, inline[1:], inline[2:], strict=False))
        found = [f for f in found if f != "bold"] + (["bold b"] if bold_b else [])
    return found


def rendered_texts(at) -> list[tuple[str, str]]:
    """(where, text) of every place the page renders as Markdown."""
    out = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header", "subheader"):
        out += [(kind, e.value) for e in at.get(kind)]
    out += [("metric label", m.label) for m in at.metric]
    out += [("button label", b.label) for b in at.button]
    out += [("expander label", e.label) for e in at.expander]
    out += [("tab label", tb.label) for tb in at.tabs]
    for tb in at.table:   # st.table renders Markdown in its labels and cells
        df = tb.value
        out += [("table label", str(x)) for x in [*df.columns, *df.index]]
        out += [("table cell", str(x)) for x in df.to_numpy().ravel()]
    for grid in at.dataframe:   # a grid draws plain text, but a column's help (its header's tooltip) is Markdown
        out += [("grid tooltip", c["help"]) for c in json.loads(grid.proto.columns or "{}").values() if "help" in c]
    return out


def leaks(at) -> list[str]:
    bad = [f"{where}: {found} in {text[:160]!r}" for where, text in rendered_texts(at)
           for found in made_from_names(text) if found]
    bad += [f"html element: {h.proto.body[:160]!r}" for h in at.get("html") if HTML in h.proto.body]
    return bad


def test_the_checker_finds_what_unescaped_names_would_make_and_not_escaped_ones():
    from presentation.i18n import md_escape

    assert sorted(made_from_names(f"Skenario: {HOSTILE}")) == sorted(
        ["image http://127.0.0.1:9/x.png", "link http://x", f"html {HTML}", "bold b"])
    assert made_from_names(f"Skenario: **{md_escape(HOSTILE)}** · `{HOSTILE}`") == []
    assert made_from_names("| a | b |\n|---|---|\n| " + md_escape(HOSTILE) + " | 1 |") == []


@pytest.mark.parametrize("page", PAGES)
def test_no_page_makes_markdown_from_names(page):
    at = open_view(f"views/{page}.py", scenario=hostile_scenario())
    bad = leaks(at)
    if page == "present":   # every slide
        for k in range(1, 8):
            at.session_state["present_slide"] = k
            at.run()
            assert not at.exception
            bad += [f"slide {k + 1}: {b}" for b in leaks(at)]
    if page == "goalseek":  # a reachable target: the sentence that names the groups it adds
        next(w for w in at.text_input if w.key == "w.goal.target").input("42").run()
        assert not at.exception
        bad += [f"target 42: {b}" for b in leaks(at)]
    if page == "scenario":  # each tab (only the open one is drawn); then the hostile text typed into a number
        # field: the error says what was typed, inert
        from ui.scenario_sections import DETAIL_KEY, SOURCES_KEY
        from views.scenario import ADD_KEY, DELETE_KEY, TAB_KEY
        for key in (ADD_KEY, DELETE_KEY, DETAIL_KEY, SOURCES_KEY):   # the groups tab's expanders opened
            at.session_state[key] = True
        at.run()
        assert not at.exception
        bad += [f"tab groups, expanders open: {b}" for b in leaks(at)]
        for tab in ("contribution", "budget", "compliance", "assumptions"):
            at.session_state[TAB_KEY] = t(f"scenario.tab_{tab}", "id")
            at.run()
            assert not at.exception
            bad += [f"tab {tab}: {b}" for b in leaks(at)]
        next(w for w in at.text_input if w.key == "w.jkk_claim_idr.id").input(HOSTILE).run()
        assert not at.exception and len(at.error) == 1 and "x.png" in at.error[0].value
        bad += [f"typed into a number: {b}" for b in leaks(at)]
    assert bad == [], "\n".join(bad)
