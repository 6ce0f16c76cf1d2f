"""Any scenario the outside world can hand the engine (files, links, the CLI): either a valid result or the
engine's own ValidationError — never another exception, never a number outside its range.

Three kinds of input, each tested on its own so that every generated case reaches the assertions:
- valid scenarios, built valid by construction (tests/test_invariants.py's generators): a projection, a
  goal-seek and a sensitivity table whose numbers are in range; every case is checked (counted);
- a valid scenario with exactly one field made wrong (wrong type, non-finite, below or above its range, an
  unknown choice): refused with a ValidationError that names that field; every case is refused (counted);
- anything at all in any field: a result or a ValidationError, nothing else (the fuzz of the doors).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_invariants import LAST_DATA_YEAR, run_counted, scenario_dicts

from simulation import ValidationError, goal_seek, project, sensitivity
from simulation.scenario import Scenario, default_scenario

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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


# --------------------------------------------------------------------------- valid input: always a result
@SETTINGS
@given(scenario_dicts())
def _valid(d):
    s = Scenario.from_json(Scenario.from_dict(d).to_json())   # through the file format, as a door reads it
    p = project(s)
    check_projection(p)
    event("budget cap binds" if p.table["budget_capped"].any() else "no binding cap")
    _valid.reached(True)


def test_valid_scenarios_give_a_valid_projection():
    run_counted(_valid, share=1.0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_dicts(), st.floats(1, 99), st.integers(0, 10), st.sampled_from([0.5, 0.8]))
def _goal_and_sens(d, target, years_on, confidence):
    s = Scenario.from_dict(d)
    year = LAST_DATA_YEAR[s.region] + 1 + years_on
    r = goal_seek(s, target, year, confidence=confidence)
    assert r.extra_participants >= 0 and r.extra_members >= 0
    assert math.isfinite(r.budget_idr) and r.budget_idr >= 0
    assert r.feasible or r.shortfall_pct > 0
    assert 0 <= r.probability <= 1 and 0 <= r.probability_plan <= 1
    event("feasible" if r.feasible else "short")
    sens = sensitivity(s)
    assert np.isfinite(sens[["coverage_low_pct", "coverage_high_pct"]].to_numpy(float)).all()
    assert ((sens[["coverage_low_pct", "coverage_high_pct"]] >= 0) & (sens[["coverage_low_pct", "coverage_high_pct"]]
                                                                      <= 100)).all().all()
    _goal_and_sens.reached(True)


def test_goal_seek_and_sensitivity_of_valid_scenarios_give_results_in_range():
    run_counted(_goal_and_sens, share=1.0)


# --------------------------------------------------------------------------- one wrong field: refused, named
# field -> (low, high, whole number?); None where the field is not a number
TOP_RANGES = {
    "start_year": (2020, 2060, True), "horizon_year": (2020, 2060, True), "risk_class": (1, 5, True),
    "base_custom_idr": (0, 1e9, False), "indexation_pct": (-20, 50, False), "city_share": (0, 1, False),
    "takeup_elasticity": (0, 1, False), "budget_cap_idr": (0, 1e15, False),
    "compliance_per_year": (0, 10_000_000, False), "compliance_start_year": (2020, 2060, True),
    "worker_growth_pct": (-20, 20, False), "jkm_incidence": (0, 0.5, False), "jkk_incidence": (0, 0.5, False),
    "jkk_claim_idr": (0, 1e10, False), "jkm_claim_idr": (0, 1e10, False),
}
GROUP_RANGES = {
    "members": (0, 10_000_000, True), "already_covered": (0, 1, False), "take_up": (0, 1, False),
    "start_year": (2020, 2060, True), "phase_in_years": (1, 10, True), "dropout": (0, 1, False),
    "priority": (1, 999, True),
}
CHOICES = {"route": ["bpu", "bpu_jht", "pu"], "base": ["floor", "min_wage", "custom"],
           "compliance_mode": ["none", "count", "share"]}


def wrong_numbers(lo: float, hi: float, whole: bool) -> list:
    """Every kind of wrong value of a number field: not a number, not finite, just and far out of range, a
    fraction where a whole number is wanted."""
    step = 1 if whole else max(1e-3, abs(hi) * 1e-6)
    return (["12a", math.nan, math.inf, -math.inf, True, lo - step, lo - 10 * abs(hi) - 1e6, hi + step,
             hi * 10 + 1e6] + ([lo + 0.5] if whole else []))


TEXT_CASES = {   # path -> wrong values
    "name": ["", "x" * 121, "a\x00b", 5], "region": ["Kota Pontianak", "", None],
    "groups[0].name": ["", "x" * 81, "a\x00b"], "groups[0].id": ["Ab C", "", "x" * 41],
    "groups[0].in_scope": ["ya", 1, None], "targets[0].coverage_pct": [101, -1, "45 %x", math.nan],
    "targets[0].year": [2061, 2019, 2029.5], "targets[0].name": ["", None],
}
FIELDS = ([("top", k) for k in sorted(TOP_RANGES)] + [("choice", k) for k in sorted(CHOICES)]
          + [("group", k) for k in sorted(GROUP_RANGES)] + [("text", k) for k in sorted(TEXT_CASES)])


@st.composite
def with_a_field(draw, kind: str, key: str):
    """(a valid scenario dict, the path of its field ``key``, the wrong values to put there one at a time)."""
    d = draw(scenario_dicts(n_groups=(1, 4)))
    d["targets"] = [{"id": "t", "name": "Target", "year": 2029, "coverage_pct": 45}]
    if kind == "top":
        return d, key, wrong_numbers(*TOP_RANGES[key])
    if kind == "choice":
        return d, key, ["", "BPU", None, 1, draw(st.text(max_size=8).filter(lambda x: x not in CHOICES[key]))]
    if kind == "group":
        return d, f"groups[{draw(st.integers(0, len(d['groups']) - 1))}].{key}", wrong_numbers(*GROUP_RANGES[key])
    return d, key, TEXT_CASES[key]


def _put(d: dict, path: str, value) -> dict:
    d = {**d, "groups": [dict(g) for g in d["groups"]], "targets": [dict(t) for t in d["targets"]]}
    if path.startswith(("groups[", "targets[")):
        head, field = path.split(".")
        d[head.split("[")[0]][int(head.split("[")[1].rstrip("]"))][field] = value
    else:
        d[path] = value
    return d


@pytest.mark.parametrize(("kind", "key"), FIELDS, ids=[k for _, k in FIELDS])
def test_one_wrong_field_is_refused_and_named(kind, key):
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(with_a_field(kind, key))
    def refused(case):
        d, path, wrong = case
        Scenario.from_dict(d)                        # valid as drawn
        for value in wrong:
            try:
                Scenario.from_dict(_put(d, path, value))
            except ValidationError as exc:
                assert exc.field == path, (exc.field, path, value)
                assert exc.message and exc.code      # says what is wrong, with a code the pages translate
                continue
            raise AssertionError(f"accepted {value!r} as {path}")
        refused.reached(True)

    run_counted(refused, share=1.0)


def test_projection_refuses_a_region_the_scenario_is_not_for():
    from simulation.data import load_region

    s = default_scenario()
    try:
        project(s, load_region("kalbar"))
    except ValidationError as exc:
        assert exc.field == "region" and exc.code == "region_mismatch"
        assert "pontianak" in exc.message and "kalbar" in exc.message   # which scenario, which data
    else:
        raise AssertionError("projected Pontianak's scenario on Kalimantan Barat's data")


def test_projection_refuses_a_horizon_inside_the_observed_years():
    s = default_scenario().replace(start_year=2024, horizon_year=2025)   # Pontianak is observed up to 2025
    try:
        project(s)
    except ValidationError as exc:
        assert (exc.field, exc.code, exc.params) == ("horizon_year", "horizon_before_data", {"year": 2025})
        assert "2025" in exc.message
    else:
        raise AssertionError("projected years that are already observed")


def test_goal_seek_refuses_a_year_before_the_projection_and_a_count_as_target():
    s = default_scenario()
    for target, year, field in ((45, 2025, "year"), (45, 2061, "year"), (4500, 2029, "target")):
        try:
            goal_seek(s, target, year)
        except ValidationError as exc:
            assert exc.field == field, (exc.field, field)
        else:
            raise AssertionError(f"goal-seek accepted target {target} in {year}")


def test_goal_seek_takes_its_edges_and_refuses_just_past_them():
    s = default_scenario()
    # the engine takes the target as a percentage: 0.45 is 0.45 %, already reached (a door asks about it first)
    r = goal_seek(s, 0.45, 2029)
    assert r.target_pct == 0.45 and r.already_reached
    for confidence in (0.05, 0.99):                       # both ends of the allowed confidence are answers
        assert goal_seek(s, 45, 2029, confidence=confidence).confidence == confidence
    assert goal_seek(s.replace(start_year=2030, horizon_year=2030), 45, 2060).year == 2060   # the last year
    for kwargs, field, params in (
            ({"confidence": 0.049}, "confidence", {"min": 0.05, "max": 0.99, "value": 0.049}),
            ({"confidence": 0.991}, "confidence", {"min": 0.05, "max": 0.99, "value": 0.991}),
            ({"year": 2025}, "year", {"min": 2026, "max": 2060, "value": 2025}),
            ({"year": 2061}, "year", {"min": 2026, "max": 2060, "value": 2061})):
        args = {"target_pct": 45, "year": 2029, **kwargs}
        try:
            goal_seek(s.replace(start_year=2030, horizon_year=2030), args.pop("target_pct"), args.pop("year"),
                      **args)
        except ValidationError as exc:
            assert (exc.field, exc.code, exc.params) == (field, "out_of_range", params), kwargs
            assert exc.message and any(c.isdigit() for c in exc.message), exc.message   # says which range
        else:
            raise AssertionError(f"goal-seek accepted {kwargs}")


def test_groups_without_members_have_no_rows_in_the_by_group_table():
    s = default_scenario()
    s = s.replace(groups=[replace(g, members=0) if i % 2 else g for i, g in enumerate(s.groups)])
    p = project(s)
    assert set(p.by_group["group_id"]) == {g.id for g in s.groups if g.in_scope and g.members > 0}


# --------------------------------------------------------------------------- anything at all: result or refusal
BASE = default_scenario().to_dict()
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
    for key in draw(st.lists(st.sampled_from(TOP_FIELDS), max_size=2)):
        d[key] = draw(ANY)
    for _ in range(draw(st.integers(0, 2))):
        g = draw(st.integers(0, len(d["groups"]) - 1))
        d["groups"][g][draw(st.sampled_from(GROUP_FIELDS))] = draw(ANY)
    return d


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_anything_gives_a_valid_projection_or_a_validation_error(d):
    try:
        p = project(Scenario.from_dict(d))
    except ValidationError as exc:
        assert exc.field and exc.message   # says where and what
        event("refused")
        return
    event("projected")
    check_projection(p)


def test_contribution_functions_called_directly_refuse_what_a_scenario_cannot_hold():
    """The public contribution functions (simulation.contributions) validate their own arguments: the refusals
    say which argument, with a code and the allowed choices."""
    import datetime as dt

    from simulation.contributions import BASES, ROUTES, base_for_year, monthly_contribution

    cases = [
        (lambda: monthly_contribution("pbi", 1e6, dt.date(2026, 1, 1)),
         ("contribution.route", "bad_choice", {"choices": ", ".join(ROUTES)})),
        (lambda: base_for_year("gaji", 2026, region=None, custom_idr=1e6, indexation_pct=0, first_year=2026),
         ("contribution.base", "bad_choice", {"choices": ", ".join(BASES)})),
        (lambda: base_for_year("min_wage", 2026, region=None, custom_idr=1e6, indexation_pct=0, first_year=2026),
         ("contribution.base", "invalid", {})),
    ]
    for call, (field, code, params) in cases:
        try:
            call()
        except ValidationError as exc:
            assert (exc.field, exc.code, exc.params) == (field, code, params)
            assert exc.message
        else:
            raise AssertionError(f"accepted: {field}")
