"""The one percent rule (simulation/units.py) that every door shares, and the CLI's whole Rupiah and persons."""

from __future__ import annotations

import math

import pytest

from simulation.errors import ValidationError
from simulation.units import percent_values, whole_persons, whole_rupiah


@pytest.mark.parametrize(("values", "expected", "as_share"), [
    ([0.3835, 0.4086], [38.35, 40.86], True),      # a column of shares of 1: read as shares, said in a warning
    ([38.35, 40.86], [38.35, 40.86], False),
    ([0.0, 0.4], [0.0, 40.0], True),
    ([0.0, 40.86], [0.0, 40.86], False),
])
def test_a_column_of_percentages(values, expected, as_share):
    got, shares = percent_values(values, "coverage_2024")
    assert got == pytest.approx(expected) and shares is as_share


def test_a_column_refuses_a_count_and_a_lone_fraction():
    with pytest.raises(ValidationError) as err:
        percent_values([38.35, 244_236], "coverage_2024")
    assert err.value.code == "count_not_percent" and err.value.field == "coverage_2024"
    with pytest.raises(ValidationError) as err:
        percent_values([0.45], "target")
    assert err.value.code == "ambiguous_percent"
    assert percent_values([0.45], "target", written_with_percent_sign=True) == ([0.45], False)
    with pytest.raises(ValidationError) as err:      # 0.5 among percentages: 50 % or 0.5 %? asked
        percent_values([0.5, 40.86], "coverage_2024")
    assert err.value.code == "ambiguous_percent" and err.value.params == {"value": 0.5, "percent": 50.0}


@pytest.mark.parametrize(("x", "whole"), [(1060384953.5999999, 1060384954), (0.5, 1), (-0.5, -1), (2.4999, 2),
                                          (5259.846, 5260)])
def test_whole_rupiah_and_persons(x, whole):
    assert whole_rupiah(x) == whole_persons(x) == whole and isinstance(whole_rupiah(x), int)


def test_a_missing_amount_stays_missing():
    assert whole_rupiah(math.nan) is None and whole_rupiah(None) is None
