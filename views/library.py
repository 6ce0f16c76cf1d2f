"""Pustaka / Library: save, reopen, rename, duplicate, freeze, delete scenarios; share links; JSON files."""

import pandas as pd
import streamlit as st

from presentation.i18n import md_escape, t
from simulation.errors import ValidationError
from ui import auth, regions, state, work

lang = state.lang()
lib = state.library()
scenario = work.scenario()
region = regions.region()
owner = state.owner()   # this session, for the library's per-session limits
can = auth.may_edit(region.id)   # always when sign-in is off; else an editor of this region (ui/auth.py)
who = auth.who()                 # for the library's audit log (None: sign-in off, "anonim")

st.title(t("library.title", lang))
st.caption(t("library.intro", lang))
auth.notice(region.id)


def _try(action, success: str | None = None) -> bool:
    try:
        action()
    except ValidationError as exc:
        st.error(state.error_text(exc))
        return False
    if success:
        state.flash("success", success)
    return True


def _edit(action, success: str) -> bool:
    return auth.allowed(region.id) and _try(action, success)


# ---------------------------------------------------------------- save and share the working scenario
c1, c2 = st.columns(2)
with c1:
    st.subheader(t("library.save_title", lang))
    with st.form("save-form", clear_on_submit=False, border=True):
        name = st.text_input(t("library.name", lang), value=scenario.name, max_chars=120)
        if st.form_submit_button(t("library.save", lang), type="primary", disabled=not can):
            if _edit(lambda: lib.save(scenario.replace(name=name), name, region=regions.region_snapshot(), owner=owner,
                                      region_version=regions.region_version(), editor=who),
                    t("library.saved", lang, name=md_escape(name))):
                st.rerun()
with c2:
    st.subheader(t("library.share_title", lang))
    st.caption(t("library.share_intro", lang))
    if st.button(t("library.make_link", lang)):
        holder = {}
        if _try(lambda: holder.setdefault("key", lib.share(scenario, regions.region_snapshot(), owner=owner,
                                                                  region_version=regions.region_version()))):
            state.put(state.OPENED_LINK, holder["key"])
            st.query_params["s"] = holder["key"]
            base = (st.context.url or "").split("?")[0]
            st.code(f"{base}?s={holder['key']}", language=None)
            st.caption(t("library.link_note", lang))

# ---------------------------------------------------------------- the saved scenarios of this region
st.subheader(t("library.saved_title", lang, region=md_escape(region.name)))
entries = lib.list(region.id)
if not entries:
    st.info(t("library.empty", lang))
else:
    table = pd.DataFrame([{
        t("library.col_name", lang): e.name,
        t("library.col_identity", lang): e.content_hash,
        t("library.col_updated", lang): e.updated_at.strftime("%Y-%m-%d %H:%M"),
        t("library.col_status", lang): " · ".join(x for x in (
            t("library.frozen", lang) if e.frozen else "", t("library.baseline", lang) if e.is_baseline else "") if x),
    } for e in entries])
    st.dataframe(table, hide_index=True, width="stretch")
    ids = [e.id for e in entries]
    by_id = {e.id: e for e in entries}
    chosen = st.selectbox(t("library.choose", lang), ids, format_func=lambda i: by_id[i].name,
                          key=state.widget_key("library", "entry"))
    entry = by_id[chosen]
    b1, b2, b3, b4 = st.columns(4)
    if b1.button(t("library.open", lang), type="primary", width="stretch"):
        def _open():
            s, r = lib.open(entry.id)
            state.put(state.REGION_ID, s.region)
            if r is not None:
                regions.use_region_snapshot(r, entry.region_version)
            work.set_scenario(s)
        if _try(_open, t("library.opened", lang, name=md_escape(entry.name))):
            st.rerun()
    if b2.button(t("library.duplicate", lang), width="stretch", disabled=not can):
        if _edit(lambda: lib.duplicate(entry.id, t("library.copy_of", lang, name=entry.name)[:120], owner=owner,
                                       editor=who),
                t("library.duplicated", lang)):
            st.rerun()
    if b3.button(t("library.freeze", lang), width="stretch", help=t("library.freeze_help", lang), disabled=not can):
        today = pd.Timestamp.today().strftime("%Y-%m-%d")
        if _edit(lambda: lib.freeze(entry.id, t("library.as_presented", lang, name=entry.name, date=today)[:120],
                                    region=regions.region_snapshot(), region_version=regions.region_version(),
                                    owner=owner, editor=who), t("library.frozen_done", lang)):
            st.rerun()
    if b4.button(t("library.set_baseline", lang), width="stretch", help=t("library.baseline_help", lang),
                 disabled=not can):
        if _edit(lambda: lib.set_baseline(entry.id, editor=who), t("library.baseline_done", lang)):
            st.rerun()
    with st.expander(t("library.more", lang)):
        new_name = st.text_input(t("library.rename_to", lang), value=entry.name, max_chars=120,
                                 disabled=entry.frozen or not can, key=state.widget_key("library", "rename", entry.id))
        if st.button(t("library.rename", lang), disabled=entry.frozen or not can):
            if _edit(lambda: lib.rename(entry.id, new_name, owner=owner, editor=who), t("library.renamed", lang)):
                st.rerun()
        st.download_button(t("library.export_json", lang), data=lambda: lib.export_json(entry.id).encode("utf-8"),
                           file_name=f"skenario-{entry.content_hash}.json", mime="application/json",
                           on_click="ignore")
        sure = st.checkbox(t("library.delete_confirm", lang), key=state.widget_key("library", "sure", entry.id))
        if st.button(t("library.delete", lang), disabled=not sure or not can):
            if _edit(lambda: lib.delete(entry.id, force=entry.frozen, editor=who), t("library.deleted", lang)):
                st.rerun()

# ---------------------------------------------------------------- import a scenario file
st.subheader(t("library.import_title", lang))
upload = st.file_uploader(t("library.import_label", lang), type=["json"], key=state.widget_key("library", "upload"),
                          help=t("library.import_help", lang))
if upload is not None and st.button(t("library.import", lang), disabled=not can):
    if _edit(lambda: lib.import_json(upload.getvalue(), owner=owner, editor=who), t("library.imported", lang)):
        st.rerun()
auth.audit_view(region)
st.download_button(t("library.export_current", lang), data=lambda: scenario.to_json().encode("utf-8"),
                   file_name=f"skenario-{scenario.content_hash}.json", mime="application/json", on_click="ignore")
