"""The Data page's pieces: the table editor (editable cells read the office way, a preview of what changes,
Apply), the problems and warnings of a table, the scenario-copy checks, the upload slot, and one function per tab.

Everything goes through ``simulation.io``; nothing is applied until the user presses Apply, and a table with
problems cannot be applied, so the previous data stay. Edits live in this session only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from presentation import labels, summaries
from presentation.i18n import fmt_idr, fmt_number, fmt_pct, md_escape, t, vega_time_locale
from presentation.problems import problem_text as say_problem
from simulation import io as uploads
from simulation.data import Region, parse_region, region_data
from simulation.errors import ValidationError
from simulation.scenario import Target as ScenarioTarget
from simulation.sourced import CERTAINTIES

from . import model, regions, state, work

MAX_SHOWN_PROBLEMS = 15


# --------------------------------------------------------------------------- formatting helpers
def badge(certainty: str | None, lang: str | None = None) -> str:
    """H/M/L/A as a badge; ``lang`` given where Streamlit may call this outside a run (a widget's format_func)."""
    lang = lang or state.lang()
    return t(f"data.badge_{certainty.lower()}", lang) if certainty in CERTAINTIES else ""


def date_text(d: dt.date | None) -> str:
    lang = state.lang()
    if d is None:
        return ""
    month = vega_time_locale(lang)["shortMonths"][d.month - 1]
    return f"{d.day} {month} {d.year}"


def num_text(x: float | None, max_decimals: int = 2) -> str:
    """A number for an editor cell: as few decimals as it needs, grouped the user's way."""
    lang = state.lang()
    if x is None:
        return ""
    d = next((k for k in range(max_decimals + 1) if abs(round(x, k) - x) < 1e-9), max_decimals)
    return fmt_number(x, lang, d)


PCT_FIELDS = {"coverage_pct", "already_covered_pct", "take_up_pct", "dropout_pct"}


def value_text(field: str, v) -> str:
    """A value in the preview, formatted for its column."""
    lang = state.lang()
    if v is None:
        return "–"
    if field in PCT_FIELDS or field == "value":
        return fmt_pct(v, lang, 2)
    if field in ("min_wage_idr", "apbd_idr"):
        return fmt_idr(v, lang)
    if field in ("potential_workers", "participants", "members"):
        return fmt_number(v, lang)
    return str(v)


def header(kind: str, key: str) -> str:
    lang = state.lang()
    return uploads.column_header(kind, key, lang)


def key_label(kind: str, key: str) -> str:
    """Row label in the preview: a year, a group's or target's name, a parameter's name."""
    lang = state.lang()
    region = regions.region()
    if kind == "groups":
        g = region.group(key)
        return g.name(lang) if g else key
    if kind == "targets":
        tg = next((x for x in region.targets if x.id == key), None)
        return tg.name(lang) if tg else key
    if kind == "parameters":
        return t(f"data.param_{key}", lang)
    return key


def problem_text(p: uploads.Problem) -> str:
    lang = state.lang()
    return say_problem(p, lang)


def show_problems(problems, *, rejected: bool) -> None:
    lang = state.lang()
    lines = [problem_text(p) for p in problems[:MAX_SHOWN_PROBLEMS]]
    if len(problems) > MAX_SHOWN_PROBLEMS:
        lines.append(t("errors.more_errors", lang, n=len(problems) - MAX_SHOWN_PROBLEMS))
    head = t("data.rejected", lang) if rejected else t("data.edit_invalid", lang)
    st.error(head + "\n\n" + "\n".join(f"- {line}" for line in lines), icon="⛔")


def show_warnings(warnings) -> None:
    if warnings:
        st.warning("\n".join(f"- {problem_text(w)}" for w in warnings), icon="⚠️")


# --------------------------------------------------------------------------- apply
def new_value_settings(upload_slot: dict | None = None) -> tuple[str, str | None]:
    """(source, certainty) recorded on new values: the page's entry fields for typed edits; the upload's own
    choice for a file (certainty None until the user picks one: an upload is never silently an assumption)."""
    entry = upload_slot if upload_slot is not None else state.get(state.DATA_ENTRY)
    src = (entry.get("source") or "").strip() or uploads.USER_SOURCE
    cert = entry.get("certainty")
    if cert in CERTAINTIES:
        return src, cert
    return src, (None if upload_slot is not None else "A")


def unsourced_rows(tables) -> int:
    """Rows of the file that name no source or no certainty of their own (they take the upload's choice)."""
    return sum(1 for tb in tables for r in tb.rows if not r.get("source") or not r.get("certainty"))


def upload_choice_problem(slot: dict, tables) -> str | None:
    """Why the upload cannot be applied yet (no certainty chosen; a source needed for H/M/L), else None."""
    lang = state.lang()
    if not unsourced_rows(tables):
        return None
    src, cert = new_value_settings(slot)
    if cert is None:
        return t("data.upload_pick_certainty", lang)
    if cert != "A" and src == uploads.USER_SOURCE:
        return t("data.upload_name_source", lang, certainty=badge(cert))
    return None


def upload_choice_changed(field: str) -> None:
    slot = upload_slot()
    slot[field] = st.session_state[state.widget_key("data", "upload", field, slot["n"])]


def upload_source_choice(slot: dict, tables) -> None:
    """Source and certainty chosen once for the whole file (rows naming their own keep theirs)."""
    lang = state.lang()
    n_rows, n_free = sum(len(tb.rows) for tb in tables), unsourced_rows(tables)
    if not n_free:
        st.caption("✅ " + t("data.upload_all_sourced", lang))
        return
    with st.container(border=True):
        st.markdown(f"**{t('data.upload_choice_title', lang)}**")
        st.caption(t("data.upload_choice_intro", lang, n=n_free, total=n_rows))
        c1, c2 = st.columns([3, 1])
        skey = state.seed(state.widget_key("data", "upload", "source", slot["n"]), slot.get("source") or "")
        ckey = state.seed(state.widget_key("data", "upload", "certainty", slot["n"]), slot.get("certainty"))
        c1.text_input(t("data.upload_source", lang), key=skey, max_chars=300, on_change=upload_choice_changed,
                      args=("source",), placeholder=t("data.upload_source_placeholder", lang))
        c2.selectbox(t("data.upload_certainty", lang), list(CERTAINTIES), key=ckey, index=None,
                     placeholder=t("data.upload_certainty_placeholder", lang),
                     format_func=lambda c: badge(c, lang), on_change=upload_choice_changed, args=("certainty",))


def entry_changed(field: str) -> None:
    st.session_state[state.DATA_ENTRY.name][field] = st.session_state[state.widget_key("data", field)]


def history_problem(tables) -> uploads.Problem | None:
    """The projection starts the year after the last observation: it must come before the horizon."""
    scenario = work.scenario()
    hist = next((tb for tb in tables if tb.kind == "history"), None)
    if hist is None:
        return None
    years = [r["year"] for r in hist.rows if "year" in r]
    if years and max(years) >= scenario.horizon_year:
        return uploads.Problem("history_after_horizon", params={"year": max(years),
                                                                "horizon": scenario.horizon_year})
    return None


def do_apply(tables, done_message: str, upload_slot: dict | None = None) -> None:
    lang = state.lang()
    src, cert = new_value_settings(upload_slot)
    if cert is None:   # a file's rows without source: the user has not chosen yet (the button is disabled then)
        cert = next(r["certainty"] for tb in tables for r in tb.rows if r.get("certainty"))
    try:
        new_region = with_defaults(regions.region(), uploads.apply_tables(regions.region(), tables, source=src,
                                                                            certainty=cert, today=dt.date.today(),
                                                                            lang=lang))
        if new_region.ready:   # must still project; else keep the old data (a region being set up cannot yet)
            model.project(work.scenario(), new_region)
    except ValidationError as exc:
        state.flash("error", t("data.apply_failed", lang, problem=state.error_text(exc)))
        return
    before = regions.region()
    regions.set_region_data(new_region)
    if not before.ready and work.scenario() == labels.starting_scenario(before, lang):
        # a region being set up: its untouched starting scenario (no groups, no local targets yet) follows the data
        work.set_scenario(labels.starting_scenario(regions.region(), lang), undoable=False)
    if upload_slot is not None:
        upload_slot.update({"n": upload_slot.get("n", 0) + 1, "file_id": None, "upload": None,
                            "applied": upload_slot.get("name"), "source": "", "certainty": None})
    state.flash("success", done_message)


def with_defaults(before: Region, after: Region) -> Region:
    """``after`` with its marks right: a field the tables filled is the region's own (no longer missing nor
    defaulted), and the defaults of what is still missing follow the new data (groups and APBD are sized by the
    potential workers just entered)."""
    given = {f: getattr(after, f) for f in after.missing if getattr(after, f) and getattr(after, f) != getattr(before, f)}
    if given:
        after = after.with_data(**given)
    if after.missing:
        after = parse_region(region_data(after), "region")
    return after


def preview(tables, key: str, *, upload_slot: dict | None = None) -> None:
    """Old vs new for every value that changes, then Apply (only for valid tables)."""
    lang = state.lang()
    region = regions.region()
    extra = history_problem(tables)
    if extra is not None:
        show_problems([extra], rejected=upload_slot is not None)
        return
    ch = uploads.changes(region, tables, lang)
    if not ch:
        st.caption(t("data.no_changes", lang))
        return
    status = {"changed": t("data.status_changed", lang), "added": t("data.status_added", lang),
              "removed": t("data.status_removed", lang)}
    kind_names = {k: t(f"data.table_{k}", lang) for k in uploads.KINDS}
    df = pd.DataFrame({
        t("data.col_table", lang): [kind_names[c.kind] for c in ch],
        t("data.col_row", lang): [key_label(c.kind, c.key) for c in ch],
        t("data.col_column", lang): [header(c.kind, c.field) for c in ch],
        t("data.col_old", lang): [value_text(c.field, c.old) for c in ch],
        t("data.col_new", lang): [value_text(c.field, c.new) for c in ch],
        t("data.col_change", lang): [status[c.status] for c in ch],
    })
    st.markdown(f"**{t('data.preview_title', lang, n=len(ch))}**")
    wide = {c: st.column_config.TextColumn(c, width="medium")
            for c in (t("data.col_old", lang), t("data.col_new", lang))}
    st.dataframe(df, hide_index=True, width="stretch", column_config=wide)
    blocked = None
    if upload_slot is not None:
        upload_source_choice(upload_slot, tables)
        blocked = upload_choice_problem(upload_slot, tables)
    src, cert = new_value_settings(upload_slot)
    if blocked:
        st.warning(blocked, icon="✋")
    elif upload_slot is None or unsourced_rows(tables):
        st.caption(t("data.new_values_get", lang, source=md_escape(src), certainty=badge(cert),
                     date=date_text(dt.date.today())))
    if any(c.kind == "groups" for c in ch):
        st.info(t("data.groups_copy_note", lang), icon="ℹ️")
    msg = t("data.applied", lang, n=len(ch))
    with st.container(horizontal=True):
        st.button(t("data.apply", lang), key=f"data.apply.{key}", type="primary", disabled=blocked is not None,
                  on_click=do_apply, args=(tables, msg, upload_slot))
        if upload_slot is not None:
            st.button(t("data.discard", lang), key=f"data.discard.{key}", on_click=discard_upload)


# --------------------------------------------------------------------------- editors
def editor(kind: str, rows: list[dict], editable: list[str], shown: dict[str, Callable], *, dynamic: bool,
           hidden: tuple[str, ...] = (), lead: dict[str, Callable] | None = None, name: str | None = None,
           help_text: dict | None = None) -> None:
    """An in-place editor for one table: editable cells are text read the Indonesian way.

    Columns: ``lead`` (read-only, first), the editable ones, then ``shown`` (read-only: source, date, certainty).
    """
    lang = state.lang()
    region = regions.region()
    name = name or kind
    lead = lead or {}
    labels = {k: header(kind, k) for k in editable}
    data: dict[str, list] = {}
    for k in hidden:
        data[k] = [r.get(k) for r in rows]
    for label, fn in lead.items():
        data[label] = [fn(r) for r in rows]
    for k in editable:
        data[labels[k]] = [cell_text(kind, k, r.get(k)) for r in rows]
    for label, fn in shown.items():
        data[label] = [fn(r) for r in rows]
    df = pd.DataFrame(data).astype("object")
    config = {k: None for k in hidden}
    for k in editable:
        config[labels[k]] = st.column_config.TextColumn(labels[k], help=(help_text or {}).get(k),
                                                        width="small" if k == "year" else None)
    for label in [*lead, *shown]:
        width = "large" if label == t("common.source", lang) else None
        config[label] = st.column_config.TextColumn(label, disabled=True, width=width,
                                                    help=(help_text or {}).get(label))
    out = st.data_editor(df, key=state.widget_key("data", "edit", name, region.content_hash), hide_index=True,
                         width="stretch", height="content",
                         num_rows="dynamic" if dynamic else "fixed", column_config=config,
                         disabled=[*lead, *shown, *hidden])
    out = out.astype("object").where(out.notna(), None)
    if out.reset_index(drop=True).equals(df.where(df.notna(), None).reset_index(drop=True)):
        return
    records = []
    for _, row in out.iterrows():
        rec = {k: row[labels[k]] for k in editable}
        for k in hidden:
            rec[k] = row[k]
        records.append(rec)
    table = uploads.read_records(kind, records, region=region, lang=lang, headers=labels)
    if table.problems:
        show_problems(table.problems, rejected=False)
    else:
        show_warnings(table.warnings)
        preview([table], f"edit.{name}")


def cell_text(kind: str, key: str, v) -> str | None:
    lang = state.lang()
    if v is None:
        return None
    if key == "year" or isinstance(v, str):
        return str(v)
    if key in ("potential_workers", "members", "min_wage_idr", "apbd_idr", "participants"):
        return fmt_number(v, lang)
    return num_text(v)


def sourced() -> dict[str, Callable]:
    """The read-only columns every sourced table shows: certainty, source, date."""
    lang = state.lang()
    return {t("common.certainty", lang): lambda r: badge(r.get("certainty")),
            t("common.source", lang): lambda r: r.get("source") or "",
            t("data.col_date", lang): lambda r: date_text(r.get("source_date"))}


def csv_button(kind: str) -> None:
    lang = state.lang()
    region = regions.region()   # read now: the callable runs after the script run, where session state is gone
    st.download_button(t("data.download_csv_template", lang, table=t(f"data.table_{kind}", lang)),
                       data=lambda: uploads.template_csv(region, kind, lang), on_click="ignore",
                       file_name=f"{region.id}_{kind}.csv", mime="text/csv", key=f"data.dl.{kind}")


def params_editor(ids: list[str], name: str) -> None:
    lang = state.lang()
    region = regions.region()
    rows = [r for r in uploads.region_rows(region, "parameters", lang) if r["id"] in ids]
    for r in rows:
        r["label"] = t(f"data.param_{r['id']}", lang)
    editor("parameters", rows, ["value"], sourced(), dynamic=False, hidden=("id",), name=name,
           lead={t("data.col_parameter", lang): lambda r: r["label"]},
           help_text={"value": t("data.param_value_help", lang)})


# --------------------------------------------------------------------------- scenario copies
def group_differences() -> list[tuple]:
    return summaries.group_differences(work.scenario(), regions.region())


def sync_groups() -> None:
    lang = state.lang()
    r, s = regions.region(), work.scenario()
    groups = []
    for g in s.groups:
        d = r.group(g.id)
        if d is not None:
            g = replace(g, members=min(uploads.MAX_MEMBERS, int(round(d.members.value))),
                        already_covered=d.already_covered.value, take_up=d.take_up.value, dropout=d.dropout.value)
        groups.append(g)
    try:
        work.set_scenario(s.replace(groups=groups))
        state.flash("success", t("data.synced_groups", lang))
    except ValidationError as exc:
        state.flash("error", state.error_text(exc))


def target_differences() -> list[tuple]:
    return summaries.target_differences(work.scenario(), regions.region())


def sync_targets() -> None:
    lang = state.lang()
    r, s = regions.region(), work.scenario()
    ids = {x.id for x in r.targets}
    targets = [ScenarioTarget(id=x.id, name=x.name(lang), year=x.year, coverage_pct=x.coverage_pct)
               for x in r.targets] + [x for x in s.targets if x.id not in ids]
    try:
        work.set_scenario(s.replace(targets=targets[:20]))
        state.flash("success", t("data.synced_targets", lang))
    except ValidationError as exc:
        state.flash("error", state.error_text(exc))


def offer_group_sync(key: str) -> None:
    lang = state.lang()
    region = regions.region()
    diffs = group_differences()
    if not diffs:
        st.caption("✅ " + t("data.groups_in_sync", lang))
        return
    names = sorted({labels.group_label(g, region, lang) for g, *_ in diffs})
    st.warning(t("data.groups_differ", lang, n=len(names), names=", ".join(names)), icon="🔁")
    with st.expander(t("data.groups_differ_details", lang)):
        st.dataframe(pd.DataFrame({
            t("common.group", lang): [labels.group_label(g, region, lang) for g, *_ in diffs],
            t("data.col_column", lang): [header("groups", k) for _g, k, *_ in diffs],
            t("data.col_scenario", lang): [value_text(k, sv) for _g, k, sv, _rv in diffs],
            t("data.col_region", lang): [value_text(k, rv) for _g, k, _sv, rv in diffs],
        }), hide_index=True, width="stretch")
    st.button(t("data.sync_groups", lang), key=f"data.sync_groups.{key}", on_click=sync_groups)


# --------------------------------------------------------------------------- uploads
def upload_slot() -> dict:
    rid = regions.region_id()
    slots = st.session_state[state.UPLOADS.name]
    return slots.setdefault(rid, {"n": 0, "file_id": None, "upload": None, "name": None, "applied": None,
                                  "source": "", "certainty": None})


def discard_upload() -> None:
    slot = upload_slot()
    slot.update({"n": slot.get("n", 0) + 1, "file_id": None, "upload": None, "name": None, "applied": None,
                 "source": "", "certainty": None})


# --------------------------------------------------------------------------- tabs
def history_tab() -> None:
    """The coverage history (the forecast's data)."""
    lang, region = state.lang(), regions.region()
    st.markdown(t("data.history_intro", lang))
    editor("history", uploads.region_rows(region, "history", lang), ["year", "coverage_pct"], sourced(), dynamic=True,
           help_text={"coverage_pct": t("data.coverage_help", lang)})
    n_hist = len(region.coverage_history)
    if n_hist < 6:
        st.caption("⚠️ " + t("data.short_history", lang, n=n_hist))
    csv_button("history")


def workers_tab() -> None:
    """Potential workers and the worker parameters."""
    lang, region = state.lang(), regions.region()
    st.markdown(t("data.workers_intro", lang))
    editor("workers", uploads.region_rows(region, "workers", lang), ["year", "potential_workers"], sourced(),
           dynamic=True)
    st.markdown(f"**{t('data.workers_params', lang)}**")
    params_editor(["worker_growth_pct", "formal_share_pct", "formal_coverage_pct"], "params_workers")
    csv_button("workers")


def budget_tab() -> None:
    """Minimum wages, the APBD and its growth."""
    lang, region = state.lang(), regions.region()
    st.markdown(f"**{t('data.table_min_wage', lang)}**")
    editor("min_wage", uploads.region_rows(region, "min_wage", lang), ["year", "min_wage_idr"], sourced(),
           dynamic=True)
    st.markdown(f"**{t('data.table_apbd', lang)}**")
    st.caption(t("data.apbd_intro", lang))
    editor("apbd", uploads.region_rows(region, "apbd", lang), ["year", "apbd_idr"], sourced(), dynamic=True)
    params_editor(["apbd_growth_pct"], "params_budget")
    b1, b2 = st.columns(2)
    with b1:
        csv_button("min_wage")
    with b2:
        csv_button("apbd")


def groups_tab() -> None:
    """The region's groups, their sources, and the scenario's copies."""
    lang, region = state.lang(), regions.region()
    st.markdown(t("data.groups_intro", lang))
    grows = uploads.region_rows(region, "groups", lang)
    for r, g in zip(grows, region.groups, strict=True):
        r["agreement"] = t("common.yes", lang) if g.agreement else t("common.no", lang)
        r["certs"] = "·".join(getattr(g, a).certainty for a in ("members", "already_covered", "take_up", "dropout"))
    group_cert = t("data.col_group_certainty", lang)
    editor("groups", grows, ["members", "already_covered_pct", "take_up_pct", "dropout_pct"],
           {group_cert: lambda r: r["certs"]}, dynamic=False, hidden=("id",),
           lead={header("groups", "name"): lambda r: r["name"],
                 t("data.col_agreement", lang): lambda r: r["agreement"]},
           help_text={group_cert: t("data.col_group_certainty_help", lang)})
    with st.expander(t("data.group_sources", lang), expanded=False):
        srows = []
        for g in region.groups:
            for attr, key in (("members", "members"), ("already_covered", "already_covered_pct"),
                              ("take_up", "take_up_pct"), ("dropout", "dropout_pct")):
                v = getattr(g, attr)
                shown_v = v.value if attr == "members" else 100 * v.value
                srows.append({t("common.group", lang): g.name(lang), t("data.col_column", lang): header("groups", key),
                              t("common.value", lang): value_text(key, shown_v),
                              t("common.certainty", lang): badge(v.certainty),
                              t("common.source", lang): v.source, t("data.col_date", lang): date_text(v.source_date)})
        st.dataframe(pd.DataFrame(srows), hide_index=True, width="stretch")
    st.info(t("data.groups_copy_note", lang), icon="ℹ️")
    offer_group_sync("tab")
    csv_button("groups")


def targets_tab() -> None:
    """The region's targets and the scenario's copies."""
    lang, region = state.lang(), regions.region()
    st.markdown(t("data.targets_intro", lang))
    editor("targets", uploads.region_rows(region, "targets", lang), ["id", "name", "year", "coverage_pct"], sourced(),
           dynamic=True, help_text={"id": t("data.target_id_help", lang)})
    tdiff = target_differences()
    if tdiff:
        st.warning(t("data.targets_differ", lang, n=len(tdiff)), icon="🔁")
        st.button(t("data.sync_targets", lang), key="data.sync_targets", on_click=sync_targets)
    else:
        st.caption("✅ " + t("data.targets_in_sync", lang))
    csv_button("targets")


def upload_tab() -> None:
    """Upload a CSV/XLSX laid out like the template."""
    lang, region = state.lang(), regions.region()
    st.markdown(t("data.upload_intro", lang, limit=fmt_number(uploads.MAX_BYTES / 2**20, lang)))
    with st.expander(t("data.upload_rules_title", lang)):
        st.markdown("\n".join(f"- {t(f'data.upload_rule_{i}', lang)}" for i in range(1, 5)))
    notes = [t(f"data.template_note_{i}", lang) for i in range(1, 6)]
    st.download_button("📥 " + t("data.download_xlsx_template", lang),
                       data=lambda: uploads.template_xlsx(region, lang, notes), on_click="ignore",
                       file_name=f"{region.id}_data_template.xlsx", key="data.dl.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    slot = upload_slot()
    # the reader's own accept list: .xls and .ods get our "save as .xlsx" in the user's language, not the widget's
    f = st.file_uploader(t("data.upload_label", lang), type=list(uploads.ACCEPTED_EXTENSIONS),
                         key=state.widget_key("data", "upload", slot["n"]), help=t("data.upload_help", lang),
                         max_upload_size=max(1, uploads.MAX_BYTES // 2**20))
    if f is not None and f.file_id != slot.get("file_id"):
        size = getattr(f, "size", None)
        raw = b"" if size is not None and size > uploads.MAX_BYTES else f.getvalue()
        result = (uploads.read_upload(raw, f.name, region=region, lang=lang) if raw or not size else
                  uploads.Upload(f.name, problems=(uploads.Problem(
                      "too_large", params={"size": size, "limit": uploads.MAX_BYTES}),)))
        slot.update({"file_id": f.file_id, "upload": result, "name": f.name, "applied": None})
    up: uploads.Upload | None = slot.get("upload")
    if up is not None:
        st.markdown(f"**{t('data.upload_file', lang, name=up.filename)}**")
        if up.tables:
            st.caption(t("data.upload_found", lang, tables=", ".join(
                t("data.table_found", lang, table=t(f"data.table_{tb.kind}", lang), n=len(tb.rows),
                  sheet=tb.sheet or "CSV") for tb in up.tables)))
        problems = list(up.all_problems)
        extra = history_problem(up.tables) if up.ok else None
        if extra is not None:
            problems.append(extra)
        if problems:
            show_problems(problems, rejected=True)
            st.button(t("data.discard", lang), key="data.discard.rejected", on_click=discard_upload)
        else:
            show_warnings(up.warnings)
            preview(list(up.tables), "upload", upload_slot=slot)
    elif slot.get("applied"):
        st.success(t("data.upload_applied", lang, name=slot["applied"]), icon="✅")
        if any(True for _ in group_differences()):
            offer_group_sync("upload")
