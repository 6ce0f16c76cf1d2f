"""Invariants of the engine's numbers, as Hypothesis properties over scenarios that are valid by construction.

Each generator builds only inputs the engine accepts (refusals are tested on their own in
tests/test_engine_robustness.py), so every case reaches the assertions; ``event`` labels the kinds of cases
drawn (``pytest --hypothesis-show-statistics`` prints them) and ``target`` steers towards the edges (coverage
clipped at 100 %, a target met exactly, a goal-seek that fills several groups). Each test also counts the cases
that reached its checks and a final assertion in the same test refuses a run where most did not.

Invariants (issue 16):
- covered workers <= potential workers (coverage clipped at 100 %), covered = coverage x potential;
- share of APBD [%] = the city's cost / APBD x 100, with the APBD of that year from the region file;
- gap to a target = scenario coverage - target (negative = short), and a target is "met" exactly when gap >= 0;
- goal-seek: re-projecting its plan reaches the target, one member fewer in the last group it fills does not,
  and the participants it reports are the participants its plan adds;
- sensitivity: each variant is the scenario with the factor its label says, and its row holds that variant's
  final-year numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, event, example, given, note, settings, target
from hypothesis import strategies as st

from presentation import summaries
from simulation import goal_seek, project, sensitivity
from simulation.data import load_region
from simulation.scenario import Scenario, default_scenario
from simulation.sensitivity import variants

REGIONS = ("pontianak", "kalbar")
LAST_DATA_YEAR = {r: load_region(r).last_history_year for r in REGIONS}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_SCOPE = st.booleans()
ID = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)


@st.composite
def groups(draw, n_min: int = 0, n_max: int = 6, big: bool = False, scope=ANY_SCOPE) -> list[dict]:
    """Valid group dicts with distinct ids; ``big`` allows groups larger than the region's workers."""
    ids = draw(st.lists(ID, min_size=n_min, max_size=n_max, unique=True))
    members = st.integers(0, 10_000_000) if big else st.integers(0, 60_000)
    return [{"id": gid, "name": f"Kelompok {gid}", "in_scope": draw(scope), "members": draw(members),
             "already_covered": draw(st.floats(0, 0.95)), "take_up": draw(st.floats(0.05, 1)),
             "start_year": draw(st.integers(2026, 2030)), "phase_in_years": draw(st.integers(1, 4)),
             "dropout": draw(st.floats(0, 0.5)), "priority": draw(st.integers(1, 20))} for gid in ids]


@st.composite
def scenario_dicts(draw, big: bool = False, with_cap: bool = True, n_groups=(0, 6), scope=ANY_SCOPE,
                   paying: bool = False) -> dict:
    """A scenario dict every field of which is inside its allowed range (Scenario.from_dict accepts it);
    ``paying``: its first group is in scope, has members and the city pays part of their contribution."""
    region = draw(st.sampled_from(REGIONS))
    first = LAST_DATA_YEAR[region] + 1
    start = draw(st.integers(first, first + 3))
    horizon = draw(st.integers(start, start + 10))
    mode = draw(st.sampled_from(["none", "count", "share"]))
    d = {
        "name": "uji", "region": region, "start_year": start, "horizon_year": horizon,
        "groups": draw(groups(*n_groups, big=big, scope=scope)),
        "route": draw(st.sampled_from(["bpu", "bpu_jht", "pu"])), "risk_class": draw(st.integers(1, 5)),
        "base": draw(st.sampled_from(["floor", "min_wage", "custom"])),
        "base_custom_idr": draw(st.floats(500_000, 10_000_000)), "indexation_pct": draw(st.floats(-5, 15)),
        "city_share": draw(st.floats(0, 1)), "takeup_elasticity": draw(st.floats(0, 1)),
        "budget_cap_idr": draw(st.none() | st.floats(0, 5e10)) if with_cap else None,
        "compliance_mode": mode,
        "compliance_per_year": (draw(st.floats(0, 20_000)) if mode == "count" else draw(st.floats(0, 0.3))
                                if mode == "share" else 0.0),
        "compliance_start_year": draw(st.integers(first, first + 4)),
        "worker_growth_pct": draw(st.none() | st.floats(-5, 5)),
        "jkm_incidence": draw(st.floats(0, 0.05)), "jkk_incidence": draw(st.floats(0, 0.05)),
        "jkk_claim_idr": draw(st.floats(0, 5e7)), "jkm_claim_idr": draw(st.floats(0, 1e8)),
        "targets": [{"id": f"t{i}", "name": f"Target {i}", "year": draw(st.integers(first, horizon)),
                     "coverage_pct": draw(st.floats(1, 99))} for i in range(draw(st.integers(0, 3)))],
    }
    if paying and d["groups"]:
        d["groups"][0].update(in_scope=True, members=draw(st.integers(1, 60_000)), start_year=start)
        d["city_share"] = draw(st.floats(0.05, 1))
        d["budget_cap_idr"] = None if d["budget_cap_idr"] is None else draw(st.floats(1e6, 5e10))
    return d


def scenarios(**kw):
    return scenario_dicts(**kw).map(Scenario.from_dict)


class Reached:
    """Counts the cases that got to the assertions; a property whose cases mostly did not is itself wrong."""

    def __init__(self) -> None:
        self.drawn = self.checked = 0

    def __call__(self, checked: bool) -> None:
        self.drawn += 1
        self.checked += checked
        event("reached the checks" if checked else "not checked")

    def assert_most(self, share: float = 0.8) -> None:
        assert self.drawn > 0 and self.checked >= share * self.drawn, (self.checked, self.drawn)


def run_counted(test, share: float = 0.8) -> None:
    """Run a Hypothesis test that returns nothing but calls ``Reached`` (the test's attribute ``reached``)."""
    test.reached = Reached()
    test()
    test.reached.assert_most(share)


# --------------------------------------------------------------------------- covered <= potential
@SETTINGS
@given(scenarios(big=True))
@example(Scenario.from_dict({"name": "clip", "region": "pontianak", "start_year": 2026, "horizon_year": 2028,
                             "groups": [{"id": "all", "name": "semua", "members": 10_000_000, "take_up": 1,
                                         "dropout": 0, "already_covered": 0}], "city_share": 1}))
def _covered(s):
    t = project(s).table
    workers, covered = t["potential_workers"].to_numpy(float), t["covered_workers"].to_numpy(float)
    assert (covered <= workers * (1 + 1e-12)).all()
    assert (t["uncovered_workers"] >= -1e-6 * workers).all()
    assert covered == pytest.approx(t["coverage_pct"].to_numpy(float) / 100 * workers, rel=1e-9)
    for col in [c for c in t.columns if c.startswith("coverage") and c.endswith("_pct")]:
        assert (t[col] <= 100 + 1e-9).all(), col
    unclipped = t["baseline_coverage_pct"] + t["added_points_pp"]
    target(float(unclipped.max()), label="coverage before the 100 % clip")
    event("clipped at 100 %" if (unclipped > 100).any() else "below 100 %")
    _covered.reached(True)


def test_covered_workers_never_exceed_the_potential_workers():
    run_counted(_covered)


# --------------------------------------------------------------------------- % of APBD
@SETTINGS
@given(scenarios(paying=True, n_groups=(1, 6)))
def _apbd(s):
    region = load_region(s.region)
    t = project(s, region).table
    for _, r in t.iterrows():
        apbd = region.apbd_in(int(r["year"]))
        assert r["apbd_idr"] == pytest.approx(apbd, rel=1e-12)
        assert r["cost_share_apbd_pct"] == pytest.approx(r["cost_idr"] / apbd * 100, rel=1e-9, abs=1e-15)
    event("cost > 0" if (t["cost_idr"] > 0).any() else "no cost")
    _apbd.reached(bool((t["cost_idr"] > 0).any()))


def test_share_of_apbd_is_cost_over_apbd_times_100():
    run_counted(_apbd)


def test_share_of_apbd_on_the_2026_agreement_by_hand():
    """A fixed case whatever Hypothesis draws: 5,746 social workers on the Rp16,800 floor, Pontianak's APBD."""
    region = load_region("pontianak")
    r = project(default_scenario(), region).row(2026)
    assert r["cost_share_apbd_pct"] == pytest.approx(100 * r["cost_idr"] / region.apbd_in(2026), rel=1e-12)
    assert 0.001 < r["cost_share_apbd_pct"] < 1   # about a tenth of a per mille, not a hundredth


# --------------------------------------------------------------------------- gaps and "met"
@st.composite
def with_targets_at_the_edge(draw):
    """A scenario and, for a drawn projected year, targets exactly at its coverage, a hair above and below."""
    s = draw(scenarios(with_cap=False))
    years = list(range(LAST_DATA_YEAR[s.region] + 1, s.horizon_year + 1))
    year = draw(st.sampled_from(years))
    cov = float(project(s).row(year)["coverage_pct"])
    eps = draw(st.sampled_from([1e-6, 0.01, 0.5]))
    targets = [{"id": "exact", "name": "tepat", "year": year, "coverage_pct": cov},
               {"id": "above", "name": "di atas", "year": year, "coverage_pct": min(100.0, cov + eps)},
               {"id": "below", "name": "di bawah", "year": year, "coverage_pct": max(0.0, cov - eps)}]
    return Scenario.from_dict({**s.to_dict(), "targets": targets})


@SETTINGS
@given(st.one_of(scenarios(with_cap=True), with_targets_at_the_edge()))
def _gaps(s):
    p = project(s)
    checked = False
    for tg in s.targets:
        tr = p.targets[p.targets["target_id"] == tg.id].iloc[0]
        if tr["status"] != "projected":
            continue
        cov = float(p.row(tg.year)["coverage_pct"])
        gap = cov - tg.coverage_pct                      # the intended meaning: scenario - target
        assert tr["gap_pp"] == pytest.approx(gap, abs=1e-12)
        assert float(p.row(tg.year)[f"gap_{tg.id}_pp"]) == pytest.approx(gap, abs=1e-12)
        met = summaries.reaches(p, tg)                   # the pages' "met" (Compare verdict)
        assert met == (gap >= 0), (gap, met)
        if gap == 0:
            event("target met exactly")
        checked = True
    _gaps.reached(checked)


def test_gap_is_coverage_minus_target_and_met_exactly_when_gap_is_not_negative():
    run_counted(_gaps, share=0.4)   # half the draws are the edge cases, which are always projected


def test_a_target_met_exactly_is_met():
    """Deterministic guard of the edge: the target is the scenario's own coverage."""
    s = default_scenario()
    cov = float(project(s).row(2029)["coverage_pct"])
    s = s.replace(targets=[replace(s.targets[0], year=2029, coverage_pct=cov)])
    p = project(s)
    assert p.targets["gap_pp"].iloc[0] == 0
    assert summaries.reaches(p, s.targets[0])
    s_above = s.replace(targets=[replace(s.targets[0], coverage_pct=cov + 1e-6)])
    assert not summaries.reaches(project(s_above), s_above.targets[0])
    assert project(s_above).targets["gap_pp"].iloc[0] < 0


# --------------------------------------------------------------------------- goal-seek
@st.composite
def goal_questions(draw):
    """A scenario with groups left out of scope (what goal-seek may add), a year, and a target between the
    scenario's coverage that year and what all its groups together would reach."""
    d = draw(scenario_dicts(with_cap=True, n_groups=(1, 5), scope=st.just(False)))
    for g in d["groups"]:                           # big enough to move coverage
        g.update(members=draw(st.integers(2_000, 80_000)), take_up=draw(st.floats(0.3, 1)),
                 already_covered=draw(st.floats(0, 0.5)), dropout=draw(st.floats(0, 0.3)))
    d["takeup_elasticity"] = draw(st.floats(0, 0.5))
    s = Scenario.from_dict(d)
    first = LAST_DATA_YEAR[s.region] + 1
    year = draw(st.integers(max(first, max(g.start_year for g in s.groups)), first + 8))
    base = s.replace(horizon_year=max(year, s.horizon_year), budget_cap_idr=None)
    now = float(project(base).row(year)["coverage_pct"])
    every = float(project(base.replace(groups=[replace(g, in_scope=True) for g in base.groups]))
                  .row(year)["coverage_pct"])          # what all the groups together reach
    assume(every - now > 0.02)
    target_pct = now + draw(st.floats(0.02, 0.98)) * (every - now)   # within reach of the groups
    return s, target_pct, year


@SETTINGS
@given(goal_questions())
def _goal(q):
    s, target_pct, year = q
    r = goal_seek(s, target_pct, year)
    base = s.replace(budget_cap_idr=None, horizon_year=max(year, s.horizon_year))
    now = project(base).row(year)
    row = project(r.scenario).row(year)
    # the participants and members it reports are the ones its scenario adds
    assert abs(r.extra_participants - float(row["pbi_participants"] - now["pbi_participants"])) <= 0.5 + 1e-6
    added_members = sum(g.members for g in r.scenario.groups if g.in_scope) - sum(
        g.members for g in base.groups if g.in_scope)
    assert r.extra_members == added_members
    assert r.budget_idr == pytest.approx(float(row["cost_idr"]), rel=1e-12, abs=1e-6)
    if not (r.feasible and not r.already_reached and len(r.steps)):
        event("already reached" if r.already_reached else "groups not enough")
        _goal.reached(False)
        return
    event(f"filled {len(r.steps)} group(s)")
    target(float(len(r.steps)), label="groups filled")
    # re-running the plan reaches the target (median coverage at confidence 0.5) ...
    assert r.baseline_pct == pytest.approx(float(row["baseline_coverage_pct"]), abs=1e-9)
    assert float(row["coverage_pct"]) >= target_pct - 1e-9
    # ... and one member fewer in the last group it fills does not
    last = r.steps["group_id"].iloc[-1]
    fewer = r.scenario.replace(groups=[replace(g, members=g.members - 1) if g.id == last else g
                                       for g in r.scenario.groups])
    assert float(project(fewer).row(year)["coverage_pct"]) < target_pct
    _goal.reached(True)


def test_goal_seek_plan_reaches_the_target_and_one_member_fewer_does_not():
    run_counted(_goal, share=0.9)


# --------------------------------------------------------------------------- sensitivity
FACTOR = re.compile(r"^×(\d+(?:\.\d+)?)$")
GROUP_FIELDS = {"take_up", "dropout", "already_covered"}


def _label_value(label: str) -> tuple[float, float]:
    """(value, half a unit of its last decimal): "×0.7" -> (0.7, 0.05), "+1.0 %" -> (1.0, 0.05), "10 %" -> (10, 0.5)"""
    m = FACTOR.match(label) or re.match(r"^([+-]?\d+(?:\.\d+)?)(?: %)?$", label)
    assert m, f"unreadable label {label!r}"
    text = m.group(1)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10 ** -decimals


def _expected_variant(s: Scenario, key: str, label: str) -> Scenario:
    """The scenario the label describes, built here without the engine's variants()."""
    v, _ = _label_value(label)
    if key in GROUP_FIELDS:
        return s.replace(groups=[replace(g, **{key: min(1.0, max(0.0, getattr(g, key) * v))}) for g in s.groups])
    if key == "incidence":
        return s.replace(jkm_incidence=min(0.5, s.jkm_incidence * v), jkk_incidence=min(0.5, s.jkk_incidence * v))
    if key == "worker_growth":
        return s.replace(worker_growth_pct=v)
    if key == "indexation":
        return s.replace(indexation_pct=v)
    assert key == "takeup_elasticity", key
    return s.replace(takeup_elasticity=v)


def _values(s: Scenario, key: str) -> list[float]:
    if key in GROUP_FIELDS:
        return [getattr(g, key) for g in s.groups]
    return {"incidence": [s.jkm_incidence, s.jkk_incidence], "worker_growth": [s.worker_growth_pct or 0.0],
            "indexation": [s.indexation_pct], "takeup_elasticity": [s.takeup_elasticity]}[key]


@st.composite
def sensitive_scenarios(draw):
    d = draw(scenario_dicts(with_cap=False, n_groups=(1, 4), scope=st.just(True)))
    for g in d["groups"]:   # shares away from 0 and 1, so that each factor shows in the value
        g.update(members=draw(st.integers(100, 50_000)), take_up=draw(st.floats(0.1, 0.85)),
                 dropout=draw(st.floats(0.02, 0.4)), already_covered=draw(st.floats(0.02, 0.6)))
    d["jkm_incidence"], d["jkk_incidence"] = draw(st.floats(1e-4, 0.02)), draw(st.floats(1e-4, 0.02))
    return Scenario.from_dict(d)


@SETTINGS
@given(sensitive_scenarios())
@example(default_scenario().replace(worker_growth_pct=-19.5))   # the growth variants at the edges of the range
@example(default_scenario().replace(worker_growth_pct=19.5))
def _sens(s):
    region = load_region(s.region)
    got = {key: (lo_l, hi_l, lo, hi) for key, lo_l, hi_l, lo, hi in variants(s, region)}
    assert set(got) == {"take_up", "dropout", "already_covered", "worker_growth", "incidence", "indexation",
                        "takeup_elasticity"}
    for key, (lo_l, hi_l, lo, hi) in got.items():
        for label, variant in ((lo_l, lo), (hi_l, hi)):
            want = _expected_variant(s, key, label)
            _, tol = _label_value(label)
            base = _values(s, key)
            for a, b, b0 in zip(_values(variant, key), _values(want, key), base, strict=True):
                # a label rounded to its last decimal: the factor (or the value) within half of that unit
                scale = abs(b0) if key in GROUP_FIELDS or key == "incidence" else 1.0
                assert a == pytest.approx(b, abs=tol * scale + 1e-12), (key, label, a, b)
            Scenario.from_dict(variant.to_dict())   # a variant is a scenario the engine would accept
            # nothing else changed
            assert variant.replace(groups=s.groups, jkm_incidence=s.jkm_incidence, jkk_incidence=s.jkk_incidence,
                                   worker_growth_pct=s.worker_growth_pct, indexation_pct=s.indexation_pct,
                                   takeup_elasticity=s.takeup_elasticity) == s, (key, label)
    # the table's rows are those variants' final-year numbers, labelled as such
    table = sensitivity(s, region)
    for key in ("take_up", "dropout", "already_covered", "indexation", "takeup_elasticity"):
        r = table[table["assumption"] == key].iloc[0]
        for side, label in (("low", r["low_label"]), ("high", r["high_label"])):
            fin = project(_expected_variant(s, key, label), region).final
            note(f"{key} {side} {label}")
            assert r[f"coverage_{side}_pct"] == pytest.approx(float(fin["coverage_pct"]), abs=1e-9)
            assert r[f"cost_{side}_idr"] == pytest.approx(float(fin["cost_idr"]), rel=1e-9, abs=1e-6)
            assert r[f"claims_{side}_idr"] == pytest.approx(float(fin["claims_idr"]), rel=1e-9, abs=1e-6)
    trend = table[table["assumption"] == "trend"].iloc[0]   # the baseline's own 80 % range, as labelled
    fin = project(s, region).final
    assert (trend["low_label"], trend["high_label"]) == ("P10", "P90")
    assert (trend["coverage_low_pct"], trend["coverage_high_pct"]) == pytest.approx(
        (float(fin["coverage_low_pct"]), float(fin["coverage_high_pct"])), abs=1e-9)
    event(f"{len(s.groups)} group(s)")
    _sens.reached(True)


def test_each_sensitivity_variant_has_the_factor_of_its_label():
    run_counted(_sens)


def test_label_reader_reads_the_engine_labels():
    assert _label_value("×0.7") == (0.7, 0.05)
    assert _label_value("×2") == (2.0, 0.5)
    assert _label_value("+1.0 %") == (1.0, 0.05)
    assert _label_value("10 %") == (10.0, 0.5)
    assert math.isclose(_label_value("×15.8")[0], 15.8)


def test_a_parameter_set_passed_reaches_every_variant_and_goal_seeks_baseline():
    """Doubled contribution rates double every variant's cost (not only the base row's); a wider forecast prior
    moves goal-seek's baseline at 80 % confidence."""
    from simulation.parameters import load_parameters

    s = default_scenario()
    shipped = load_parameters()
    double = shipped.replace_value("bpu.jkm_flat", 6_800 * 2).replace_value("bpu.jkk_rate", 0.02)
    x, y = sensitivity(s).set_index("assumption"), sensitivity(s, parameters=double).set_index("assumption")
    for col in ("cost_low_idr", "cost_high_idr", "base_cost_idr"):
        assert y.loc[x.index, col].to_numpy() == pytest.approx(2 * x[col].to_numpy(), rel=1e-9)
    wide = shipped.replace_value("forecast.prior_sd", 3 * shipped.latest("forecast.prior_sd"))
    a = goal_seek(s, 45, 2029, confidence=0.8)
    b = goal_seek(s, 45, 2029, confidence=0.8, parameters=wide)
    assert b.baseline_pct < a.baseline_pct - 0.5   # a wider band: a lower 20th percentile


def test_targets_in_observed_years_and_beyond_the_horizon():
    """A target in an observed year is met exactly when the observation is at least the target (gap >= 0); one
    beyond the horizon has no numbers. Pontianak observed 40.0 % in 2025; the horizon is 2030."""
    base = default_scenario()
    obs = load_region("pontianak").coverage_history[-1]
    targets = [replace(base.targets[0], id="exact", name="tepat", year=obs.year, coverage_pct=obs.value),
               replace(base.targets[0], id="above", name="di atas", year=obs.year, coverage_pct=obs.value + 0.01),
               replace(base.targets[0], id="later", name="nanti", year=2040, coverage_pct=50.0)]
    t = project(base.replace(targets=targets)).targets.set_index("target_id")
    assert list(t["target"]) == ["tepat", "di atas", "nanti"]
    assert (t.loc["exact", ["status", "baseline_pct", "coverage_pct", "gap_pp", "probability_baseline",
                            "probability"]].tolist() == ["observed", obs.value, obs.value, 0.0, 1.0, 1.0])
    assert t.loc["above", "gap_pp"] < 0 and t.loc["above", ["probability_baseline", "probability"]].tolist() == [0, 0]
    later = t.loc["later"]
    assert later["status"] == "outside_horizon"
    assert later[["baseline_pct", "coverage_pct", "gap_pp", "probability_baseline", "probability"]].isna().all()
