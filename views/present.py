"""Presentasi / Present: one message and one chart per screen, large type, for a 1280 × 720 projector (about
620 px under the browser's bars): the message on the left, the chart with its legend on the right, nothing below
the fold. A presenter's clicker (arrow keys, PageUp/PageDown, space) moves between screens (button shortcuts)."""

import datetime as dt

import streamlit as st

from presentation import charts, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, md_escape, t
from presentation.report import fmt_date
from ui import glossary, model, regions, state, widgets, work
from ui.projector import big

lang = state.lang()
region = regions.region()
scenario = work.scenario()
shown = labels.localized(scenario, region, lang)
p = model.project(shown, region)

# Projector styling: hide the editing interface (sidebar, toolbar) and the clicker's extra buttons (their shortcuts
# stay bound while drawn), large type that fits 1280 × 620. Constant CSS, no user text.
st.html("""<style>
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], header[data-testid=stHeader] {display: none !important;}
.st-key-present_pagedown, .st-key-present_space, .st-key-present_pageup {display: none !important;}
.block-container {max-width: 1500px; padding-top: 0.75rem !important; padding-bottom: 0.5rem !important;}
[data-testid=stMain] h2 {font-size: 2.1rem !important; line-height: 1.2; padding: 0.25rem 0 0.5rem 0;}
.st-key-present_message [data-testid=stMarkdownContainer] p {font-size: 1.4rem; line-height: 1.45;}
@media print {.st-key-present_bar {display: none !important;}}
</style>""")


last = region.coverage_history[-1]
first = summaries.scheme_row(p)   # the scheme's first running year (as on the Overview)
fin = p.final
target = next((tg for tg in shown.targets if tg.year in set(p.table["year"])), None)

slides = []
slides.append((t("present.s1_title", lang, region=md_escape(region.name)),
               t("present.s1_body", lang, year=last.year, pct=fmt_pct(last.value, lang, 1),
                 uncovered=fmt_number(summaries.coverage_now(region).uncovered, lang), name=md_escape(shown.name),
                 date=fmt_date(dt.date.today(), lang), id=scenario.content_hash),
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
               # a legend row (two groups) takes 26 px from the plot: the screen's height stays the same
               lambda: big(charts.cost_by_group_chart(p, lang),
                           height=min(240, max(140, 300 - 26 * -(-sum(g.in_scope for g in shown.groups) // 2))))))
ratio = first["claims_to_contributions"]
record = "".join(" " + t("present.s4_record", lang, region=md_escape(region.name), year=rec.year, record=fmt_number(rec.ratio, lang, 1),
                   source=rec.source_in(lang).split(":")[0], multiplier=fmt_number(rec.multiplier, lang, 1))
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
               lambda: big(charts.tornado_chart(sens, lang), label=14, height=min(330, 38 * len(sens)), text=13)))

n = len(slides)
i = min(max(0, state.get(state.PRESENT_SLIDE)), n - 1)


def _go(step: int) -> None:
    """One screen on or back, from the screen shown now (two quick presses are two screens)."""
    now = min(max(0, state.get(state.PRESENT_SLIDE)), n - 1)
    state.put(state.PRESENT_SLIDE, min(max(0, now + step), n - 1))


title, body, chart = slides[i]
# the bar first: prev/next (← →, and the clicker's PageUp/PageDown/space on hidden twins), where we are, how to
# go full screen, exit
bar = st.container(horizontal=True, vertical_alignment="center", gap="small", key="present_bar")
bar.button("◀ " + t("present.prev", lang), on_click=_go, args=(-1,), disabled=i == 0, shortcut="Left",
           key="present_prev")
bar.button(t("present.next", lang) + " ▶", on_click=_go, args=(1,), disabled=i == n - 1, type="primary",
           shortcut="Right", key="present_next")
for key, step, keys in (("present_pagedown", 1, "PageDown"), ("present_space", 1, "Space"),
                        ("present_pageup", -1, "PageUp")):
    bar.button(t("present.next" if step > 0 else "present.prev", lang), on_click=_go, args=(step,), key=key,
               disabled=not 0 <= i + step < n, shortcut=keys)
bar.caption(t("present.counter", lang, i=i + 1, n=n, name=md_escape(shown.name), id=scenario.content_hash)
            + "  \n" + t("present.keys_hint", lang), width="stretch")
glossary.menu(lang, bar, key=glossary.PRESENT_KEY)   # the sidebar, where it is elsewhere, is hidden here
bar.page_link("views/overview.py", label=t("present.exit", lang), icon="✖️")

st.header(title, divider="gray")
message, picture = st.columns([2, 3], gap="large")
message.container(key="present_message").markdown(body)
if chart is not None:
    with picture:
        widgets.draw(chart())
