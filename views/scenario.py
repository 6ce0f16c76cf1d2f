"""Skenario / Scenario builder: which groups the city pays for, how, under which budget, with a live summary.

The pure helpers at the top (the editor's table, applying its edits, error texts) are importable for tests;
the page itself is drawn by :func:`render`, which Streamlit runs because a page runs as ``__main__``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from presentation import labels
from presentation.i18n import (
    LANGS,
    MISSING,
    fmt_idr,
    fmt_idr_short,
    fmt_number,
    fmt_pct,
    fmt_pp,
    md_escape,
    parse_number,
    t,
)
from simulation.contributions import BASES, RISK_CLASSES, ROUTES, base_for_year, monthly_contribution
from simulation.data import Region, Sourced, load_parameters
from simulation.errors import ValidationError
from simulation.scenario import COMPLIANCE_MODES, MAX_GROUPS, GroupScenario, Scenario
from ui import model, state, widgets

# ----------------------------------------------------------------------------------------------- the group table
#: editor column -> GroupScenario field, for the shares the editor shows in percent (0-100)
PCT_COLUMNS = {"already_covered_pct": "already_covered", "take_up_pct": "take_up", "dropout_pct": "dropout"}
#: editor columns copied to the GroupScenario field of the same name
PLAIN_COLUMNS = ("in_scope", "name", "members", "start_year", "phase_in_years", "priority")
#: every editor column, in the order shown ("certainty" is read-only)
COLUMNS = ("in_scope", "name", "members", "certainty", "already_covered_pct", "take_up_pct", "start_year",
           "phase_in_years", "dropout_pct", "priority")
COLUMN_OF_FIELD = {**{f: c for c, f in PCT_COLUMNS.items()}, **{c: c for c in PLAIN_COLUMNS}}

DEFAULT_COMPLIANCE = {"none": 0.0, "count": 1000.0, "share": 0.05}   # starting amount when a mode is chosen
_GROUP_FIELD = re.compile(r"^groups\[(\d+)\]\.(\w+)$")


def certainty_label(certainty: str | None, lang: str) -> str:
    """H/M/L/A as a word; ``None`` (a group the user added) is user input."""
    if certainty is None:
        return t("scenario.user_input", lang)
    if certainty == "A":
        return "⚠️ " + t("common.assumption", lang)
    return t({"H": "certainty.high", "M": "certainty.medium", "L": "certainty.low"}[certainty], lang)


def groups_frame(scenario: Scenario, region: Region, lang: str) -> pd.DataFrame:
    """The scenario's groups as the editor shows them: one row per group, shares in percent [0-100]."""
    rows = []
    for g in scenario.groups:
        d = region.group(g.id)
        rows.append({
            "in_scope": g.in_scope, "name": labels.group_label(g, region, lang), "members": int(g.members),
            "certainty": certainty_label(d.members.certainty if d is not None else None, lang),
            **{col: round(getattr(g, field) * 100, 6) for col, field in PCT_COLUMNS.items()},
            "start_year": int(g.start_year), "phase_in_years": int(g.phase_in_years), "priority": int(g.priority),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype({"in_scope": bool, "members": "int64", "start_year": "int64", "phase_in_years": "int64",
                         "priority": "int64", **{c: "float64" for c in PCT_COLUMNS}})


def apply_group_edits(scenario: Scenario, edited_rows: dict) -> Scenario:
    """The scenario with the editor's cell edits (``{row: {column: value}}``, shares in percent) applied.

    Raises :class:`ValidationError` (field ``groups[i].<field>``) for a value the scenario refuses; an
    emptied cell is refused as ``empty_value``. Read-only columns and unknown rows are ignored.
    """
    groups = list(scenario.groups)
    for row, changes in sorted(((int(r), c) for r, c in (edited_rows or {}).items()), key=lambda rc: rc[0]):
        if not 0 <= row < len(groups) or not isinstance(changes, dict):
            continue
        kw = {}
        for column, value in changes.items():
            field = PCT_COLUMNS.get(column, column if column in PLAIN_COLUMNS else None)
            if field is None:
                continue
            if value is None or (isinstance(value, float) and math.isnan(value)) or \
                    (field == "name" and isinstance(value, str) and not value.strip()):
                raise ValidationError(f"groups[{row}].{field}", "empty value", code="empty_value")
            if column in PCT_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = value / 100
            kw[field] = value
        groups[row] = replace(groups[row], **kw)
    return scenario.replace(groups=groups)


def new_group_id(scenario: Scenario) -> str:
    """``custom_1``, ``custom_2`` ...: the first id no group uses."""
    taken = {g.id for g in scenario.groups}
    n = 1
    while f"custom_{n}" in taken:
        n += 1
    return f"custom_{n}"


def _number_text(x, lang: str) -> str:
    """A number with as many decimals as it needs (at most 4)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return md_escape(str(x)[:40]) if x is not None else MISSING
    for decimals in range(5):
        if abs(round(x, decimals) - x) < 1e-9:
            return fmt_number(x, lang, decimals)
    return fmt_number(x, lang, 4)


def problem_text(exc: ValidationError, lang: str, scale: float = 1.0, attempted=None) -> str:
    """What is wrong, in the user's language; model values shown times ``scale`` (100 for percent)."""
    if exc.code == "empty_value":
        return t("errors.empty_value", lang)
    params = {k: (_number_text(v * scale, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
              for k, v in exc.params.items()}
    if attempted is not None or "value" not in params:
        params["value"] = _number_text(attempted, lang) if attempted is not None else MISSING
    for key in (f"scenario.err_{exc.code}", f"errors.{exc.code}"):
        text = t(key, lang, **params)
        if text != key:
            return text
    return exc.message


def edit_error_text(exc: ValidationError, scenario: Scenario, region: Region, lang: str,
                    edited_rows: dict | None = None) -> str:
    """A refused editor edit: the row (number and group), the column as labelled, and what is wrong."""
    m = _GROUP_FIELD.match(exc.field or "")
    if m is None or int(m[1]) >= len(scenario.groups):
        return t("errors.field", lang, field=md_escape(exc.field), problem=problem_text(exc, lang))
    row, field = int(m[1]), m[2]
    column = COLUMN_OF_FIELD.get(field, field)
    attempted = None
    for r, changes in (edited_rows or {}).items():
        if int(r) == row and isinstance(changes, dict):
            attempted = changes.get(column)
    scale = 100.0 if column in PCT_COLUMNS else 1.0
    problem = problem_text(exc, lang, scale=scale, attempted=attempted)
    label = md_escape(labels.group_label(scenario.groups[row], region, lang))
    return t("errors.row_col", lang, row=f"{row + 1} ({label})", column=t(f"scenario.col_{column}", lang),
             problem=problem)


def first_target_year(scenario: Scenario, years: list[int]) -> int:
    """The year of the earliest target inside the projection, else the first projected year."""
    inside = sorted(x.year for x in scenario.targets if x.year in years)
    return inside[0] if inside else years[0]


def _sourced_caption(value: Sourced, lang: str) -> str:
    return t("scenario.source_caption", lang, certainty=certainty_label(value.certainty, lang),
             source=md_escape(value.source))


def _param_caption(param_id: str, lang: str) -> str:
    p = load_parameters()[param_id].latest
    return t("scenario.source_caption", lang, certainty=certainty_label(p.certainty, lang), source=md_escape(p.source))


# ----------------------------------------------------------------------------------------------- the page
def render() -> None:  # noqa: C901, PLR0915 - one page, drawn top to bottom
    lang = state.lang()
    region = state.region()

    # ---------------------------------------------------------------- callbacks (run before the next rerun)
    def update(label: str, changes: dict, *, scale: float = 1.0, attempted=None) -> bool:
        """Apply validated changes; on error flash "<label>: <problem>" and keep the scenario."""
        try:
            state.set_scenario(state.scenario().replace(**changes), reset_widgets=False)
            return True
        except ValidationError as exc:
            lg = state.lang()
            state.flash("error", t("errors.field", lg, field=label,
                                   problem=problem_text(exc, lg, scale=scale, attempted=attempted)))
            return False

    def bump_editor() -> None:
        st.session_state["editor_version"] += 1

    def apply_editor(key: str) -> None:
        edits = st.session_state.get(key) or {}
        rows = edits.get("edited_rows") or {}
        s = state.scenario()
        try:
            state.set_scenario(apply_group_edits(s, rows), reset_widgets=False)
        except ValidationError as exc:
            state.flash("error", edit_error_text(exc, s, state.region(), state.lang(), rows))
        bump_editor()   # a fresh editor shows the scenario's values (the edit, or the refused edit undone)

    def number_text(label: str, field: str, *, show, read, scale: float = 1.0, help: str | None = None) -> None:
        """A text input for a number written the local way ("Rp 1.500.000", "5,5"), read with parse_number."""
        key = f"w.{field}.{lang}"
        state.seed(key, show(getattr(state.scenario(), field)))

        def changed() -> None:
            lg, before, raw = state.lang(), state.scenario(), st.session_state[key]
            try:
                number = parse_number(raw, lg)
            except ValueError:
                state.flash("error", t("errors.field", lg, field=label,
                                       problem=t("errors.expected_number", lg, value=md_escape(str(raw)[:40]))))
                st.session_state[key] = show(getattr(before, field))
                return
            ok = update(label, {field: read(number)}, scale=scale, attempted=number)
            st.session_state[key] = show(getattr(state.scenario() if ok else before, field))
        st.text_input(label, key=key, on_change=changed, help=help)

    # ---------------------------------------------------------------- group edits left in the editor's state
    # In a browser the editor's on_change applies an edit and gives the editor a fresh key. Edits that reach
    # the script without that callback (e.g. set through session state) are applied here the same way.
    editor_key = f"w.groups.{st.session_state['editor_version']}"
    pending = st.session_state.get(editor_key)
    if isinstance(pending, dict) and pending.get("edited_rows"):
        apply_editor(editor_key)
        st.rerun()

    scenario = state.scenario()
    p = state.projection()
    table = p.table
    years = [int(y) for y in table["year"]]
    y0, yh = years[0], years[-1]
    yt = first_target_year(scenario, years)
    r0, rh = p.row(y0), p.row(yh)

    # ---------------------------------------------------------------- title, name, reset
    st.title(t("scenario.title", lang))
    st.caption(t("scenario.intro", lang, region=md_escape(region.name)))

    c_name, c_reset = st.columns([3, 1], vertical_alignment="bottom")
    shown_name = labels.scenario_label(scenario, lang)
    if st.session_state.get("w.name") in {a for pair in labels.PRESET_NAMES.values() for a in pair} - {shown_name}:
        st.session_state["w.name"] = shown_name   # a preset name follows the language until the user renames it
    state.seed("w.name", shown_name)
    name_key, name_cb = state.bind("name")
    c_name.text_input(t("scenario.name", lang), key=name_key, max_chars=120, **name_cb)

    def reset() -> None:
        state.set_scenario(labels.starting_scenario(state.region_id(), state.lang()))
        state.flash("success", t("scenario.reset_done", state.lang()))
    with c_reset.popover(t("scenario.reset", lang), width="stretch"):
        st.write(t("scenario.reset_confirm", lang, region=md_escape(region.name)))
        st.button(t("scenario.reset_button", lang), key="w.reset", on_click=reset, type="primary")

    # ---------------------------------------------------------------- live summary
    widgets.compact_metrics()
    with st.container(border=True):
        st.markdown(f"**{t('scenario.summary_title', lang)}**")
        m = st.columns(4)
        m[0].metric(t("scenario.m_participants", lang, year=y0), fmt_number(r0["pbi_participants"], lang),
                    help=t("scenario.m_participants_help", lang, exact=fmt_number(r0["pbi_participants"], lang, 1)))
        m[1].metric(t("scenario.m_net", lang, year=y0), fmt_number(r0["pbi_added_net"], lang),
                    help=t("scenario.m_net_help", lang,
                           already=fmt_number(r0["pbi_participants"] - r0["pbi_added_net"], lang),
                           compliance=fmt_number(r0["compliance_added"], lang)))
        cov_years = [yt] if yt == yh else [yt, yh]
        for col, yr in zip(m[2:], cov_years + [None] * (2 - len(cov_years)), strict=True):
            if yr is None:
                col.metric(t("scenario.m_claims", lang, year=y0), fmt_idr_short(r0["claims_idr"], lang),
                           help=t("scenario.m_claims_help", lang, jkm=fmt_number(r0["jkm_claims"], lang, 1),
                                  jkk=fmt_number(r0["jkk_claims"], lang, 1),
                                  ratio=fmt_number(r0["claims_to_contributions"], lang, 1)))
                continue
            row = p.row(yr)
            col.metric(t("scenario.m_coverage", lang, year=yr), fmt_pct(row["coverage_pct"], lang, 2),
                       delta=fmt_pp(row["coverage_pct"] - row["baseline_coverage_pct"], lang, 2),
                       delta_color="normal",
                       help=t("scenario.m_coverage_help", lang, base=fmt_pct(row["baseline_coverage_pct"], lang, 2),
                              lo=fmt_pct(row["coverage_low_pct"], lang), hi=fmt_pct(row["coverage_high_pct"], lang)))
        m = st.columns(4, vertical_alignment="bottom")
        for col, row in ((m[0], r0), (m[1], rh)):
            col.metric(t("scenario.m_cost", lang, year=int(row["year"])), fmt_idr_short(row["cost_idr"], lang),
                       help=t("scenario.m_cost_help", lang, exact=fmt_idr(row["cost_idr"], lang),
                              total=fmt_idr(row["contributions_idr"], lang)))
        apbd_value = next((v for v in region.apbd if v.year == y0), None)
        apbd_note = certainty_label(apbd_value.certainty if apbd_value else region.apbd_growth_pct.certainty, lang)
        m[2].metric(t("scenario.m_apbd", lang, year=y0), fmt_pct(r0["cost_share_apbd_pct"], lang, 3),
                    help=t("scenario.m_apbd_help", lang, apbd=fmt_idr_short(r0["apbd_idr"], lang), note=apbd_note))
        m[3].metric(t("scenario.m_per_person", lang, year=y0),
                    fmt_idr(r0["contribution_per_person_month_idr"], lang),
                    help=t("scenario.m_per_person_help", lang,
                           city=fmt_idr(r0["contribution_per_person_month_idr"] * scenario.city_share, lang)))
        notes = []
        if apbd_value is None or apbd_value.certainty == "A":
            notes.append(t("scenario.apbd_assumption", lang, year=y0, apbd=fmt_idr_short(r0["apbd_idr"], lang)))
        if bool(table["budget_capped"].any()):
            uncapped = model.project(scenario.replace(budget_cap_idr=None), region)
            capped_years = [y for y, c in zip(years, table["budget_capped"], strict=True) if c]
            yc = capped_years[0]
            lost = uncapped.row(yc)["pbi_participants"] - p.row(yc)["pbi_participants"]
            st.warning(t("scenario.cap_binds", lang, years=_years_text(capped_years), n=fmt_number(lost, lang),
                         year=yc), icon="⚠️")
        if notes:
            st.caption(" ".join(notes))

    tab_groups, tab_contrib, tab_budget, tab_compliance, tab_assume = st.tabs([
        t("scenario.tab_groups", lang), t("scenario.tab_contribution", lang), t("scenario.tab_budget", lang),
        t("scenario.tab_compliance", lang), t("scenario.tab_assumptions", lang)])

    # ---------------------------------------------------------------- groups
    with tab_groups:
        st.caption(t("scenario.groups_intro", lang))
        frame = groups_frame(scenario, region, lang)
        cc = st.column_config
        pct = dict(min_value=0.0, max_value=100.0, required=True, width=82, format="%g %%" if lang == "id" else "%g%%")
        st.data_editor(
            frame, key=editor_key, on_change=apply_editor, args=(editor_key,), num_rows="fixed",
            hide_index=True, width="stretch", height=35 * (len(frame) + 1) + 3, disabled=["certainty"],
            column_order=list(COLUMNS),
            column_config={
                "in_scope": cc.CheckboxColumn(t("scenario.col_in_scope", lang), width=80,
                                              help=t("scenario.col_in_scope_help", lang)),
                "name": cc.TextColumn(t("scenario.col_name", lang), max_chars=80, required=True, width=165),
                "members": cc.NumberColumn(t("scenario.col_members", lang), help=t("scenario.col_members_help", lang),
                                           min_value=0, max_value=10_000_000, step=1, format="%d", required=True,
                                           width=80),
                "certainty": cc.TextColumn(t("scenario.col_certainty", lang), width=100,
                                           help=t("scenario.col_certainty_help", lang)),
                "already_covered_pct": cc.NumberColumn(t("scenario.col_already_covered_pct", lang),
                                                       help=t("scenario.col_already_covered_pct_help", lang), **pct),
                "take_up_pct": cc.NumberColumn(t("scenario.col_take_up_pct", lang),
                                               help=t("scenario.col_take_up_pct_help", lang), **pct),
                "start_year": cc.NumberColumn(t("scenario.col_start_year", lang), help=t("scenario.col_start_year_help", lang),
                                              min_value=2020, max_value=2060,
                                              step=1, format="%d", required=True, width=65),
                "phase_in_years": cc.NumberColumn(t("scenario.col_phase_in_years", lang),
                                                  help=t("scenario.col_phase_in_years_help", lang),
                                                  min_value=1, max_value=10, step=1, format="%d", required=True,
                                                  width=82),
                "dropout_pct": cc.NumberColumn(t("scenario.col_dropout_pct", lang),
                                               help=t("scenario.col_dropout_pct_help", lang), **pct),
                "priority": cc.NumberColumn(t("scenario.col_priority", lang), help=t("scenario.col_priority_help", lang),
                                            min_value=1, max_value=999, step=1, format="%d", required=True, width=80),
            },
        )
        n_assumed = sum(1 for g in scenario.groups
                        if (d := region.group(g.id)) is not None and d.members.certainty == "A")
        st.caption(t("scenario.groups_certainty_note", lang, n=n_assumed))

        c_add, c_del = st.columns(2)
        with c_add.expander(t("scenario.add_title", lang)):
            def add_group() -> None:
                lg, s = state.lang(), state.scenario()
                name = (st.session_state.get("w.add.name") or "").strip()
                if not name:
                    state.flash("error", t("errors.field", lg, field=t("scenario.add_name", lg),
                                           problem=t("errors.empty_value", lg)))
                    return
                if len(s.groups) >= MAX_GROUPS:
                    state.flash("error", t("scenario.err_too_many_groups", lg, max=MAX_GROUPS))
                    return
                g = GroupScenario(
                    id=new_group_id(s), name=name, in_scope=True, members=int(st.session_state["w.add.members"]),
                    already_covered=st.session_state["w.add.covered_pct"] / 100,
                    take_up=st.session_state["w.add.take_up_pct"] / 100, start_year=s.start_year,
                    priority=max((x.priority for x in s.groups), default=0) + 1)
                if update(t("scenario.add_title", lg), {"groups": [*s.groups, g]}):
                    state.flash("success", t("scenario.add_done", lg, name=md_escape(name)))
                    bump_editor()
            with st.form("scenario_add_group", clear_on_submit=True, border=False):
                st.text_input(t("scenario.add_name", lang), key="w.add.name", max_chars=80,
                              placeholder=t("scenario.add_name_placeholder", lang))
                a1, a2, a3 = st.columns(3)
                a1.number_input(t("scenario.add_members", lang), min_value=0, max_value=10_000_000, value=100,
                                step=50, key="w.add.members")
                a2.number_input(t("scenario.add_covered_pct", lang), min_value=0, max_value=100, value=10,
                                step=1, key="w.add.covered_pct")
                a3.number_input(t("scenario.add_take_up_pct", lang), min_value=0, max_value=100, value=70, step=1,
                                key="w.add.take_up_pct")
                st.caption(t("scenario.add_note", lang))
                st.form_submit_button(t("scenario.add_button", lang), on_click=add_group, key="w.add.submit")
        with c_del.expander(t("scenario.delete_title", lang)):
            custom = [g for g in scenario.groups if region.group(g.id) is None]
            if not custom:
                st.caption(t("scenario.delete_none", lang))
            else:
                custom_names = {g.id: g.name for g in custom}
                if st.session_state.get("w.delete_group") not in custom_names:
                    st.session_state.pop("w.delete_group", None)
                st.selectbox(t("scenario.delete_pick", lang), list(custom_names), format_func=custom_names.get,
                             key="w.delete_group")

                def delete_group() -> None:
                    gid = st.session_state.get("w.delete_group")
                    s = state.scenario()
                    if update(t("scenario.delete_title", state.lang()),
                              {"groups": [g for g in s.groups if g.id != gid]}):
                        bump_editor()
                st.button(t("scenario.delete_button", lang), on_click=delete_group, key="w.delete")
            st.caption(t("scenario.delete_note", lang))

        with st.expander(t("scenario.detail_title", lang, year=y0)):
            by = p.by_group[p.by_group["year"] == y0]
            names = {g.id: labels.group_label(g, region, lang) for g in scenario.groups}
            numeric = ("detail_participants", "detail_net", "detail_cost")
            st.dataframe(pd.DataFrame({
                t("scenario.col_name", lang): [names.get(gid, gid) for gid in by["group_id"]],
                t("scenario.detail_participants", lang): [fmt_number(x, lang) for x in by["participants"]],
                t("scenario.detail_net", lang): [fmt_number(x, lang) for x in by["added_net"]],
                t("scenario.detail_cost", lang): [fmt_idr(x, lang) for x in by["cost_idr"]],
            }), hide_index=True, width="stretch",   # numbers as formatted text, right-aligned like numbers
                column_config={t(f"scenario.{k}", lang): st.column_config.TextColumn(alignment="right")
                               for k in numeric})
            st.caption(t("scenario.detail_note", lang))

        with st.expander(t("scenario.sources_title", lang)):
            rows = []
            for g in scenario.groups:
                d = region.group(g.id)
                rows.append({t("scenario.col_name", lang): labels.group_label(g, region, lang),
                             t("scenario.col_certainty", lang): certainty_label(d.members.certainty if d else None, lang),
                             t("common.source", lang): d.members.source if d else t("scenario.user_input", lang)})
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    # ---------------------------------------------------------------- contribution
    params = load_parameters()
    with tab_contrib:
        c1, c2 = st.columns([3, 2])
        with c1:
            key, cb = state.bind("route")
            st.radio(t("scenario.route", lang), list(ROUTES), key=key, horizontal=True,
                     format_func=lambda r: t(f"scenario.route_{r}", lang), help=t("scenario.route_help", lang), **cb)
            if scenario.route == "pu":
                key, cb = state.bind("risk_class")
                st.selectbox(t("scenario.risk_class", lang), list(RISK_CLASSES), key=key, **cb,
                             format_func=lambda k: t(f"scenario.risk_class_{k}", lang, rate=fmt_pct(
                                 100 * params.latest(f"pu.jkk_rate.class{k}"), lang, 2)))
            floor = params.value("bpu.income_floor", dt.date(y0, 1, 1))
            key, cb = state.bind("base")
            st.radio(t("scenario.base", lang), list(BASES), key=key, horizontal=True, **cb,
                     format_func=lambda b: t(f"scenario.base_{b}", lang, floor=fmt_idr(floor, lang)))
            if scenario.base == "custom":
                number_text(t("scenario.base_custom_amount", lang), "base_custom_idr", show=lambda v: fmt_idr(v, lang),
                            read=float, help=t("scenario.base_custom_amount_help", lang))
            if scenario.base == "min_wage":
                mw = next((v for v in region.min_wage if v.year == y0), None)
                st.caption(t("scenario.min_wage_caption", lang, year=y0,
                             value=fmt_idr(region.min_wage_in(y0, scenario.indexation_pct), lang),
                             note=_sourced_caption(mw, lang) if mw else t("scenario.min_wage_indexed", lang)))
            if scenario.base != "floor":   # the floor is a dated parameter: indexation does not apply to it
                number_text(t("scenario.indexation", lang), "indexation_pct", show=lambda v: fmt_number(v, lang, 1),
                            read=float, help=t("scenario.indexation_help", lang))
        with c2:
            base = base_for_year(scenario.base, y0, region=region, custom_idr=scenario.base_custom_idr,
                                 indexation_pct=scenario.indexation_pct, first_year=scenario.start_year)
            c = monthly_contribution(scenario.route, base, dt.date(y0, 1, 1), scenario.risk_class)
            with st.container(border=True):
                st.metric(t("scenario.per_person_month", lang, year=y0),
                          fmt_idr(r0["contribution_per_person_month_idr"], lang),
                          help=t("scenario.per_person_year", lang,
                                 value=fmt_idr(r0["contribution_per_person_month_idr"] * 12, lang),
                                 horizon=yh, last=fmt_idr(rh["contribution_per_person_month_idr"], lang)))
                parts = [t("scenario.part_jkk", lang, value=fmt_idr(c.jkk, lang)),
                         t("scenario.part_jkm", lang, value=fmt_idr(c.jkm, lang))]
                if c.jht:
                    parts.append(t("scenario.part_jht", lang, value=fmt_idr(c.jht, lang)))
                st.caption(t("scenario.breakdown", lang, year=y0, parts=" + ".join(parts),
                             base=fmt_idr(c.base, lang)))
                st.caption("⚖️ " + t(f"scenario.legal_{scenario.route}", lang))

    # ---------------------------------------------------------------- who pays, budget cap
    with tab_budget:
        c1, c2 = st.columns(2)
        with c1:
            st.markdown(f"**{t('scenario.share_title', lang)}**")
            widgets.city_share_slider(lang)
            per_participant = r0["cost_idr"] / r0["pbi_participants"] / 12 if r0["pbi_participants"] > 0 else math.nan
            s1, s2 = st.columns(2)
            s1.metric(t("scenario.city_per_participant", lang), fmt_idr(per_participant, lang),
                      help=t("scenario.per_participant_help", lang, year=y0))
            participant_part = r0["contribution_per_person_month_idr"] - per_participant
            s2.metric(t("scenario.participant_pays", lang), fmt_idr(participant_part, lang),
                      help=t("scenario.per_participant_help", lang, year=y0))
            fall = scenario.takeup_elasticity * (1 - (scenario.city_share if scenario.city_share < 1 else 0.5)) * 100
            st.caption(t("scenario.elasticity_full" if scenario.city_share >= 1 else "scenario.elasticity_caption",
                         lang, e=fmt_number(scenario.takeup_elasticity, lang, 2), fall=fmt_pct(fall, lang, 0),
                         assumption=certainty_label(params["behaviour.takeup_elasticity"].latest.certainty, lang)))
        with c2:
            st.markdown(f"**{t('scenario.cap_title', lang)}**")
            state.seed("w.cap_on", scenario.budget_cap_idr is not None)

            def cap_toggled() -> None:
                s, cap = state.scenario(), None
                if st.session_state["w.cap_on"]:   # start at what the scenario costs now: the cap does not bind yet
                    need = model.project(s.replace(budget_cap_idr=None), state.region()).table["cost_idr"].max()
                    cap = max(1e6, math.ceil(need / 1e6) * 1e6)
                if not update(t("scenario.cap_title", state.lang()), {"budget_cap_idr": cap}):
                    st.session_state["w.cap_on"] = s.budget_cap_idr is not None
                for lg in LANGS:
                    st.session_state.pop(f"w.budget_cap_idr.{lg}", None)
            st.toggle(t("scenario.cap_on", lang), key="w.cap_on", on_change=cap_toggled)
            if scenario.budget_cap_idr is not None:
                number_text(t("scenario.cap_amount", lang), "budget_cap_idr", show=lambda v: fmt_idr(v, lang),
                            read=float, help=t("scenario.cap_amount_help", lang))
                st.caption(t("scenario.cap_short", lang, value=fmt_idr_short(scenario.budget_cap_idr, lang)))
            st.caption(t("scenario.cap_priority", lang))

    # ---------------------------------------------------------------- compliance lever
    with tab_compliance:
        c1, c2 = st.columns([3, 2])
        with c1:
            state.seed("w.compliance_mode", scenario.compliance_mode)

            def mode_changed() -> None:
                mode = st.session_state["w.compliance_mode"]
                if update(t("scenario.compliance_mode", state.lang()),
                          {"compliance_mode": mode, "compliance_per_year": DEFAULT_COMPLIANCE[mode]}):
                    for k in [k for k in st.session_state if isinstance(k, str)
                              and k.startswith(("w.compliance_per_year", "w.compliance_count"))]:
                        del st.session_state[k]
                else:
                    st.session_state["w.compliance_mode"] = state.scenario().compliance_mode
            st.radio(t("scenario.compliance_mode", lang), list(COMPLIANCE_MODES), key="w.compliance_mode",
                     format_func=lambda k: t(f"scenario.compliance_mode_{k}", lang), on_change=mode_changed)
            if scenario.compliance_mode == "count":
                state.seed("w.compliance_count", int(round(scenario.compliance_per_year)))

                def count_changed() -> None:
                    if not update(t("scenario.compliance_count", state.lang()),
                                  {"compliance_per_year": float(st.session_state["w.compliance_count"])}):
                        st.session_state["w.compliance_count"] = int(round(state.scenario().compliance_per_year))
                st.number_input(t("scenario.compliance_count", lang), min_value=0, max_value=10_000_000, step=100,
                                key="w.compliance_count", on_change=count_changed)
            elif scenario.compliance_mode == "share":
                number_text(t("scenario.compliance_share", lang), "compliance_per_year",
                            show=lambda v: fmt_number(v * 100, lang, 1), read=lambda x: x / 100, scale=100.0,
                            help=t("scenario.compliance_share_help", lang))
            if scenario.compliance_mode != "none":
                key, cb = state.bind("compliance_start_year")
                st.number_input(t("scenario.compliance_start", lang), min_value=2020, max_value=2060, step=1,
                                key=key, **cb)
        with c2:
            growth = region.worker_growth_pct.value if scenario.worker_growth_pct is None else scenario.worker_growth_pct
            pool = region.potential_workers_in(y0, growth) * region.formal_share.value * \
                (1 - region.formal_coverage.value)
            with st.container(border=True):
                st.metric(t("scenario.compliance_added", lang, year=yh), fmt_number(rh["compliance_added"], lang),
                          help=t("scenario.compliance_added_help", lang, y0=y0,
                                 n0=fmt_number(r0["compliance_added"], lang),
                                 pp=fmt_pp(100 * rh["compliance_added"] / rh["potential_workers"], lang, 2)))
                st.caption(t("scenario.compliance_pool", lang, year=y0, n=fmt_number(pool, lang),
                             formal=fmt_pct(100 * region.formal_share.value, lang, 0),
                             formal_note=certainty_label(region.formal_share.certainty, lang),
                             covered=fmt_pct(100 * region.formal_coverage.value, lang, 0),
                             covered_note=certainty_label(region.formal_coverage.certainty, lang)))
        st.info(t("scenario.compliance_note", lang), icon="🏭")

    # ---------------------------------------------------------------- assumptions
    with tab_assume:
        st.caption(t("scenario.assumptions_intro", lang))
        a1, a2 = st.columns(2)
        with a1:
            number_text(t("scenario.worker_growth", lang), "worker_growth_pct",
                        show=lambda v: fmt_number(region.worker_growth_pct.value if v is None else v, lang, 1),
                        read=float)
            st.caption(_sourced_caption(region.worker_growth_pct, lang))
            number_text(t("scenario.jkm_incidence", lang), "jkm_incidence",
                        show=lambda v: fmt_number(v * 1000, lang, 2), read=lambda x: x / 1000, scale=1000.0)
            st.caption(_param_caption("incidence.jkm_death", lang))
            number_text(t("scenario.jkk_incidence", lang), "jkk_incidence",
                        show=lambda v: fmt_number(v * 1000, lang, 2), read=lambda x: x / 1000, scale=1000.0,
                        help=t("scenario.jkk_incidence_help", lang, pu=fmt_number(
                            1000 * params.latest("incidence.jkk_accident_pu"), lang, 1)))
            st.caption(_param_caption("incidence.jkk_accident_bpu", lang))
        with a2:
            number_text(t("scenario.takeup_elasticity", lang), "takeup_elasticity",
                        show=lambda v: fmt_number(v, lang, 2), read=float,
                        help=t("scenario.takeup_elasticity_help", lang))
            st.caption(_param_caption("behaviour.takeup_elasticity", lang))
            number_text(t("scenario.jkk_claim", lang), "jkk_claim_idr", show=lambda v: fmt_idr(v, lang), read=float)
            st.caption(_param_caption("claim.jkk_average", lang))
            number_text(t("scenario.jkm_claim", lang), "jkm_claim_idr", show=lambda v: fmt_idr(v, lang), read=float)
            st.caption(_param_caption("benefit.jkm_total", lang))


def _years_text(years: list[int]) -> str:
    """2026, 2027, 2028 -> "2026–2028"; gaps listed."""
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


if __name__ == "__main__":
    render()
