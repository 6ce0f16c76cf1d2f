"""Any scenario the outside world can hand the engine (files, links, the CLI): either a valid result or the
engine's own ValidationError — never another exception, never a number outside its range."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import ValidationError, goal_seek, project, sensitivity
from simulation.scenario import Scenario, default_scenario

BASE = default_scenario().to_dict()

# a value of any type, with a bias towards the edges of the allowed ranges
ANY = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**7), st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1.5, 1.5), st.floats(0, 100), st.integers(2015, 2065), st.text(max_size=30),
    st.sampled_from(["bpu", "bpu_jht", "pu", "floor", "min_wage", "custom", "none", "count", "share", "kalbar"]),
)
TOP_FIELDS = [k for k in BASE if k not in ("groups", "targets", "schema_version")]
GROUP_FIELDS = list(BASE["groups"][0])


@st.composite
def mutated(draw):
    d = {**BASE, "groups": [dict(g) for g in BASE["groups"]], "targets": [dict(t) for t in BASE["targets"]]}
    for key in draw(st.lists(st.sampled_from(TOP_FIELDS), max_size=4)):
        d[key] = draw(ANY)
    for _ in range(draw(st.integers(0, 4))):
        g = draw(st.integers(0, len(d["groups"]) - 1))
        d["groups"][g][draw(st.sampled_from(GROUP_FIELDS))] = draw(ANY)
    if draw(st.booleans()):
        d["targets"][0]["coverage_pct"] = draw(ANY)
    return d


def check_projection(p) -> None:
    t = p.table
    cov = t[[c for c in t.columns if c.startswith(("coverage", "baseline_coverage"))]].to_numpy(float)
    assert np.isfinite(cov).all() and (cov >= 0).all() and (cov <= 100).all()
    assert (t["coverage_low95_pct"] <= t["coverage_pct"] + 1e-9).all()
    assert (t["coverage_pct"] <= t["coverage_high95_pct"] + 1e-9).all()
    for col in ("cost_idr", "pbi_participants", "pbi_added_net", "claims_idr", "compliance_added"):
        assert np.isfinite(t[col]).all() and (t[col] >= -1e-6).all(), col
    if p.scenario.budget_cap_idr is not None:
        assert (t["cost_idr"] <= p.scenario.budget_cap_idr * (1 + 1e-9) + 1e-6).all()
    probs = p.targets["probability"].dropna()
    assert ((probs >= 0) & (probs <= 1)).all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_arbitrary_scenarios_give_a_valid_projection_or_a_validation_error(d):
    try:
        s = Scenario.from_dict(d)
        p = project(s)
    except ValidationError as exc:
        assert exc.field and exc.message   # says where and what
        return
    check_projection(p)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.floats(1, 99), st.integers(2026, 2040), st.sampled_from([0.5, 0.8]))
def test_goal_seek_and_sensitivity_never_crash(d, target, year, confidence):
    try:
        s = Scenario.from_dict(d)
        r = goal_seek(s, target, year, confidence=confidence)
    except ValidationError:
        return
    assert r.extra_participants >= 0 and math.isfinite(r.budget_idr) and r.budget_idr >= 0
    assert r.feasible or r.shortfall_pct > 0
    try:
        sens = sensitivity(s)
    except ValidationError:
        return
    assert np.isfinite(sens[["coverage_low_pct", "coverage_high_pct"]].to_numpy(float)).all()
