"""Jamsostek PBI Simulator: the frame. Sets up state once, draws the shared sidebar, routes to pages."""

from __future__ import annotations

import logging

import streamlit as st

# the heavy libraries every page uses, imported before the freeze below: Altair and pandas (presentation.charts),
# SciPy and statsmodels (simulation.forecast). The exports' libraries are imported on a download only.
from presentation import charts, labels  # noqa: F401
from presentation.i18n import LANGS, lang_label, md_escape, t
from simulation import forecast  # noqa: F401
from simulation.errors import ValidationError
from ui import address, auth, glossary, heap, live, region_setup, regions, state, work

heap.freeze_startup_objects()   # once per process: Streamlit's after-run GC then skips them (ui/heap.py)
st.set_page_config(page_title="Simulator PBI Jamsostek", page_icon="🛡️", layout="wide",
                   initial_sidebar_state="expanded")
# every page, constant CSS (no user text): metric values wrap instead of ending in "…" on a tablet (800 px: "Rp 1,…",
# "42,28…"); printing (Ctrl+P) leaves out the sidebar, the toolbar and the buttons and scales charts to the page
st.html("""<style>
[data-testid=stMetricValue], [data-testid=stMetricValue] * {white-space: normal !important;
  overflow-wrap: anywhere; text-overflow: clip !important; overflow: visible !important;}
@media (max-width: 1000px) {[data-testid=stMetricValue] {font-size: 1.45rem !important; line-height: 1.25;}
  [data-testid=stSidebar] {width: 240px !important; min-width: 240px !important; max-width: 240px !important;}
  [data-testid=stSidebarUserContent] {padding-left: 0.75rem !important; padding-right: 0.75rem !important;}
  [data-testid=stSidebarNav] ul {padding-left: 0.25rem !important; padding-right: 0.25rem !important;}}
@media print {
  [data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], header[data-testid=stHeader],
  [data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget], [data-testid=stPopover],
  [data-testid=stButton], [data-testid=stDownloadButton], [data-testid=stPageLink] {display: none !important;}
  [data-testid=stMain] {margin-left: 0 !important; width: 100% !important;}
  .block-container {max-width: 100% !important; padding: 0 !important;}
  [data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg {max-width: 100% !important;
    height: auto !important;}
  [data-testid=stVegaLiteChart], [data-testid=stMetric], [data-testid=stTable], table {break-inside: avoid;}
  h1, h2 {break-after: avoid;}
  h2 {break-before: auto;}
}
</style>""")
state.init()
live.begin_run()
address.open_shared_link()
address.restore_from_url()
lang = state.lang()


def _set_lang() -> None:
    chosen = st.session_state.get(state.widget_key("lang"))
    if chosen in LANGS:   # a segmented control can be un-selected (None): keep the language then
        state.put(state.LANG, chosen)
    # labels change with the language, and Streamlit treats a widget with a new label as a new widget:
    # drop every widget key so each is re-seeded from the model state in the new language
    state.clear_widgets()


def _set_region() -> None:
    try:
        regions.set_region(st.session_state[state.widget_key("region")])
    except ValidationError:   # a label that changed under the box (a rename in another session): keep the region
        st.session_state[state.widget_key("region")] = regions.region_id()
        return
    if not regions.region().ready:   # a region that lacks the minimum opens on the Data page's guided setup
        st.session_state[SETUP_JUMP] = True


SETUP_JUMP = state.widget_key("setup", "jump")   # one run's note (a w. key: dropped with the widgets)
SETUP_PAGES = ("data",)                          # the pages a region that is not ready can open


with st.sidebar:
    st.markdown(f"### 🛡️ {t('app.title', lang)}")
    st.segmented_control(t("app.language", lang), LANGS, key=state.seed(state.widget_key("lang"), lang),
                         format_func=lang_label, on_change=_set_lang, selection_mode="single")
    # every region this server has, by province then name; the province is in the label (the box searches it)
    names = region_setup.region_labels(regions.region_catalogue())
    st.selectbox(t("app.region", lang), list(names), key=state.seed(state.widget_key("region"), regions.region_id()),
                 on_change=_set_region, format_func=lambda rid: names.get(rid, rid), help=t("app.region_help", lang))

PAGES = [
    st.Page("views/overview.py", title=t("nav.overview", lang), icon="🏠", default=True, url_path="ringkasan"),
    st.Page("views/scenario.py", title=t("nav.scenario", lang), icon="🧩", url_path="skenario"),
    st.Page("views/projection.py", title=t("nav.projection", lang), icon="📈", url_path="proyeksi"),
    st.Page("views/compare.py", title=t("nav.compare", lang), icon="⚖️", url_path="bandingkan"),
    st.Page("views/goalseek.py", title=t("nav.goalseek", lang), icon="🎯", url_path="capai-target"),
    st.Page("views/sensitivity.py", title=t("nav.sensitivity", lang), icon="🌪️", url_path="sensitivitas"),
    st.Page("views/library.py", title=t("nav.library", lang), icon="💾", url_path="pustaka"),
    st.Page("views/present.py", title=t("nav.present", lang), icon="📽️", url_path="presentasi"),
    st.Page("views/data.py", title=t("nav.data", lang), icon="🗂️", url_path="data"),
    st.Page("views/about.py", title=t("nav.about", lang), icon="ℹ️", url_path="tentang"),
]
page = st.navigation(PAGES)


def _scenario_status() -> None:
    """The working scenario's name and identity, undo and redo: redrawn with the page's live part (ui/live.py)."""
    s = work.scenario()
    lang = state.lang()
    st.caption(t("app.current_scenario", lang, name=md_escape(labels.scenario_label(s, lang)), id=s.content_hash))
    undo_redo = st.container(horizontal=True, gap="small")
    undo_redo.button(t("app.undo", lang), on_click=live.full_rerun(work.undo), disabled=not work.can_undo(),
                     key="app.undo", help=t("app.undo_help", lang))
    undo_redo.button(t("app.redo", lang), on_click=live.full_rerun(work.redo), disabled=not work.can_redo(),
                     key="app.redo")


with st.sidebar:
    live.status(_scenario_status)
    glossary.sidebar_menu(lang)   # BPU, JKK, PBI, cakupan...: what the terms on every page mean
    auth.sidebar()                # "Masuk sebagai editor" / who is signed in; nothing unless PBI_EDITORS=required
    st.caption(t("app.disclaimer", lang))
    # the page's language for screen readers, hyphenation and translators (Streamlit's index.html says "en"):
    # a constant script per language, no user text in it. Sent on a session's first run and when the language
    # changes only: the attribute stays on the document when the element leaves, and an element fewer is one
    # fewer for the browser to re-render on every rerun
    if state.get(state.HTML_LANG) != lang:
        state.put(state.HTML_LANG, lang)
        if lang == "en":
            st.html("<script>document.documentElement.lang = 'en'</script>", unsafe_allow_javascript=True)
        else:
            st.html("<script>document.documentElement.lang = 'id'</script>", unsafe_allow_javascript=True)

state.show_flash()
region = regions.region()
if not region.ready and page.url_path not in SETUP_PAGES and st.session_state.pop(SETUP_JUMP, False):
    st.switch_page("views/data.py")
try:
    if region.ready or page.url_path in SETUP_PAGES:
        page.run()
    else:   # what is missing and the way to the guided setup; never a traceback or a zero budget
        region_setup.not_ready_notice(region)
except ValidationError as exc:
    st.error(state.error_text(exc))
except Exception:  # never show a traceback on the page; log it for the operator
    logging.getLogger("pbi").exception("page failed")
    st.error(t("errors.unexpected", lang))
address.keep_in_url()   # after the page: what it changed is what a reload brings back
heap.freeze_new_imports()   # a run that imported modules (a page's first visit): freeze them too (ui/heap.py)
