"""Data: the region's history, workers, budget, groups and targets, each value with its source and certainty;
a new region, the guided setup of what a region lacks, saving a version and the YAML file (ui/region_setup.py).

Values are edited in place (text cells, read the Indonesian way) or uploaded as CSV/XLSX laid out like the
downloadable template. The editors, the preview and the tabs are in ui/data_editor.py; this page lays them out.
"""

from __future__ import annotations

import streamlit as st

from presentation.i18n import md_escape, t
from simulation import io as uploads
from simulation.sourced import CERTAINTIES
from ui import data_editor, region_setup, regions, state

state.init()  # no-op under app.py; keeps the page alive if Streamlit runs it alone (MPA v1 mode)
lang = state.lang()
region = regions.region()

st.title(t("data.title", lang, region=md_escape(region.name)))
st.caption(t("data.intro", lang))
region_setup.status_bar()
region_setup.new_region_form()
region_setup.guided_setup()

with st.expander(t("data.legend_title", lang)):
    st.markdown("\n".join(f"- **{data_editor.badge(c)}**: {t(f'data.legend_{c.lower()}', lang)}" for c in CERTAINTIES))

c1, c2 = st.columns([3, 1])
entry_source, entry_certainty = data_editor.new_value_settings()
# the field stays empty until the user names a source; the placeholder says what is recorded then
# (the bilingual "diubah pengguna / user edit" of the data files, shown here in the reader's language)
source_key = state.seed(state.widget_key("data", "source"), "" if entry_source == uploads.USER_SOURCE else entry_source)
certainty_key = state.seed(state.widget_key("data", "certainty"), entry_certainty)
c1.text_input(t("data.new_source", lang), key=source_key, max_chars=300, help=t("data.new_source_help", lang),
              placeholder=t("data.new_source_placeholder", lang), on_change=data_editor.entry_changed, args=("source",))
c2.selectbox(t("data.new_certainty", lang), list(reversed(CERTAINTIES)), key=certainty_key,
             format_func=lambda c: data_editor.badge(c, lang),
             help=t("data.new_certainty_help", lang), on_change=data_editor.entry_changed, args=("certainty",))

# Only the open tab is built (on_change="rerun", .open): each tab's editor is a grid built from the region's data,
# and every rerun (an edit, an upload: two runs) built all six. Keyed: an applied upload keeps the upload tab open.
tabs = st.tabs([t("data.tab_history", lang), t("data.tab_workers", lang), t("data.tab_budget", lang),
                t("data.tab_groups", lang), t("data.tab_targets", lang), "⬆️ " + t("data.tab_upload", lang)],
               key=state.view_key("data.tabs"), on_change="rerun")
for tab, draw in zip(tabs, (data_editor.history_tab, data_editor.workers_tab, data_editor.budget_tab,
                            data_editor.groups_tab, data_editor.targets_tab, data_editor.upload_tab), strict=True):
    if tab.open:
        with tab:
            draw()
