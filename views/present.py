"""Presentasi / Present: one message and one chart per screen, large type, for the projector."""

import datetime as dt

import streamlit as st

from presentation import charts, figures, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, md_escape, t
from ui import model, state, widgets

lang = state.lang()
region = state.region()
scenario = state.scenario()
shown = labels.localized(scenario, region, lang)
p = model.project(shown, region)

# Projector styling: hide the editing interface (sidebar, toolbar), large type. Constant CSS, no user text.
st.html("""<style>
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], header[data-testid=stHeader] {display: none !important;}
.block-container {max-width: 1500px; padding-top: 1rem;}
[data-testid=stMain] h2 {font-size: 2.6rem !important; line-height: 1.2;}
[data-testid=stMarkdownContainer] p {font-size: 1.6rem; line-height: 1.45;}
</style>""")


def _bigger_text(obj, size: int, factor: float):
    """Text marks (target labels, values at bar ends) at projector size; row offsets grow with them."""
    if isinstance(obj, list):
        return [_bigger_text(v, size, factor) for v in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: _bigger_text(v, size, factor) for k, v in obj.items()}
    mark = out.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text":
        old = mark.get("fontSize") if isinstance(mark.get("fontSize"), (int, float)) else 12
        mark = dict(mark, fontSize=size)
        if isinstance(mark.get("dy"), (int, float)):
            mark["dy"] = mark["dy"] * size / old
        out["mark"] = mark
    if out.get("name") == "label_row" and isinstance(out.get("value"), (int, float)):   # rows of target labels
        out["value"] = out["value"] * factor
    return out


def big(chart, label: int = 20, height: int = 300, text: int = 16) -> dict:
    """The same chart (a spec) with projector-size type (house colours, title anchor and bottom legend kept),
    short enough that the chart and the buttons under it fit on a 1280 × 720 projector without scrolling.
    Works on a copy: the chart builders keep built charts in a shared cache (presentation/figures.py)."""
    spec = _bigger_text(figures.lean(chart).to_dict(), text, text / charts.LABEL_FONT)
    config = dict(spec.get("config", {}))
    for part, changes in (("axis", {"labelFontSize": label, "titleFontSize": label}),
                          ("legend", {"labelFontSize": label, "labelLimit": 420}),
                          ("title", {"fontSize": 26, "subtitleFontSize": 15, "offset": 12})):
        config[part] = {**config.get(part, {}), **changes}
    return {**spec, "config": config, "height": height}


last = region.coverage_history[-1]
first = p.table.iloc[0]
fin = p.final
target = next((tg for tg in shown.targets if tg.year in set(p.table["year"])), None)

slides = []
slides.append((t("present.s1_title", lang, region=region.name),
               t("present.s1_body", lang, year=last.year, pct=fmt_pct(last.value, lang, 1),
                 uncovered=fmt_number(summaries.coverage_now(region).uncovered, lang), name=md_escape(shown.name),
                 date=dt.date.today().strftime("%d-%m-%Y"), id=scenario.content_hash),
               # where the region stands: the record and the trend with no new policy (the scenario comes next)
               lambda: big(charts.fan_chart(p, lang, include_scenario=False,
                                            title=t("present.s1_chart_title", lang, region=region.name)))))
report = model.report(scenario, region, lang)   # the council deck's numbers: the screen and the slide agree
h = report.headline
if target is not None:
    slides.append((t("present.s2_title", lang, year=h.year, pct=fmt_pct(h.coverage_pct, lang, 1)),
                   t("present.s2_body", lang, lo=fmt_pct(h.low_pct, lang, 1), hi=fmt_pct(h.high_pct, lang, 1),
                     target=md_escape(h.target_name), prob=fmt_pct(100 * h.probability, lang, 0)),
                   lambda: big(charts.fan_chart(p, lang))))
slides.append((t("present.s3_title", lang, cost=fmt_idr_short(first["cost_idr"], lang), year=int(first["year"])),
               t("present.s3_body", lang, n=fmt_number(first["pbi_participants"], lang),
                 share=fmt_pct(first["cost_share_apbd_pct"], lang, 2),
                 per=fmt_number(first["contribution_per_person_month_idr"], lang)),
               lambda: big(charts.cost_by_group_chart(p, lang))))
ratio = first["claims_to_contributions"]
record = "".join(" " + t("present.s4_record", lang, region=region.name, year=rec.year, record=fmt_number(rec.ratio, lang, 1),
                   source=rec.source.split(":")[0], multiplier=fmt_number(rec.multiplier, lang, 1))
                 for rec in model.claims_record(scenario, region))   # from the region file's record, never typed
slides.append((t("present.s4_title", lang, claims=fmt_idr_short(first["claims_idr"], lang)),
               t("present.s4_body", lang, ratio=fmt_number(ratio if ratio == ratio else 0, lang, 2)) + record,
               lambda: big(charts.claims_chart(p, lang))))
if target is not None:
    gs = report.goal   # the first target, at the median: the deck's "what it takes" slide
    if gs.already_reached:
        msg = t("present.s5_reached", lang, target=md_escape(target.name))
    elif gs.feasible:
        msg = t("present.s5_needs", lang, target=md_escape(target.name), n=fmt_number(gs.extra_participants, lang),
                cost=fmt_idr_short(gs.budget_idr, lang), prob=fmt_pct(100 * gs.probability, lang, 0))
    else:
        msg = t("present.s5_short", lang, target=md_escape(target.name), pp=fmt_number(gs.shortfall_pct, lang, 1),
                workers=fmt_number(gs.shortfall_persons, lang), compliance=fmt_number(gs.compliance_needed, lang),
                prob=fmt_pct(100 * gs.probability_plan, lang, 0))
    slides.append((t("present.s5_title", lang, target=md_escape(target.name)), msg,
                   lambda: big(charts.cost_curve_chart(model.cost_curve(shown, region, target.year),
                                                       target.coverage_pct, target.year, lang))))
sens = model.sensitivity(shown, region)
top = sens[sens["assumption"] != "trend"].iloc[0]
slides.append((t("present.s6_title", lang),
               t("present.s6_body", lang, name=t(f"sens.{top['assumption']}", lang),
                 pp=fmt_number(top["coverage_swing_pp"], lang, 2),
                 trend=fmt_number(sens[sens["assumption"] == "trend"]["coverage_swing_pp"].iloc[0], lang, 1)),
               lambda: big(charts.tornado_chart(sens, lang), label=15, height=40 * len(sens), text=14)))

n = len(slides)
i = min(max(0, state.get(state.PRESENT_SLIDE)), n - 1)


def _go(step: int) -> None:
    state.put(state.PRESENT_SLIDE, min(max(0, i + step), n - 1))


title, body, chart = slides[i]
# the buttons first: on a 1280 × 720 projector they stay on screen whatever the slide's length
c1, c2, c3, c4 = st.columns([1.3, 1.3, 2.4, 1], vertical_alignment="center")
c1.button("◀ " + t("present.prev", lang), on_click=_go, args=(-1,), disabled=i == 0, width="stretch")
c2.button(t("present.next", lang) + " ▶", on_click=_go, args=(1,), disabled=i == n - 1, width="stretch",
          type="primary")
c3.caption(t("present.counter", lang, i=i + 1, n=n, name=md_escape(shown.name), id=scenario.content_hash))
c4.page_link("views/overview.py", label=t("present.exit", lang), icon="✖️")

st.header(title, divider="gray")
st.markdown(body)
if chart is not None:
    widgets.draw(chart())
