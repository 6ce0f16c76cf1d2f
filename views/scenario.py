"""Skenario / Scenario builder: which groups the city pays for, how, under which budget, with a live summary.

The page draws; the group editor and the number inputs are in ui/components.py, the summary and the tabs in
ui/scenario_sections.py, and the numbers they derive in presentation/summaries.py.
"""

from __future__ import annotations

import streamlit as st

from presentation import labels, summaries
from presentation.i18n import md_escape, t
from ui import components, regions, scenario_sections, state, work

#: the open tab's label: a widget's state, forgotten (as Streamlit does) when the page is left; not a ``w.`` key, so
#: that an edit which re-seeds the scenario's widgets (reset, undo) leaves the user on the tab they were on
TAB_KEY = state.view_key("scenario.tab")
#: whether the reset menu, the add-group and delete-group expanders are open (widgets' states, like the tab's)
RESET_MENU_KEY = state.view_key("scenario.reset_menu")
ADD_KEY, DELETE_KEY = state.view_key("scenario.add_open"), state.view_key("scenario.delete_open")


def _reset() -> None:
    work.set_scenario(labels.starting_scenario(regions.region(), state.lang()))
    state.flash("success", t("scenario.reset_done", state.lang()))


def _name_and_reset(scenario, region, lang: str) -> None:
    c_name, c_reset = st.columns([3, 1], vertical_alignment="bottom")
    shown_name = labels.scenario_label(scenario, lang)
    name_key = state.widget_key("name")
    current = st.session_state.get(name_key)
    if isinstance(current, str) and current != shown_name and labels.preset_name(current, lang) == shown_name:
        st.session_state[name_key] = shown_name   # a preset name follows the language until the user renames it
    state.seed(name_key, shown_name)
    name_key, name_cb = work.bind("name")
    c_name.text_input(t("scenario.name", lang), key=name_key, max_chars=120, **name_cb)
    # the confirmation is made only while the menu is open: two elements fewer to re-render on every edit
    menu = c_reset.popover(t("scenario.reset", lang), width="stretch", key=RESET_MENU_KEY, on_change="rerun")
    if menu.open:
        with menu:
            st.write(t("scenario.reset_confirm", lang, region=md_escape(region.name)))
            st.button(t("scenario.reset_button", lang), key=state.widget_key("reset"), on_click=_reset,
                      type="primary")


def _groups_tab(p, scenario, region, lang: str) -> None:
    st.caption(t("scenario.groups_intro", lang))
    components.group_editor(scenario, region, lang)
    st.caption(t("scenario.groups_certainty_note", lang, n=summaries.assumed_group_sizes(scenario, region)))
    c_add, c_del = st.columns(2)   # each made only while open (as the two below)
    if (add := components.lazy_expander(c_add, t("scenario.add_title", lang), ADD_KEY)) is not None:
        with add:
            components.add_group_form(lang)
    if (delete := components.lazy_expander(c_del, t("scenario.delete_title", lang), DELETE_KEY)) is not None:
        with delete:
            components.delete_group_picker(scenario, region, lang)
    scenario_sections.group_details(p, scenario, region, lang)


def render() -> None:
    lang = state.lang()
    region = regions.region()
    components.apply_pending_group_edits()
    scenario = work.scenario()
    p = work.projection()

    st.title(t("scenario.title", lang))
    st.caption(t("scenario.intro", lang, region=md_escape(region.name)))
    _name_and_reset(scenario, region, lang)
    scenario_sections.summary(p, scenario, region, lang)

    # Only the open tab runs and is sent (a tab switch reruns the page): Streamlit's browser side re-renders every
    # element sent on each edit, hidden tabs' too, and the four closed tabs were 36 of the page's 57 elements.
    draw = {"groups": lambda: _groups_tab(p, scenario, region, lang),
            "contribution": lambda: scenario_sections.contribution_tab(p, scenario, region, lang),
            "budget": lambda: scenario_sections.budget_tab(p, scenario, lang),
            "compliance": lambda: scenario_sections.compliance_tab(p, scenario, region, lang),
            "assumptions": lambda: scenario_sections.assumptions_tab(region, lang)}
    tabs = st.tabs([t(f"scenario.tab_{k}", lang) for k in draw], key=TAB_KEY, on_change="rerun")
    for tab, section in zip(tabs, draw.values(), strict=True):
        if tab.open:
            with tab:
                section()


if __name__ == "__main__":
    render()
