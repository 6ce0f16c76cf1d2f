"""What the presentation wing says about engine numbers, checked against values worked out by hand.

Written for the mutants of the mutation sample of presentation/ (docs/TESTING.md, issue 16) that no other test
noticed: each test states what a reader of the page or file must be told.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from presentation.summaries import IMPLAUSIBLE_DEATH_MULTIPLE, record_death_level, verdict
from simulation.data import load_parameters


@pytest.mark.parametrize(("times", "level"), [
    (0.5, "within"),                                   # half the crude death rate: plausible
    (1.0, "within"),                                   # exactly the crude death rate: still within
    (1.5, "above_crude"),                              # above it, but not absurd
    (IMPLAUSIBLE_DEATH_MULTIPLE, "above_crude"),       # the edge of plausible
    (IMPLAUSIBLE_DEATH_MULTIPLE * 2, "implausible"),   # a claims record implying that many deaths is wrong
])
def test_a_claims_record_death_rate_is_judged_against_the_crude_death_rate(times, level):
    cdr = load_parameters().latest("mortality.crude_death_rate")
    got_level, got_times = record_death_level(times * cdr)
    assert got_level == level
    assert got_times == pytest.approx(times)


def test_a_target_the_trend_meets_exactly_is_met_by_the_trend(make_scenario):
    """Compare's verdict: when the trend alone gives exactly the target's coverage, the answer is "the trend
    reaches it", not a scenario to pay for."""
    from simulation.projection import project

    p = project(make_scenario())
    exact = float(p.row(2028)["baseline_coverage_pct"])
    assert verdict([p], SimpleNamespace(id="t", year=2028, coverage_pct=exact)).kind == "baseline"
