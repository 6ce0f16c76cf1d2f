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


# One percent rule for a value in a column, used by the Data page's reader and by batch alike
COLUMNS = [  # (bare values of one coverage column, row asked about (0-based) or None)
    (["38,35", "40,86", "0,4186"], 2),      # a share written among percentages: asked
    (["38,35", "40,86", "41,86"], None),    # percentages
    (["3", "3", "0,5"], None),              # a real small percentage: x100 = 50 is far from 3
]


@pytest.mark.parametrize("cells, asked", COLUMNS)
def test_the_reader_and_batch_apply_the_same_column_rule(cells, asked):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    from simulation.io import read_upload
    from simulation.units import share_among_percents

    values = [float(c.replace(",", ".")) for c in cells]
    by_rule = [i for i, v in enumerate(values) if share_among_percents(v, [x for x in values if x > 1])]
    assert by_rule == ([] if asked is None else [asked])

    years = [2022, 2023, 2024]
    history = "tahun;cakupan_pct\n" + "".join(f"{y};{c}\n" for y, c in zip(years, cells, strict=True))
    up = read_upload(history.encode(), "riwayat.csv", kind="history")
    page_asked = [p.row for t in up.tables for p in t.problems if p.code == "share_among_percent"]
    assert page_asked == ([] if asked is None else [asked + 2])            # row 1 is the header

    header = "region_id;name;potential_workers;potential_workers_year;" + ";".join(f"coverage_{y}" for y in years)
    row = "x;X;100.000;2024;" + ";".join(cells)
    if asked is None:
        read_regions_csv(f"{header}\n{row}\n", load_region("pontianak"), set())
    else:
        with pytest.raises(ValidationError, match=f"coverage_{years[asked]}"):
            read_regions_csv(f"{header}\n{row}\n", load_region("pontianak"), set())
