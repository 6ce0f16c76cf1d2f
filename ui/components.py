"""Reusable page pieces: the number input that reads office numbers, metric rows (and their compact style), the
regional-share slider, a Markdown table, the Scenario page's group editor (table, add, delete) and the
Projection page's target and year-by-year tables. Charts with their download menu are in ui/widgets.py; the
Data page's table editor is in ui/data_editor.py.

The pure helpers (the group editor's table, applying its edits, error texts) draw nothing and are tested
directly; the drawing functions read and write state through ``ui.state``, ``ui.work`` and ``ui.regions``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from presentation import labels
from presentation.i18n import MISSING, fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from simulation.data import Region
from simulation.errors import ValidationError
from simulation.io import parse_number
from simulation.scenario import MAX_GROUPS, GroupScenario, Scenario

from . import live, regions, state, work

# ----------------------------------------------------------------------------------------------- the group table
#: editor column -> GroupScenario field, for the shares the editor shows in percent (0-100)
PCT_COLUMNS = {"already_covered_pct": "already_covered", "take_up_pct": "take_up", "dropout_pct": "dropout"}
#: editor columns copied to the GroupScenario field of the same name
PLAIN_COLUMNS = ("in_scope", "name", "members", "start_year", "phase_in_years", "priority")
#: every editor column, in the order shown ("certainty" is read-only)
COLUMNS = ("in_scope", "name", "members", "certainty", "already_covered_pct", "take_up_pct", "start_year",
           "phase_in_years", "dropout_pct", "priority")
COLUMN_OF_FIELD = {**{f: c for c, f in PCT_COLUMNS.items()}, **{c: c for c in PLAIN_COLUMNS}}
_GROUP_FIELD = re.compile(r"^groups\[(\d+)\]\.(\w+)$")
#: widget keys of the add-group form and the delete picker
ADD = {k: state.widget_key("add", k) for k in ("name", "members", "covered_pct", "take_up_pct", "submit")}
DELETE_PICK = state.widget_key("delete_group")


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


# ----------------------------------------------------------------------------------------------- scenario edits
def update(label: str, changes: dict, *, scale: float = 1.0, attempted=None) -> bool:
    """Apply validated changes to the working scenario; on error flash "<label>: <problem>" and keep it."""
    try:
        work.set_scenario(work.scenario().replace(**changes), reset_widgets=False)
        return True
    except ValidationError as exc:
        lg = state.lang()
        state.flash("error", t("errors.field", lg, field=label,
                               problem=problem_text(exc, lg, scale=scale, attempted=attempted)))
        return False


def number_text(label: str, field: str, *, show, read, scale: float = 1.0, help: str | None = None) -> None:
    """A text input for a scenario number written the office way ("Rp 1.500.000", "5,5"), read with
    parse_number; ``show`` formats the model value, ``read`` turns the typed number into it."""
    lang = state.lang()
    key = state.seed(state.widget_key(field, lang), show(getattr(work.scenario(), field)))

    def changed() -> None:
        lg, before, raw = state.lang(), work.scenario(), st.session_state[key]
        try:
            number = parse_number(raw, lg)
        except ValueError:
            state.flash("error", t("errors.field", lg, field=label,
                                   problem=t("errors.expected_number", lg, value=md_escape(str(raw)[:40]))))
            st.session_state[key] = show(getattr(before, field))
            return
        ok = update(label, {field: read(number)}, scale=scale, attempted=number)
        st.session_state[key] = show(getattr(work.scenario() if ok else before, field))
    st.text_input(label, key=key, on_change=changed, help=help)


def metric_row(metrics, columns=None) -> None:
    """One row of metrics: each ``(label, value, help)`` or ``(label, value, help, delta)`` in its own column."""
    cols = columns if columns is not None else st.columns(len(metrics))
    for col, m in zip(cols, metrics, strict=False):
        label, value, help_text, *delta = m
        if delta:
            col.metric(label, value, delta=delta[0], delta_color="normal", help=help_text)
        else:
            col.metric(label, value, help=help_text)


def city_share_slider(lang: str) -> None:
    """The share of the contribution the region pays (0-100 %, steps of 5), bound to the working scenario: on
    Skenario, and as the quick lever on Proyeksi (one key, so both show the same value)."""
    key = state.widget_key("city_share_pct")
    # always the scenario's value: Streamlit gives a widget met on another page its default (the minimum, 0 %)
    # even when the key holds a value, so seeding only a missing key is not enough for a key shared by two pages
    st.session_state[key] = int(round(work.scenario().city_share * 100))

    def changed() -> None:
        if work.update_scenario(city_share=st.session_state[key] / 100):
            live.rerun()   # on Proyeksi: only what shows the scenario is redrawn (ui/live.py)
        else:
            st.session_state[key] = int(round(work.scenario().city_share * 100))
    st.slider(t("scenario.regional_share", lang), 0, 100, step=5, format="%d %%" if lang == "id" else "%d%%",
              key=key, on_change=changed, help=t("scenario.city_share_help", lang))


def remembered_choice(widget: str, key: state.Key, rid: str, options: list, default: list, label: str, fmt,
                      **kwargs) -> list:
    """A multiselect whose choice survives page switches in the plain key ``key`` (region id -> chosen options):
    the options chosen, in the order of ``options``."""
    wkey = state.widget_key(widget)
    if wkey in st.session_state and not set(st.session_state[wkey]) <= set(options):
        del st.session_state[wkey]
    state.seed(wkey, [i for i in state.get(key).get(rid, default) if i in options])

    def _chosen() -> None:
        st.session_state[key.name][rid] = [i for i in options if i in st.session_state[wkey]]
    st.multiselect(label, options, key=wkey, format_func=fmt, on_change=_chosen, **kwargs)
    return [i for i in options if i in st.session_state[wkey]]


def markdown_table(df, right=(), *, heading: str = "", note: str = "") -> None:
    """A small table as Markdown: headers wrap, the ``right`` columns are right-aligned, and it is cheap to send
    and to draw (no grid). Every cell is escaped (names come from users). ``df``: a data frame, or its columns
    and rows as ``(headers, rows)`` (no pandas work on every rerun). ``heading`` (a section heading) and ``note``
    (small grey text under the table, as a caption) go in the same element: one fewer for the browser to re-render
    on each edit."""
    columns, rows = (list(df.columns), df.itertuples(index=False)) if hasattr(df, "columns") else df

    def line(values) -> str:
        return "| " + " | ".join(md_escape(v) for v in values) + " |"
    align = "|" + "|".join("---:" if c in right else ":---" for c in columns) + "|"
    table = "\n".join([line(columns), align, *(line(r) for r in rows)])
    st.markdown("\n\n".join(x for x in (heading and f"### {heading}", table, note and f":small[:gray[{note}]]") if x))


def lazy_expander(parent, label: str, key: str):
    """An expander whose content is made only while it is open: the expander when open, else ``None``. Opening it
    reruns the page; Streamlit's browser side re-renders every element sent on each edit, a closed expander's
    content too. ``key`` is not a ``w.`` key, so an edit that re-seeds the scenario's widgets leaves it open."""
    box = parent.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def compact_metrics() -> None:
    """Call once on a page with several metrics in a row: values a little smaller than Streamlit's default and
    labels that wrap instead of ending in "…" ("Rp 1,06 miliar" in a column of four did not fit on a
    1280-pixel projector). Constant CSS, no user text."""
    st.html("""<style>
[data-testid=stMetricValue] {font-size: 1.9rem;}
[data-testid=stMetricLabel] [data-testid=stMarkdownContainer] p {white-space: normal; line-height: 1.3;}
</style>""")


# ----------------------------------------------------------------------------------------------- group editor
def editor_key() -> str:
    """The group editor's key: a new one after each applied edit, so the editor shows the scenario's values."""
    return state.widget_key("groups", state.get(state.EDITOR_VERSION))


def bump_editor() -> None:
    state.put(state.EDITOR_VERSION, state.get(state.EDITOR_VERSION) + 1)


def apply_editor(key: str) -> None:
    edits = st.session_state.get(key) or {}
    rows = edits.get("edited_rows") or {}
    s = work.scenario()
    try:
        work.set_scenario(apply_group_edits(s, rows), reset_widgets=False)
    except ValidationError as exc:
        state.flash("error", edit_error_text(exc, s, regions.region(), state.lang(), rows))
    bump_editor()   # a fresh editor shows the scenario's values (the edit, or the refused edit undone)


def apply_pending_group_edits() -> None:
    """In a browser the editor's on_change applies an edit and gives the editor a fresh key. Edits that reach
    the script without that callback (e.g. set through session state) are applied here the same way."""
    key = editor_key()
    pending = st.session_state.get(key)
    if isinstance(pending, dict) and pending.get("edited_rows"):
        apply_editor(key)
        st.rerun()


def group_editor(scenario: Scenario, region: Region, lang: str) -> None:
    """The scenario's groups as an editable table (shares in percent); edits apply on change."""
    frame = groups_frame(scenario, region, lang)
    cc = st.column_config
    pct = dict(min_value=0.0, max_value=100.0, required=True, width=82, format="%g %%" if lang == "id" else "%g%%")

    def num(col: str, lo: int, hi: int, width: int):
        return cc.NumberColumn(t(f"scenario.col_{col}", lang), help=t(f"scenario.col_{col}_help", lang),
                               min_value=lo, max_value=hi, step=1, format="%d", required=True, width=width)
    key = editor_key()
    st.data_editor(
        frame, key=key, on_change=apply_editor, args=(key,), num_rows="fixed",
        hide_index=True, width="stretch", height=35 * (len(frame) + 1) + 3, disabled=["certainty"],
        column_order=list(COLUMNS),
        column_config={
            "in_scope": cc.CheckboxColumn(t("scenario.col_in_scope", lang), width=80,
                                          help=t("scenario.col_in_scope_help", lang)),
            "name": cc.TextColumn(t("scenario.col_name", lang), max_chars=80, required=True, width=165),
            "members": num("members", 0, 10_000_000, 80),
            "certainty": cc.TextColumn(t("scenario.col_certainty", lang), width=100,
                                       help=t("scenario.col_certainty_help", lang)),
            **{c: cc.NumberColumn(t(f"scenario.col_{c}", lang), help=t(f"scenario.col_{c}_help", lang), **pct)
               for c in PCT_COLUMNS},
            "start_year": num("start_year", 2020, 2060, 65),
            "phase_in_years": num("phase_in_years", 1, 10, 82),
            "priority": num("priority", 1, 999, 80),
        },
    )


def _add_group() -> None:
    lg, s = state.lang(), work.scenario()
    name = (st.session_state.get(ADD["name"]) or "").strip()
    if not name:
        state.flash("error", t("errors.field", lg, field=t("scenario.add_name", lg),
                               problem=t("errors.empty_value", lg)))
        return
    if len(s.groups) >= MAX_GROUPS:
        state.flash("error", t("scenario.err_too_many_groups", lg, max=MAX_GROUPS))
        return
    g = GroupScenario(
        id=new_group_id(s), name=name, in_scope=True, members=int(st.session_state[ADD["members"]]),
        already_covered=st.session_state[ADD["covered_pct"]] / 100,
        take_up=st.session_state[ADD["take_up_pct"]] / 100, start_year=s.start_year,
        priority=max((x.priority for x in s.groups), default=0) + 1)
    if update(t("scenario.add_title", lg), {"groups": [*s.groups, g]}):
        state.flash("success", t("scenario.add_done", lg, name=md_escape(name)))
        bump_editor()


def add_group_form(lang: str) -> None:
    """A form for a group the region data do not have (name, members, shares)."""
    with st.form("scenario_add_group", clear_on_submit=True, border=False):
        st.text_input(t("scenario.add_name", lang), key=ADD["name"], max_chars=80,
                      placeholder=t("scenario.add_name_placeholder", lang))
        a1, a2, a3 = st.columns(3)
        a1.number_input(t("scenario.add_members", lang), min_value=0, max_value=10_000_000, value=100,
                        step=50, key=ADD["members"])
        a2.number_input(t("scenario.add_covered_pct", lang), min_value=0, max_value=100, value=10,
                        step=1, key=ADD["covered_pct"])
        a3.number_input(t("scenario.add_take_up_pct", lang), min_value=0, max_value=100, value=70, step=1,
                        key=ADD["take_up_pct"])
        st.caption(t("scenario.add_note", lang))
        st.form_submit_button(t("scenario.add_button", lang), on_click=_add_group, key=ADD["submit"])


def _delete_group() -> None:
    gid = st.session_state.get(DELETE_PICK)
    s = work.scenario()
    if update(t("scenario.delete_title", state.lang()), {"groups": [g for g in s.groups if g.id != gid]}):
        bump_editor()


def delete_group_picker(scenario: Scenario, region: Region, lang: str) -> None:
    """Pick one of the user's own groups and delete it (region groups are only taken out of scope)."""
    custom = [g for g in scenario.groups if region.group(g.id) is None]
    if custom:
        _delete_picker(custom, lang)
    else:
        st.caption(t("scenario.delete_none", lang))
    st.caption(t("scenario.delete_note", lang))


def _delete_picker(custom: list, lang: str) -> None:
    custom_names = {g.id: g.name for g in custom}
    if st.session_state.get(DELETE_PICK) not in custom_names:
        st.session_state.pop(DELETE_PICK, None)
    st.selectbox(t("scenario.delete_pick", lang), list(custom_names), format_func=custom_names.get,
                 key=DELETE_PICK)
    st.button(t("scenario.delete_button", lang), on_click=_delete_group, key=state.widget_key("delete"))


# ----------------------------------------------------------------------------------------------- projection tables
def targets_table(p, shown: Scenario, lang: str) -> None:
    """Each target: its level and year, the baseline's and the scenario's median, the gap and the chances; under
    the section's heading, with the note on how to read it (one element)."""
    def pct(x, decimals: int = 1) -> str:
        return fmt_pct(x, lang, decimals)

    def prob(x) -> str:
        return MISSING if pd.isna(x) else fmt_pct(100 * x, lang, 0)
    keys = ["target", "year", "target_pct", "baseline", "scenario", "gap", "p_base", "p_scen", "note"]
    trows = []
    # plain rows and lists, not a data frame: this table is rebuilt on every edit (records: no pandas row objects)
    for tr, tg in zip(p.targets.to_dict("records"), shown.targets, strict=True):
        trows.append([
            tg.name, str(int(tr["year"])), pct(tr["target_pct"], 2), pct(tr["baseline_pct"]), pct(tr["coverage_pct"]),
            fmt_pp(tr["gap_pp"], lang) if not pd.isna(tr["gap_pp"]) else MISSING,
            prob(tr["probability_baseline"]), prob(tr["probability"]),
            "" if tr["status"] == "projected" else t(f"projection.status_{tr['status']}", lang),
        ])
    if all(r[-1] == "" for r in trows):
        keys, trows = keys[:-1], [r[:-1] for r in trows]
    headers = {"target": t("common.target", lang), "year": t("common.year", lang),
               "target_pct": t("projection.col_target_pct", lang),
               "baseline": t("projection.col_baseline_median", lang),
               "scenario": t("projection.col_scenario_median", lang), "gap": t("projection.col_gap", lang),
               "p_base": t("projection.col_prob_baseline", lang), "p_scen": t("projection.col_prob_scenario", lang),
               "note": t("common.note", lang)}
    numeric = [headers[k] for k in ("target_pct", "baseline", "scenario", "gap", "p_base", "p_scen")]
    # Markdown: headers wrap and figures are right-aligned (a pandas Styler in st.table cost a fifth of this
    # page's rerun; a grid scrolled its last columns out of sight)
    markdown_table(([headers[k] for k in keys], trows), right=numeric, heading=t("projection.targets_header", lang),
                   note=t("projection.targets_caption", lang))


def yearly_tables(tab: pd.DataFrame, lang: str) -> None:
    """The projection year by year: coverage (median and 80 % range) and participants, then money."""
    def with_range(median, low, high) -> str:
        return t("projection.median_range", lang, median=fmt_pct(median, lang, 1), low=fmt_number(low, lang, 1),
                 high=fmt_number(high, lang, 1))
    rows = []
    for _, r in tab.iterrows():
        rows.append({
            "year": str(int(r["year"])),
            "workers": fmt_number(r["potential_workers"], lang),
            "baseline": with_range(r["baseline_coverage_pct"], r["baseline_coverage_low_pct"],
                                   r["baseline_coverage_high_pct"]),
            "scenario": with_range(r["coverage_pct"], r["coverage_low_pct"], r["coverage_high_pct"]),
            "participants": fmt_number(r["pbi_participants"], lang),
            "net": fmt_number(r["pbi_added_net"], lang),
            "cost": fmt_idr(r["cost_idr"], lang),
            "share": fmt_pct(r["cost_share_apbd_pct"], lang, 3),
            "per_point": fmt_idr_short(r["cost_per_point_idr"], lang),
            "claims": fmt_idr(r["claims_idr"], lang),
            "ratio": fmt_number(r["claims_to_contributions"], lang, 2),
        })
    ydf = pd.DataFrame(rows)

    def col(label_key: str, help_key: str | None = None, **kw):
        return st.column_config.TextColumn(t(label_key, lang), help=t(help_key, lang) if help_key else None,
                                           **({"alignment": "right"} | kw))
    config = {
        "year": st.column_config.TextColumn(t("common.year", lang), width="small"),
        "workers": col("common.potential_workers"),
        "baseline": col("projection.col_baseline_range", "projection.col_range_help"),
        "scenario": col("projection.col_scenario_range", "projection.col_range_help"),
        "participants": col("projection.col_participants", "projection.col_participants_help"),
        "net": col("projection.col_net", "projection.col_net_help"),
        "cost": col("projection.col_cost"),
        "share": col("common.share_of_apbd"),
        "per_point": col("projection.col_per_point", "projection.col_per_point_help"),
        "claims": col("projection.col_claims", "projection.col_claims_help"),
        "ratio": col("projection.col_ratio", "projection.col_ratio_help"),
    }
    st.markdown("**" + t("projection.yearly_coverage", lang) + "**")
    st.dataframe(ydf[["year", "workers", "baseline", "scenario", "participants", "net"]], hide_index=True,
                 width="stretch", column_config=config)
    st.markdown("**" + t("projection.yearly_money", lang) + "**")
    st.dataframe(ydf[["year", "cost", "share", "per_point", "claims", "ratio"]], hide_index=True,
                 width="stretch", column_config=config)
