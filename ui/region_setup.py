"""Setting a region up in the app (issue 12): a new region (blank or a copy), what it holds and lacks (a guided
checklist: the minimum for a first projection, the rest optional with marked defaults), saving a version, the
region file as YAML, and the notice other pages show while the region is not ready.

Region names, provinces and sources are user text: they reach the page through ``md_escape`` or a data frame
(not Markdown), never as Markdown.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from presentation.i18n import md_escape, t
from simulation.data import KINDS, Region, region_yaml
from simulation.errors import ValidationError

from . import auth, regions, state

DATA_PAGE = "views/data.py"
#: the fields a first projection needs, then the optional ones (filled with marked defaults when left out)
REQUIRED = ("coverage_history", "potential_workers")
OPTIONAL = ("min_wage", "apbd", "groups", "targets", "worker_growth_pct", "formal_share", "formal_coverage",
            "apbd_growth_pct")
#: where each field is entered on the Data page (the tab's catalogue key)
TAB_OF = {"coverage_history": "data.tab_history", "potential_workers": "data.tab_workers",
          "worker_growth_pct": "data.tab_workers", "formal_share": "data.tab_workers",
          "formal_coverage": "data.tab_workers", "min_wage": "data.tab_budget", "apbd": "data.tab_budget",
          "apbd_growth_pct": "data.tab_budget", "groups": "data.tab_groups", "targets": "data.tab_targets"}
NEW_FORM = "region_new"


def region_labels(catalogue) -> dict[str, str]:
    """Each region's label in the selector: name · province (plain text: selectbox options are not Markdown), the id
    added where two regions would read alike. Nothing that changes with a save or an upload is in a label: the
    selectbox keeps its choice by label, and a label that changed under it would lose the choice."""
    labels = {e.id: f"{e.name} · {e.province}" for e in catalogue}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {rid: label if seen[label] == 1 else f"{label} ({rid})" for rid, label in labels.items()}


# --------------------------------------------------------------------------- status, save, YAML
def status_bar() -> None:
    """Where the working region's data come from, and its actions: save a version, the YAML file, back."""
    lang, region = state.lang(), regions.region()
    edited = regions.edited_region() is not None
    version = regions.region_version()
    entry = next((e for e in regions.region_catalogue() if e.id == region.id), None)
    if edited:
        text = t("setup.status_unsaved", lang)
    elif version is not None:
        text = t("setup.status_saved", lang, version=version)
    else:
        text = t("data.status_shipped", lang)
    c1, c2 = st.columns([3, 2], vertical_alignment="center")
    (c1.info if edited else c1.caption)(("✏️ " if edited else "📦 ") + text)
    with c2.container(horizontal=True):
        st.button("💾 " + t("setup.save", lang), key=state.widget_key("setup", "save"), on_click=save,
                  type="primary" if edited else "secondary", help=auth.refusal(region.id) or t("setup.save_help", lang),
                  disabled=not auth.may_edit(region.id))
        # written on a click (the page reruns on every edit and upload), from the region read now: the callable
        # runs after the script run, when the session is gone
        st.download_button("📄 " + t("setup.yaml", lang), data=functools.partial(_yaml_bytes, region),
                           on_click="ignore",
                           file_name=f"{region.id}.yaml", mime="application/x-yaml",
                           key=state.widget_key("setup", "yaml"), help=t("setup.yaml_help", lang))
        if edited and entry is not None and not entry.unsaved:
            st.button(t("setup.reset", lang), key=state.widget_key("setup", "reset"), on_click=reset)
        if entry is not None and entry.saved:   # shipped and saved: back to the file; saved only: delete
            _confirmed("revert" if entry.shipped else "delete", region, entry.version, lang)


def _confirmed(action: str, region: Region, version: int | None, lang: str) -> None:
    """A menu with what ``action`` ("revert", "delete") does and its confirmation button (an editor of the region
    when sign-in is on)."""
    refused = auth.refusal(region.id)
    menu = st.popover(t(f"setup.{action}", lang), icon="↩️" if action == "revert" else "🗑️",
                      help=refused or t(f"setup.{action}_help", lang), disabled=refused is not None)
    with menu:
        st.markdown(t(f"setup.{action}_confirm", lang, region=md_escape(region.name), version=version))
        st.button(t(f"setup.{action}_button", lang), key=state.widget_key("setup", action), type="primary",
                  on_click=revert if action == "revert" else delete, disabled=refused is not None, help=refused)


def save() -> None:
    lang = state.lang()
    name = regions.region().name
    refused = auth.refusal(regions.region().id)
    if refused is not None:        # a click that reached the server although the button is disabled
        state.flash("error", refused)
        return
    try:
        version = regions.save_region(auth.who())
    except ValidationError as exc:
        state.flash("error", t("setup.save_failed", lang, problem=state.error_text(exc)))
        return
    state.flash("success", t("setup.saved", lang, region=md_escape(name), version=version))


def revert() -> None:
    """"Kembali ke berkas bawaan" confirmed."""
    _close("revert", regions.revert_region)


def delete() -> None:
    """"Hapus wilayah" confirmed."""
    _close("delete", regions.delete_region)


def _close(action: str, change) -> None:
    lang, region = state.lang(), regions.region()
    refused = auth.refusal(region.id)
    if refused is not None:        # a click that reached the server although the button is disabled
        state.flash("error", refused)
        return
    try:
        version = change(auth.who())
    except ValidationError as exc:
        state.flash("error", t(f"setup.{action}_failed", lang, problem=state.error_text(exc)))
        return
    done = "reverted" if action == "revert" else "deleted"
    state.flash("success", t(f"setup.{done}", lang, region=md_escape(region.name), version=version,
                             default=md_escape(regions.region().name)))


def reset() -> None:
    lang = state.lang()
    regions.reset_region_data()
    state.clear_widgets()
    state.flash("success", t("data.reset_done", lang))


# --------------------------------------------------------------------------- a new region
def new_region_form() -> None:
    """"Wilayah baru": blank or a copy of a region this server has; name, kind, province."""
    lang, region = state.lang(), regions.region()
    labels = region_labels([e for e in regions.region_catalogue() if not e.unsaved])
    with st.expander("➕ " + t("setup.new_title", lang), expanded=False):
        st.caption(t("setup.new_intro", lang))
        with st.form(NEW_FORM, border=False):
            st.radio(t("setup.start_from", lang), ["blank", "copy"], horizontal=True,
                     key=state.widget_key("setup", "start"),
                     format_func=lambda v: t(f"setup.start_{v}", lang))
            st.selectbox(t("setup.copy_of", lang), list(labels), format_func=lambda rid: labels.get(rid, rid),
                         index=list(labels).index(region.id) if region.id in labels else 0,
                         key=state.widget_key("setup", "copy_of"), help=t("setup.copy_of_help", lang))
            c1, c2, c3 = st.columns([3, 1, 2])
            c1.text_input(t("setup.name", lang), max_chars=120, key=state.widget_key("setup", "name"),
                          placeholder=t("setup.name_placeholder", lang))
            c2.selectbox(t("setup.kind", lang), list(KINDS), index=1, key=state.widget_key("setup", "kind"),
                         format_func=lambda k: t(f"setup.kind_{k}", lang))
            c3.text_input(t("setup.province", lang), value=region.province, max_chars=120,
                          key=state.widget_key("setup", "province"))
            st.form_submit_button(t("setup.create", lang), type="primary", on_click=create)


def create() -> None:
    lang = state.lang()
    ss = st.session_state
    copy_of = ss.get(state.widget_key("setup", "copy_of")) if ss.get(state.widget_key("setup", "start")) == "copy" \
        else None
    try:
        r = regions.new_region(ss.get(state.widget_key("setup", "name")) or "",
                               ss.get(state.widget_key("setup", "kind")),
                               ss.get(state.widget_key("setup", "province")) or "", copy_of=copy_of)
    except ValidationError as exc:
        state.flash("error", t("setup.create_failed", lang, problem=state.error_text(exc)))
        return
    state.flash("success", t("setup.created", lang, region=md_escape(r.name)))


# --------------------------------------------------------------------------- the checklist
def needs(region: Region) -> tuple[str, ...]:
    """What the user must enter: ``Region.needs`` without the budget and groups while the potential workers are
    missing (their defaults are sized by the workers, so they fill themselves once the workers are in)."""
    if "potential_workers" in region.needs:
        return tuple(f for f in region.needs if f not in ("apbd", "groups"))
    return region.needs


def field_status(region: Region, field: str, lang: str) -> tuple[str, str]:
    """(status, note) of one field: the region's own data, a marked default (its source), or nothing yet."""
    if field in region.defaulted:
        value = getattr(region, field)
        first = value[0] if isinstance(value, tuple) and value else value
        sourced = getattr(first, "members", first)   # a group: the size's source says how it was derived
        return "🔶 " + t("setup.st_default", lang), sourced.source_in(lang) if sourced else ""
    if field in needs(region):
        return "⬜ " + t("setup.st_needed", lang), t("setup.where_tab", lang, tab=t(TAB_OF[field], lang))
    if field in ("apbd", "groups") and "potential_workers" in region.needs:
        return "⏳ " + t("setup.st_after_workers", lang), t("setup.after_workers_note", lang)
    if field in region.missing:
        note = region.missing_note(field, lang) or ""
        return "➖ " + t("setup.st_missing", lang), note
    n = len(getattr(region, field)) if isinstance(getattr(region, field), tuple) else None
    return "✅ " + t("setup.st_own", lang), (t("setup.n_values", lang, n=n) if n else "")


def checklist(region: Region) -> pd.DataFrame:
    lang = state.lang()
    needed = [f for f in needs(region) if f not in REQUIRED]
    rows = []
    for field in (*REQUIRED, *needed, *(f for f in OPTIONAL if f not in needed)):
        status, note = field_status(region, field, lang)
        rows.append({t("setup.col_data", lang): t(f"region.field.{field}", lang),
                     t("setup.col_need", lang): t("setup.required" if field in (*REQUIRED, *needed)
                                                   else "setup.optional", lang),
                     t("setup.col_status", lang): status, t("setup.col_note", lang): note})
    return pd.DataFrame(rows)


def guided_setup() -> None:
    """What the region holds and lacks; open (and first on the page) while it is not ready."""
    lang, region = state.lang(), regions.region()
    if not region.ready:
        with st.container(border=True):
            st.subheader("🧭 " + t("setup.guide_title", lang))
            st.markdown(t("setup.guide_intro", lang, missing=md_escape(state.needs_text(needs(region)))))
            st.markdown("\n".join(f"{i}. {t(f'setup.guide_step_{i}', lang)}" for i in range(1, 4)))
            st.dataframe(checklist(region), hide_index=True, width="stretch")
        return
    with st.expander("🧭 " + t("setup.checklist_title", lang, n=len(region.defaulted))):
        st.caption(t("setup.checklist_intro", lang))
        st.dataframe(checklist(region), hide_index=True, width="stretch")


def not_ready_notice(region: Region) -> None:
    """Other pages, while the region lacks the minimum: what is missing and the way to the guided setup."""
    lang = state.lang()
    st.title(md_escape(region.name))
    st.warning(t("setup.not_ready", lang, region=md_escape(region.name),
                 missing=md_escape(state.needs_text(needs(region)))), icon="🧭")
    st.page_link(DATA_PAGE, label=t("setup.to_setup", lang), icon="🗂️")


def _yaml_bytes(region) -> bytes:
    """``region``'s own data as a region file (data/regions/*.yaml format; no defaults)."""
    return region_yaml(region).encode("utf-8")
