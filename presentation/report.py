"""One report of a scenario, computed once from engine results: the numbers and words every product shares.

The UI wing (``ui.model.report``) or a script calls the engine, then hands the results to
:meth:`Report.from_results`; the page, the council deck, the brief and the workbook read the same
:class:`Report`, so a sentence on screen and on a slide cannot disagree. Nothing here calls the engine: the
projection with names in the chosen language, the goal-seek answer, the sensitivity table and the projections
to compare all come in ready.

The headline of a report is the first target of the scenario that falls within the projected years (or the
final year when none does): its year, the scenario's median and 80 % range there, the trend's, and the
chances of reaching the target with and without the scenario. Texts are plain (no Markdown); ``spoken_md``
is the Overview's sentence with the scenario's name made inert for Streamlit's Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date

from simulation.data import Region
from simulation.parameters import load_parameters

from . import chart_style, labels, summaries
from .i18n import fmt_idr, fmt_idr_short, fmt_number, fmt_pct, md_escape, normalize_lang, t

__all__ = ["AssumptionRow", "ChartText", "GoalText", "Headline", "Report", "ScenarioText", "Situation",
           "base_text", "certainty_label", "fmt_date", "footer_text", "route_text"]


# --------------------------------------------------------------------------- small words shared by every product


def fmt_date(day: dt.date, lang: str) -> str:
    """``17 Agustus 2026`` (id) / ``17 August 2026`` (en): CLDR month names (Babel), day first in both."""
    return format_date(day, "d MMMM y", locale=normalize_lang(lang))


def footer_text(scenario, lang: str, on: dt.date | None = None) -> str:
    """The line under an exported chart or slide: scenario name, its identity (content hash) and the date."""
    return t("exports.footer", lang, scenario=labels.scenario_label(scenario, lang), id=scenario.content_hash,
             date=fmt_date(on or dt.date.today(), lang))


def certainty_label(code: str, lang: str) -> str:
    """``Asumsi (A)``, ``Tinggi (H)``...: a certainty code (H, M, L, A) in words."""
    key = {"H": "certainty.high", "M": "certainty.medium", "L": "certainty.low", "A": "common.assumption"}[code]
    return f"{t(key, lang)} ({code})"


def route_text(scenario, lang: str) -> str:
    """How the region enrols its workers (PU or BPU route, with the risk class)."""
    return t(f"exports.route.{scenario.route}", lang, risk=scenario.risk_class)


def base_text(scenario, lang: str, region: Region | None = None) -> str:
    """What the contribution is computed on (minimum wage, income floor, a custom amount [Rp/month]); the minimum
    wage is named for ``region``'s kind (UMK, a province's UMP)."""
    return t(f"exports.base.{scenario.base}", lang, amount=fmt_idr(scenario.base_custom_idr, lang),
             wage=labels.region_words(region, lang)["wage"])


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


# --------------------------------------------------------------------------- the parts of a report


@dataclass(frozen=True)
class Headline:
    """The numbers of the report's message, all in [% of potential workers] except the probabilities [0-1].

    ``target_*`` and the probabilities are ``None`` when no target of the scenario falls within the horizon
    (the headline is then the final projected year)."""

    year: int
    coverage_pct: float            # the scenario's median
    low_pct: float                 # its 80 % range
    high_pct: float
    baseline_pct: float            # the trend with no new policy: median and 80 % range
    baseline_low_pct: float
    baseline_high_pct: float
    potential_workers: float       # in that year [persons]
    target_id: str | None = None
    target_name: str | None = None   # in the report's language
    target_pct: float | None = None
    probability: float | None = None            # of reaching the target with the scenario
    probability_baseline: float | None = None   # ... and without it


@dataclass(frozen=True)
class ChartText:
    """A slide's or a section's message around one chart: its title, a sentence, one big number and its label."""

    title: str
    sentence: str
    big: str
    big_label: str


@dataclass(frozen=True)
class Situation:
    title: str
    bullets: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ScenarioText:
    """The scenario: title, one row per group in scope (name, members, active in the first year), facts."""

    title: str
    rows: tuple[tuple[str, str, str], ...]
    facts: tuple[str, ...]
    first_year: int


@dataclass(frozen=True)
class GoalText:
    """What it takes to reach a target: title, rows (group, members to add, participants, cost), a sentence."""

    title: str
    rows: tuple[tuple[str, str, str, str], ...]
    sentence: str


@dataclass(frozen=True)
class AssumptionRow:
    """An input marked A (assumption) or L (weak source): ``label`` in full, ``short`` for a slide."""

    label: str
    short: str
    value: str
    certainty: str                 # "A" or "L"
    sources: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Report:
    """A scenario's results with the words the page, deck, brief and workbook share (module notes).

    Build it with :meth:`from_results`. ``projection`` is the projection as the user has it (its scenario's
    identity is the one shown); ``shown`` the same projection with names in ``lang`` (charts and tables use it).

    What a page shows (the headline, its texts, the spoken sentence, the footer) is computed when the report is
    made; the parts only the deck and the brief print (situation, scenario facts, cost texts, the goal's texts,
    the assumptions) on first use, once, and kept: the Overview draws without paying for the appendix (about
    35 ms of number formatting, measured), and every file made from this report reads the same texts.
    """

    lang: str
    date: dt.date
    projection: object
    shown: object
    goal: object | None                 # a GoalSeekResult, or None
    sensitivity: pd.DataFrame | None    # the tornado's table, or None
    compare: tuple                      # projections to compare, names in ``lang``
    name: str
    identity: str
    region_name: str
    date_text: str
    footer: str
    headline: Headline
    coverage: ChartText                 # the projection against the first target (fan chart)
    spoken: str                         # the sentence a mayor can read aloud (the Overview's), plain text
    spoken_md: str                      # the same with the scenario's name escaped for Streamlit Markdown

    @classmethod
    def from_results(cls, projection, shown, lang: str = "id", *, goal=None, sensitivity: pd.DataFrame | None = None,
                     compare=(), on: dt.date | None = None) -> Report:
        """The report of these results.

        ``shown``: ``projection``'s scenario with names in ``lang`` (``labels.localized``), projected by the caller
        (the same object when the names do not change). ``goal``: the goal-seek answer to present (the deck's
        "what it takes" slide); the spoken sentence uses it only when it answers the headline's target and year.
        ``compare``: projections to compare, already in ``lang``. ``on``: the report's date (today).
        """
        lang = normalize_lang(lang)
        on = on or dt.date.today()
        p, ps = projection, shown
        headline = _headline(p, *_first_target(p, ps))
        sens = sensitivity if sensitivity is not None and len(sensitivity) else None
        name = ps.scenario.name
        return cls(
            lang=lang, date=on, projection=p, shown=ps, goal=goal, sensitivity=sens, compare=tuple(compare or ()),
            name=name, identity=p.scenario.content_hash, region_name=p.region.name, date_text=fmt_date(on, lang),
            footer=footer_text(p.scenario, lang, on), headline=headline, coverage=_coverage_texts(p, headline, lang),
            spoken=_spoken(headline, goal, name, lang), spoken_md=_spoken(headline, goal, md_escape(name), lang),
        )

    # the parts only the files print: computed on first use, once (class notes)
    @functools.cached_property
    def situation(self) -> Situation:
        return _situation(self.projection, self.shown, _first_target(self.projection, self.shown)[0], self.lang)

    @functools.cached_property
    def scenario(self) -> ScenarioText:
        return _scenario_facts(self.projection, self.shown, self.lang)

    @functools.cached_property
    def cost(self) -> ChartText:
        """Cost and what families get back (claims chart)."""
        return _cost_texts(self.projection, self.lang)

    @functools.cached_property
    def goal_text(self) -> GoalText | None:
        return None if self.goal is None else _goal_texts(self.goal, self.projection.region, self.lang)

    @functools.cached_property
    def assumptions(self) -> tuple[AssumptionRow, ...]:
        return _assumption_rows(self.projection, self.shown, self.lang, self.date)

    @property
    def sensitivity_title(self) -> str:
        if self.sensitivity is None:
            return ""
        top, year = _sens_top(self.sensitivity, self.lang)
        return t("exports.sens_title", self.lang, top=top, year=year)

    @property
    def sensitivity_sentence(self) -> str:
        if self.sensitivity is None:
            return ""
        return t("exports.sens_sentence", self.lang, top=_sens_top(self.sensitivity, self.lang)[0])

    @property
    def subtitle(self) -> str:
        """What the scheme is, with who pays named for the region's kind (the deck's and the brief's subtitle)."""
        return t("exports.deck_subtitle", self.lang, **labels.region_words(self.projection.region, self.lang))

    @property
    def compare_title(self) -> str:
        return t("exports.compare_title", self.lang) if self.compare else ""

    @property
    def compare_sentence(self) -> str:
        key = "exports.compare_sentence_one" if len(self.compare) == 1 else "exports.compare_sentence"
        return t(key, self.lang, n=len(self.compare)) if self.compare else ""


# --------------------------------------------------------------------------- computing the parts


def _first_target(p, ps):
    """The first target of the scenario within the projected years, and the same target with its shown name."""
    years = set(int(y) for y in p.table["year"])
    for tg, shown in zip(p.scenario.targets, ps.scenario.targets, strict=True):
        if tg.year in years:
            return tg, shown
    return None, None


def _headline(p, tg, shown) -> Headline:
    row = p.final if tg is None else p.row(tg.year)
    numbers = dict(
        year=int(row["year"]), coverage_pct=float(row["coverage_pct"]), low_pct=float(row["coverage_low_pct"]),
        high_pct=float(row["coverage_high_pct"]), baseline_pct=float(row["baseline_coverage_pct"]),
        baseline_low_pct=float(row["baseline_coverage_low_pct"]),
        baseline_high_pct=float(row["baseline_coverage_high_pct"]), potential_workers=float(row["potential_workers"]))
    if tg is None:
        return Headline(**numbers)
    tr = p.targets[p.targets["target_id"] == tg.id].iloc[0]
    return Headline(**numbers, target_id=tg.id, target_name=shown.name, target_pct=float(tg.coverage_pct),
                    probability=float(tr["probability"]), probability_baseline=float(tr["probability_baseline"]))


def _situation(p, ps, tg, lang: str) -> Situation:
    r = p.region
    last = r.coverage_history[-1]
    workers = r.potential_workers_in(last.year)
    covered = workers * last.value / 100
    title = t("exports.situation_title", lang, pct=fmt_pct(last.value, lang, 1), region=r.name,
              uncovered=fmt_number(round(workers - covered, -2), lang))
    bullets = [t("exports.situation_now", lang, year=last.year, covered=fmt_number(round(covered, -2), lang),
                 workers=fmt_number(round(workers, -2), lang), pct=fmt_pct(last.value, lang, 1))]
    if tg is not None:
        row = p.row(tg.year)
        bullets.append(t("exports.situation_trend", lang, year=tg.year, base=fmt_pct(row["baseline_coverage_pct"], lang),
                         lo=fmt_pct(row["baseline_coverage_low_pct"], lang),
                         hi=fmt_pct(row["baseline_coverage_high_pct"], lang)))
    for sh in ps.scenario.targets[:4]:
        bullets.append(t("exports.situation_target", lang, name=sh.name,
                         pct=chart_style.target_pct(sh.coverage_pct, lang), year=sh.year))
    source = t("exports.situation_source", lang, year=last.year, source=last.source_in(lang),
               certainty=certainty_label(last.certainty, lang))
    return Situation(title, tuple(bullets), source)


def _scenario_facts(p, ps, lang: str) -> ScenarioText:
    s = ps.scenario
    in_scope = [g for g in s.groups if g.in_scope and g.members > 0]
    members = sum(g.members for g in in_scope)
    first = summaries.scheme_row(p)
    year = int(first["year"])
    who = labels.region_words(p.region, lang)   # Pemkab / the regency pays: the region's own kind
    title = (t("exports.scenario_title_one" if len(in_scope) == 1 else "exports.scenario_title", lang,
               n=fmt_number(members, lang), k=len(in_scope), **who) if in_scope
             else t("exports.scenario_title_none", lang, **who))
    active = ps.by_group[ps.by_group["year"] == year].set_index("group_id")["participants"]
    rows = tuple((g.name, fmt_number(g.members, lang), fmt_number(active.get(g.id, 0.0), lang)) for g in in_scope)
    cap = (t("exports.no_cap", lang) if s.budget_cap_idr is None
           else t("exports.cap", lang, cap=fmt_idr_short(s.budget_cap_idr, lang)))
    facts = (
        t("exports.fact_route", lang, route=route_text(s, lang)),
        t("exports.fact_contribution", lang, amount=fmt_idr(first["contribution_per_person_month_idr"], lang),
          year=year),
        t("exports.fact_city_share", lang, share=fmt_pct(s.city_share * 100, lang, 0), **who),
        t("exports.fact_budget", lang, year=year, cost=fmt_idr_short(first["cost_idr"], lang), apbd=who["apbd"],
          share=fmt_pct(first["cost_share_apbd_pct"], lang, 3)),
        cap,
    )
    return ScenarioText(title, rows, facts, year)


def _coverage_texts(p, h: Headline, lang: str) -> ChartText:
    big, big_label = fmt_pct(h.coverage_pct, lang), t("exports.big_coverage", lang, year=h.year)
    if h.target_id is None:
        title = t("exports.proj_title_plain", lang, year=h.year, pct=fmt_pct(h.coverage_pct, lang))
        sentence = t("exports.proj_range", lang, year=h.year, lo=fmt_pct(h.low_pct, lang), hi=fmt_pct(h.high_pct, lang))
        return ChartText(title, sentence, big, big_label)
    key = "exports.proj_title_above" if h.coverage_pct >= h.target_pct else "exports.proj_title_below"
    title = t(key, lang, year=h.year, pct=fmt_pct(h.coverage_pct, lang), target=h.target_name,
              tpct=chart_style.target_pct(h.target_pct, lang))
    sentence = " ".join([
        t("exports.proj_range", lang, year=h.year, lo=fmt_pct(h.low_pct, lang), hi=fmt_pct(h.high_pct, lang)),
        t("exports.proj_probability", lang, target=h.target_name, tpct=chart_style.target_pct(h.target_pct, lang),
          prob=fmt_pct(100 * h.probability, lang, 0), base=fmt_pct(100 * h.probability_baseline, lang, 0)),
    ])
    return ChartText(title, sentence, big, big_label)


def _cost_texts(p, lang: str) -> ChartText:
    tab = p.table
    first = summaries.scheme_row(p)
    who = labels.region_words(p.region, lang)
    title = t("exports.cost_title", lang, year=int(first["year"]), cost=fmt_idr_short(first["cost_idr"], lang), **who,
              claims=fmt_idr_short(first["claims_idr"], lang))
    ratio = first["claims_to_contributions"]
    sentence = " ".join([
        t("exports.cost_total", lang, first=int(tab["year"].min()), last=int(tab["year"].max()), apbd=who["apbd"],
          cost=fmt_idr_short(tab["cost_idr"].sum(), lang), claims=fmt_idr_short(tab["claims_idr"].sum(), lang),
          deaths=fmt_number(tab["jkm_claims"].sum(), lang), accidents=fmt_number(tab["jkk_claims"].sum(), lang)),
        t("exports.cost_ratio", lang, ratio=fmt_number(ratio, lang, 1)) if not _missing(ratio) else "",
    ])
    return ChartText(title, sentence.replace("  ", " ").strip(), fmt_idr_short(first["cost_idr"], lang),
                     t("exports.big_cost", lang, year=int(first["year"]), apbd=who["apbd"]))


def _goal_texts(goal, region: Region, lang: str) -> GoalText:
    tpct = chart_style.target_pct(goal.target_pct, lang)
    if goal.already_reached:
        title = t("exports.goal_title_reached", lang, tpct=tpct, year=goal.year)
    elif goal.feasible:
        title = t("exports.goal_title_needs", lang, tpct=tpct, year=goal.year,
                  n=fmt_number(goal.extra_participants, lang), cost=fmt_idr_short(goal.extra_budget_idr, lang))
    else:
        title = t("exports.goal_title_short", lang, tpct=tpct, year=goal.year,
                  pp=fmt_number(goal.shortfall_pct, lang, 1))
    names = {g.id: g.name for g in labels.localized(goal.scenario, region, lang).groups}
    rows = tuple((names.get(r.group_id, r.group), fmt_number(r.members, lang), fmt_number(r.participants, lang),
                  fmt_idr_short(r.cost_idr, lang)) for r in goal.steps.itertuples())
    conf = (t("exports.goal_median", lang) if abs(goal.confidence - 0.5) < 1e-9
            else t("exports.goal_confidence", lang, prob=fmt_pct(goal.confidence * 100, lang, 0)))
    sentence = t("exports.goal_sentence", lang, conf=conf, year=goal.year, budget=fmt_idr_short(goal.budget_idr, lang),
                 apbd=labels.region_words(region, lang)["apbd"],
                 base=fmt_pct(goal.baseline_pct, lang))
    if not goal.already_reached:   # never "reachable" without its chance; then the compliance lever, if needed
        sentence += " " + t("exports.goal_chance", lang, tpct=tpct, year=goal.year,
                            prob=fmt_pct(100 * goal.probability, lang, 0))
    if goal.compliance_needed > 0:
        sentence += " " + t("exports.goal_compliance", lang, workers=fmt_number(goal.compliance_needed, lang),
                            pool=fmt_number(goal.compliance_pool, lang),
                            prob=fmt_pct(100 * goal.probability_plan, lang, 0))
    return GoalText(title, rows, sentence)


def _spoken(h: Headline, goal, name: str, lang: str) -> str:
    """The Overview's sentence: the trend, the scenario against the headline's target, and (when ``goal`` answers
    that target at the median) what reaching it takes. Empty without a target in the horizon."""
    if h.target_id is None:
        return ""
    parts = [t("overview.sentence_trend", lang, year=h.year, base=fmt_pct(h.baseline_pct, lang),
               lo=fmt_pct(h.baseline_low_pct, lang), hi=fmt_pct(h.baseline_high_pct, lang)),
             t("overview.sentence_scenario", lang, name=name, pct=fmt_pct(h.coverage_pct, lang),
               prob=fmt_pct(100 * h.probability, lang, 0), target=chart_style.target_pct(h.target_pct, lang))]
    if goal is not None and goal.year == h.year and math.isclose(goal.target_pct, h.target_pct) \
            and abs(goal.confidence - 0.5) < 1e-9:
        if goal.already_reached:
            parts.append(t("overview.sentence_reached", lang))
        elif goal.feasible:
            parts.append(t("overview.sentence_needs", lang, n=fmt_number(goal.extra_participants, lang),
                           cost=fmt_idr_short(goal.extra_budget_idr, lang)))
        else:
            parts.append(t("overview.sentence_unreachable", lang, pp=fmt_number(goal.shortfall_pct, lang, 1),
                           workers=fmt_number(goal.shortfall_pct / 100 * h.potential_workers, lang)))
    return " ".join(parts)


def _sens_top(sens: pd.DataFrame, lang: str) -> tuple[str, int]:
    """The assumption that moves the final-year coverage most (the trend's own range is only a yardstick)."""
    rows = sens[sens["assumption"] != "trend"]
    key = rows.iloc[0]["assumption"] if len(rows) else sens.iloc[0]["assumption"]
    return t(f"sens.{key}", lang), int(sens["year"].iloc[0])


def _assumption_rows(p, ps, lang: str, today: dt.date) -> tuple[AssumptionRow, ...]:
    """The inputs of this projection marked A (assumption) or L (weak), with value and source.

    Group values that the scenario changed from the region's data count as the user's assumption.
    Rows of one field and certainty across groups are merged.
    """
    r, s = p.region, p.scenario
    names = {g.id: g.name for g in ps.scenario.groups}
    user = t("exports.source_user", lang)
    rows: list[AssumptionRow] = []

    def fmt(kind, v):
        return {"persons": lambda: fmt_number(v, lang), "share": lambda: fmt_pct(v * 100, lang, 0),
                "idr": lambda: fmt_idr(v, lang), "idr_short": lambda: fmt_idr_short(v, lang),
                "per_year": lambda: t("exports.per_1000", lang, n=fmt_number(v * 1000, lang, 1)),
                "pct_year": lambda: t("exports.pct_year", lang, pct=fmt_pct(v, lang, 1)),
                "number": lambda: fmt_number(v, lang, 2)}[kind]()

    merged: dict[tuple, dict] = {}
    for g in s.groups:
        if not (g.in_scope and g.members > 0):
            continue
        d = r.group(g.id)
        for field, kind in (("members", "persons"), ("already_covered", "share"), ("take_up", "share"),
                            ("dropout", "share")):
            value = getattr(g, field)
            src = getattr(d, field) if d is not None else None
            if src is not None and math.isclose(float(value), src.value, rel_tol=1e-9, abs_tol=1e-12):
                certainty, source = src.certainty, src.source_in(lang)
            else:
                certainty, source = "A", user
            if certainty not in ("A", "L"):
                continue
            m = merged.setdefault((field, certainty), {"label": t(f"exports.item.{field}", lang), "groups": [],
                                                       "values": [], "certainty": certainty, "sources": []})
            m["groups"].append(names.get(g.id, g.name))
            text = fmt(kind, value)
            if text not in m["values"]:
                m["values"].append(text)
            if source not in m["sources"]:
                m["sources"].append(source)
    n_in = sum(1 for g in s.groups if g.in_scope and g.members > 0)
    for m in merged.values():
        every = len(m["groups"]) == n_in and n_in > 1
        who = t("exports.all_groups", lang) if every else ", ".join(m["groups"])
        count = t("exports.all_groups", lang) if every else (
            m["groups"][0] if len(m["groups"]) == 1 else t("exports.n_groups", lang, n=len(m["groups"])))
        rows.append(AssumptionRow(f"{m['label']}: {who}", f"{m['label']} ({count})", "; ".join(m["values"]),
                                  m["certainty"], tuple(m["sources"])))

    params = load_parameters()

    def param_row(label_key, value, pid, kind):
        pv = params[pid].at(today)
        same = math.isclose(float(value), pv.value, rel_tol=1e-9, abs_tol=1e-12)
        certainty, source = (pv.certainty, pv.source_in(lang)) if same else ("A", user)
        if certainty in ("A", "L"):
            rows.append(AssumptionRow(t(label_key, lang), t(label_key, lang), fmt(kind, value), certainty, (source,)))

    param_row("exports.setting.takeup_elasticity", s.takeup_elasticity, "behaviour.takeup_elasticity", "number")
    param_row("exports.setting.jkm_incidence", s.jkm_incidence, "incidence.jkm_death", "per_year")
    jkk_pid = "incidence.jkk_accident_pu" if s.route == "pu" else "incidence.jkk_accident_bpu"
    param_row("exports.setting.jkk_incidence", s.jkk_incidence, jkk_pid, "per_year")
    param_row("exports.setting.jkk_claim_idr", s.jkk_claim_idr, "claim.jkk_average", "idr")
    param_row("exports.setting.jkm_claim_idr", s.jkm_claim_idr, "benefit.jkm_total", "idr")

    def region_row(label, value, sourced, kind):
        certainty, source = ("A", user) if sourced is None else (sourced.certainty, sourced.source_in(lang))
        if certainty in ("A", "L"):
            rows.append(AssumptionRow(label, label, fmt(kind, value), certainty, (source,)))

    wg = r.worker_growth_pct
    region_row(t("exports.item.worker_growth", lang), wg.value if s.worker_growth_pct is None else s.worker_growth_pct,
               wg if s.worker_growth_pct is None or math.isclose(s.worker_growth_pct, wg.value) else None, "pct_year")
    for v in r.potential_workers:
        region_row(t("exports.item.potential_workers", lang, year=v.year), v.value, v, "persons")
    apbd = r.apbd[-1]
    region_row(t("exports.item.apbd", lang, year=apbd.year), apbd.value, apbd, "idr_short")
    region_row(t("exports.item.apbd_growth", lang), r.apbd_growth_pct.value, r.apbd_growth_pct, "pct_year")
    if s.compliance_mode != "none":
        region_row(t("exports.item.formal_share", lang), r.formal_share.value, r.formal_share, "share")
        region_row(t("exports.item.formal_coverage", lang), r.formal_coverage.value, r.formal_coverage, "share")
    for v in r.coverage_history:
        region_row(t("exports.item.coverage", lang, year=v.year), v.value / 100, v, "share")
    rows.sort(key=lambda x: x.certainty != "A")  # assumptions first, then weak sources
    return tuple(rows)
