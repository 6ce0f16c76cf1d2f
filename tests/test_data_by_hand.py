"""The data loaders, the scenario and the percent rule, checked value by value (issue 16, mutation testing).

What a user depends on, written out by hand: for each refusal the exact place (file and field), code, params and
English message (the page translates code + params; the CLI prints ``field: message``); for each loader the values
it reads from the shipped files in data/ (figures checked against /work/shared/DOMAIN.md and the files' sources);
the defaults of data/region_defaults.yaml and which fields are marked defaulted or missing; the round trips
scenario -> dict -> scenario and region -> YAML -> region.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math

import pytest
import yaml

from simulation.data import (
    REGION_DEFAULTS_FILE,
    REGIONS_DIR,
    load_region,
    load_region_defaults,
    parse_region,
    parse_region_defaults,
    region_data,
    region_ids,
    region_yaml,
)
from simulation.errors import DataFileError, ValidationError
from simulation.parameters import PARAMETERS_FILE, Parameters, load_parameters, parse_parameters
from simulation.sourced import Sourced, YearValue


def refusal(fn, *args, kind=ValidationError, **kwargs) -> tuple:
    """(field, code, params, message) of the ValidationError ``fn`` raises (a DataFileError for a data file)."""
    with pytest.raises(ValidationError) as err:
        fn(*args, **kwargs)
    e = err.value
    assert type(e) is kind
    return e.field, e.code, e.params, e.message


def data_refusal(fn, *args, **kwargs) -> tuple:
    return refusal(fn, *args, kind=DataFileError, **kwargs)


def _raw(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


RAW_PARAMETERS = _raw(PARAMETERS_FILE)
RAW_DEFAULTS = _raw(REGION_DEFAULTS_FILE)
RAW_PONTIANAK = _raw(REGIONS_DIR / "pontianak.yaml")
P = "parameters.yaml: bpu.jkm_flat"
R = "regions/pontianak.yaml"


def params_with(change) -> dict:
    d = copy.deepcopy(RAW_PARAMETERS)
    change(d)
    return d


def jkm(d) -> dict:
    return d["parameters"]["bpu.jkm_flat"]


def pontianak_with(change) -> dict:
    d = copy.deepcopy(RAW_PONTIANAK)
    change(d)
    return d


def defaults_with(change) -> dict:
    d = copy.deepcopy(RAW_DEFAULTS)
    change(d)
    return d


def point(year, value, key="value", **extra) -> dict:
    return {"year": year, key: value, "source": "s", "certainty": "M", **extra}


# ============================================================================ parameters (data/parameters.yaml)
def test_the_shipped_parameters_read_as_the_regulation_says():
    """PP 44/2015 as amended: BPU JKK 1 % of a declared income of at least Rp1,000,000, JKM Rp6,800 a month; JKM
    Rp6,800 since its 2015 start (a Rp68 value in force during the 99 % discount of PP 49/2020)."""
    p = load_parameters()
    assert isinstance(p, Parameters) and p.still_valid_on >= dt.date(2026, 1, 1)
    flat = p["bpu.jkm_flat"]
    assert flat.id == "bpu.jkm_flat" and flat.unit == "IDR/month"
    assert flat.latest.value == p.latest("bpu.jkm_flat") == 6_800
    assert p.value("bpu.jkm_flat", dt.date(2020, 9, 1)) == 68
    assert p.latest("bpu.income_floor") == 1_000_000 and p.latest("bpu.jkk_rate") == 0.01
    # the value in force on its own start date is that value (``since`` is inclusive), the day before the older one
    for older, newer in zip(flat.values, flat.values[1:], strict=False):
        assert flat.at(newer.since) == newer
        assert flat.at(newer.since - dt.timedelta(days=1)) == older
    assert flat.at(flat.values[0].since) == flat.values[0]


def test_a_parameter_asked_before_its_first_value_or_not_in_the_file_is_refused_by_name():
    p = load_parameters()
    first = p["bpu.jkm_flat"].values[0].since
    before = first - dt.timedelta(days=1)
    assert data_refusal(p.value, "bpu.jkm_flat", before) == (
        "parameter bpu.jkm_flat", "no_value_on_date", {"date": before.isoformat()},
        f"no value in force on {before.isoformat()}")
    assert data_refusal(p.latest, "bpu.nothing") == ("parameters.bpu.nothing", "unknown_parameter", {}, "no such parameter")


def test_a_parameter_file_is_read_with_its_optional_parts_and_a_signed_unit():
    def change(d):
        v = jkm(d)["values"][-1]
        v.update(note="a note is allowed", source_date="2024-02-29", source_id="sumber", source_en=" source ")
        jkm(d)["label"]["id"] = "  Iuran JKM  "
        jkm(d)["values"][0]["value"] = 0          # zero is not below the floor of a non-negative unit
        d["parameters"]["forecast.drift"] = {"label": {"id": "Tren", "en": "Trend"}, "unit": "logit/year",
                                             "values": [{"since": dt.date(2020, 1, 1), "value": -0.25,
                                                         "source": "s", "certainty": "A"}]}
    p = parse_parameters(params_with(change))
    v = p["bpu.jkm_flat"].latest
    assert (v.source_date, v.source_id, v.source_en) == (dt.date(2024, 2, 29), "sumber", "source")
    assert v.source_in("id") == "sumber" and v.source_in("en") == "source" and v.source_in("fr") == v.source
    assert p["bpu.jkm_flat"].label("id") == "Iuran JKM" and p["bpu.jkm_flat"].values[0].value == 0
    assert p.latest("forecast.drift") == -0.25 and p["forecast.drift"].label("en") == "Trend"
    assert isinstance(p.latest("bpu.jkm_flat"), float)


def test_replacing_a_value_from_a_date_keeps_the_older_values_and_marks_it_a_user_assumption():
    p = load_parameters()
    since = dt.date(2027, 1, 1)
    changed = p.replace_value("bpu.jkm_flat", 9_000, since=since)
    new = changed["bpu.jkm_flat"].latest
    assert (new.since, new.value, new.source, new.certainty) == (since, 9_000, "user", "A")
    assert changed["bpu.jkm_flat"].values[:-1] == tuple(v for v in p["bpu.jkm_flat"].values if v.since < since)
    on_a_date = p.replace_value("bpu.jkm_flat", 7_000, since=p["bpu.jkm_flat"].latest.since)
    assert on_a_date["bpu.jkm_flat"].values[:-1] == p["bpu.jkm_flat"].values[:-1]   # the value of that date replaced
    assert changed.still_valid_on == p.still_valid_on and changed["bpu.jkk_rate"] == p["bpu.jkk_rate"]


LONG = "x" * 50


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(zeta=1, alpha=2), ("parameters.yaml.alpha", "unknown_field", {"name": "alpha"},
                                           "unknown field 'alpha'")),
    (lambda d: d.clear(), ("parameters.yaml.parameters", "missing_field", {"name": "parameters"},
                           "missing field 'parameters'")),
    (lambda d: d.update(parameters={}), ("parameters.yaml.parameters", "not_a_mapping", {},
                                         "expected a non-empty mapping")),
    (lambda d: d.update(parameters=["bpu.jkm_flat"]), ("parameters.yaml.parameters", "not_a_mapping", {},
                                                       "expected a non-empty mapping")),
    (lambda d: d["parameters"].update({"bpu.jkm_flat": 6800}), (P, "not_a_mapping", {},
                                                                 "expected a mapping of keys to values")),
    (lambda d: jkm(d).update(values={}), (f"{P}.values", "not_a_list", {}, "expected a non-empty list")),
    (lambda d: jkm(d)["values"][0].update(value=True), (f"{P}.values[0].value", "expected_number",
                                                         {"value": "True"}, "expected a number, got True")),
    (lambda d: jkm(d)["values"][0].update(value=LONG), (f"{P}.values[0].value", "expected_number",
                                                         {"value": "x" * 40}, f"expected a number, got {LONG!r}")),
    (lambda d: jkm(d)["values"][0].update(value=10**400), (f"{P}.values[0].value", "expected_number",
                                                            {"value": "1" + "0" * 39},
                                                            "expected a finite number of reasonable size")),
    (lambda d: jkm(d)["values"][0].update(value=math.inf), (f"{P}.values[0].value", "expected_number",
                                                             {"value": "inf"},
                                                             "expected a finite number of reasonable size")),
    (lambda d: jkm(d)["values"][0].update(value=-0.5), (f"{P}.values[0].value", "too_small",
                                                         {"min": 0, "value": -0.5}, "-0.5 is less than 0")),
    (lambda d: jkm(d)["label"].update(en="e" * 201), (f"{P}.label.en", "too_long", {"max": 200},
                                                       "text longer than 200 characters")),
    (lambda d: jkm(d)["label"].update(en=5), (f"{P}.label.en", "expected_text", {}, "expected non-empty text")),
    (lambda d: jkm(d)["values"][0].update(source="s" * 501), (f"{P}.values[0].source", "too_long", {"max": 500},
                                                               "text longer than 500 characters")),
    (lambda d: jkm(d)["values"][0].update(since="2020-02-30"), (f"{P}.values[0].since", "expected_date", {},
                                                                 "expected a date YYYY-MM-DD, got '2020-02-30'")),
    (lambda d: jkm(d)["values"][0].update(certainty="h"), (f"{P}.values[0].certainty", "bad_certainty", {},
                                                            "certainty must be one of H, M, L, A, got 'h'")),
    (lambda d: jkm(d)["values"][1].update(since=jkm(d)["values"][0]["since"]),
     (f"{P}.values", "unsorted_dates", {}, "dates must be strictly increasing")),
    (lambda d: jkm(d).update(unit="Rp"), (f"{P}.unit", "bad_choice", {
        "choices": "share, percent/year, per year, ratio, IDR/month, IDR/claim, months, logit/year, pseudo-changes"},
        "unit must be one of share, percent/year, per year, ratio, IDR/month, IDR/claim, months, logit/year, "
        "pseudo-changes, got 'Rp'")),
    (lambda d: d.update(still_valid_on="2026-13-01"), ("parameters.yaml.still_valid_on", "expected_date", {},
                                                       "expected a date YYYY-MM-DD, got '2026-13-01'")),
])
def test_a_wrong_parameter_file_is_refused_with_the_place_code_params_and_message(change, expected):
    assert data_refusal(parse_parameters, params_with(change)) == expected


def test_a_value_under_a_floor_only_is_said_as_at_least_in_both_languages():
    """A bound on one side only (at least 1 potential worker): the sentence says "at least 1", not "between 1 and
    None" (a bug found while writing these tests)."""
    from presentation.i18n import t
    from presentation.problems import error_params

    field, code, params, _ = data_refusal(parse_region, pontianak_with(
        lambda d: d["potential_workers"][0].update(value=0)), R)
    assert t(f"errors.{code}", "id", **error_params(code, field, params, "id")) == "paling sedikit 1 (0)"
    assert t(f"errors.{code}", "en", **error_params(code, field, params, "en")) == "must be at least 1 (0)"


def test_a_parameter_file_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "tarif.yaml"
    path.write_text(yaml.safe_dump(params_with(lambda d: d.update(colour="red"))), encoding="utf-8")
    assert data_refusal(load_parameters, path)[:3] == ("tarif.yaml.colour", "unknown_field", {"name": "colour"})
    path.write_text("parameters: [unclosed", encoding="utf-8")
    field, code, params, message = data_refusal(load_parameters, path)
    assert (field, code, params) == ("tarif.yaml", "bad_yaml", {}) and message.startswith("not valid YAML: ")
    assert data_refusal(load_parameters, tmp_path / "gone.yaml") == (
        "gone.yaml", "unreadable", {}, "cannot read file: No such file or directory")
    path.write_text(yaml.safe_dump(RAW_PARAMETERS), encoding="utf-8")
    assert load_parameters(path).items == load_parameters().items


# ============================================================================ yearly series and sourced values
def test_a_series_is_sorted_by_year_with_its_bases_and_break_marks():
    rows = [point(2024, 40.86, "coverage_pct", base="B", break_before=True, source_date="2025-01-20"),
            point(2022, 30, "coverage_pct", base="A", break_before=False),
            point(2023, 38.35, "coverage_pct", base="A", source_id=" sumber ", source_en="source")]
    got = YearValue.read_series(rows, "h", "coverage_pct", 0, 100, with_base=True)
    assert [(v.year, v.value, v.base, v.break_before) for v in got] == [
        (2022, 30.0, "A", None), (2023, 38.35, "A", None), (2024, 40.86, "B", True)]
    assert got[2].source_date == dt.date(2025, 1, 20) and got[1].source_id == "sumber"
    assert got[1].source_en == "source" and got[0].source_date is None and isinstance(got[0].value, float)
    # the bounds are inclusive: 0 and 100 %, the years 1990 and 2100
    edges = YearValue.read_series([point(1990, 0, "coverage_pct"), point(2100, 100, "coverage_pct")], "h",
                                  "coverage_pct", 0, 100)
    assert [(v.year, v.value) for v in edges] == [(1990, 0), (2100, 100)]
    assert YearValue.read_series([], "h") == () and len(YearValue.read_series([point(2024, 1)], "h", min_len=1)) == 1


@pytest.mark.parametrize(("rows", "kwargs", "expected"), [
    ({"year": 2024}, {}, ("h", "not_a_list", {}, "expected a list of yearly values")),
    ([point(2024, 1)], {"min_len": 2}, ("h", "too_few", {"min": 2}, "expected at least 2 years")),
    ([point(2024, 1), "2025: 2"], {}, ("h[1]", "not_a_mapping", {}, "expected a mapping of keys to values")),
    ([point(2024, 1, base="A")], {}, ("h[0].base", "unknown_field", {"name": "base"}, "unknown field 'base'")),
    ([{"year": 2024, "value": 1, "source": "s"}], {}, ("h[0].certainty", "missing_field", {"name": "certainty"},
                                                       "missing field 'certainty'")),
    ([point(2024, 1, break_before="yes")], {"with_base": True},
     ("h[0].break_before", "expected_bool", {}, "expected true or false")),
    ([point(2024, 1), point(2023, 1, break_before=True)], {"with_base": True},
     ("h[1].break_before", "break_on_first", {"year": 2023},
      "2023 is the first year: there is no earlier base to break from")),
    ([point(2025, 1, base="B"), point(2023, 1, base="A"), point(2024, 1, base="A")], {"with_base": True},
     ("h[0].break_before", "base_change_unmarked", {"year": 2025},
      "the base changes in 2025 ('A' -> 'B'): mark it with break_before: true")),
    ([point(2024, 1, base="b" * 201)], {"with_base": True}, ("h[0].base", "too_long", {"max": 200},
                                                             "text longer than 200 characters")),
    ([point(2025, 1), point(2024, 1), point(2025, 2), point(2024, 3)], {},
     ("h", "duplicate_year", {"year": 2024}, "year 2024 appears twice")),
    ([point(1989, 1)], {}, ("h[0].year", "expected_year", {}, "expected a year between 1990 and 2100, got 1989")),
    ([point(2101, 1)], {}, ("h[0].year", "expected_year", {}, "expected a year between 1990 and 2100, got 2101")),
    ([point(True, 1)], {}, ("h[0].year", "expected_year", {}, "expected a year between 1990 and 2100, got True")),
    ([point(2024.0, 1)], {}, ("h[0].year", "expected_year", {}, "expected a year between 1990 and 2100, got 2024.0")),
    ([point(2024, 100.5, "coverage_pct")], {"value_key": "coverage_pct", "lo": 0, "hi": 100},
     ("h[0].coverage_pct", "out_of_range", {"min": 0, "max": 100, "value": 100.5}, "100.5 is outside [0, 100]")),
    ([point(2024, -0.5, "coverage_pct")], {"value_key": "coverage_pct", "lo": 0, "hi": 100},
     ("h[0].coverage_pct", "out_of_range", {"min": 0, "max": 100, "value": -0.5}, "-0.5 is outside [0, 100]")),
    ([point(2024, 1, source_date="1 Jan 2024")], {}, ("h[0].source_date", "expected_date", {},
                                                      "expected a date YYYY-MM-DD, got '1 Jan 2024'")),
    ([point(2024, 1, source_en="")], {}, ("h[0].source_en", "expected_text", {}, "expected non-empty text")),
    ([point(2024, 1), point(2025, 1, source="")], {}, ("h[1].source", "expected_text", {},
                                                        "expected non-empty text")),
    ([point(2024, 1), point(2025, 1, certainty="X")], {}, ("h[1].certainty", "bad_certainty", {},
                                                            "certainty must be one of H, M, L, A, got 'X'")),
])
def test_a_wrong_series_is_refused_at_its_row(rows, kwargs, expected):
    assert data_refusal(YearValue.read_series, rows, "h", **kwargs) == expected


def test_consecutive_points_on_different_bases_load_when_the_change_is_marked():
    rows = [point(2023, 1, base="A"), point(2024, 2, base="B", break_before=True), point(2025, 3)]
    got = YearValue.read_series(rows, "h", with_base=True)
    assert [v.break_before for v in got] == [None, True, None]


@pytest.mark.parametrize(("obj", "expected"), [
    ({"value": 1, "source": "s", "certainty": "A", "year": 2024}, ("v.year", "unknown_field", {"name": "year"},
                                                                   "unknown field 'year'")),
    ({"value": 2, "source": "s", "certainty": "A"}, ("v.value", "out_of_range", {"min": 0, "max": 1, "value": 2},
                                                     "2 is outside [0, 1]")),
    ({"value": -1, "source": "s", "certainty": "A"}, ("v.value", "out_of_range", {"min": 0, "max": 1, "value": -1},
                                                      "-1 is outside [0, 1]")),
    ({"value": 1, "source": " ", "certainty": "A"}, ("v.source", "expected_text", {}, "expected non-empty text")),
    ({"value": 1, "source": "s", "certainty": None}, ("v.certainty", "bad_certainty", {},
                                                      "certainty must be one of H, M, L, A, got None")),
    ({"value": 1, "source": "s", "certainty": "A", "source_date": "soon"},
     ("v.source_date", "expected_date", {}, "expected a date YYYY-MM-DD, got 'soon'")),
    ({"value": 1, "source": "s", "certainty": "A", "source_id": "t" * 501},
     ("v.source_id", "too_long", {"max": 500}, "text longer than 500 characters")),
])
def test_a_wrong_sourced_value_is_refused(obj, expected):
    assert data_refusal(Sourced.read, obj, "v", 0, 1) == expected


def test_a_sourced_value_reads_its_bounds_inclusive_and_its_optional_parts():
    s = Sourced.read({"value": 1, "source": " s ", "certainty": "A", "source_date": dt.date(2024, 1, 2),
                      "source_id": "t" * 500}, "v", 0, 1)
    assert (s.value, s.source, s.certainty, s.source_date, len(s.source_id), s.source_en) == (
        1.0, "s", "A", dt.date(2024, 1, 2), 500, None)
    assert s.is_assumption and not dataclasses.replace(s, certainty="L").is_assumption
    assert Sourced.read({"value": 0, "source": "s", "certainty": "H"}, "v", 0, 1).value == 0
    assert Sourced.read({"value": -5, "source": "s", "certainty": "H"}, "v").value == -5   # no bounds given


# ============================================================================ regions (data/regions/*.yaml)
def _as_json(o):
    """A YAML file's objects as region_data gives them (dates as ISO text)."""
    if isinstance(o, dt.date):
        return o.isoformat()
    if isinstance(o, dict):
        return {k: _as_json(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_as_json(v) for v in o]
    return o


@pytest.mark.parametrize("region_id", region_ids())
def test_a_regions_own_data_are_its_file_and_go_round_through_yaml(region_id):
    """region_data gives back exactly what the file says (no default, no national target written in); region_yaml
    in the format of data/regions/*.yaml reads back to the same region; so does to_dict (a snapshot)."""
    region = load_region(region_id)
    assert region_data(region) == _as_json(_raw(REGIONS_DIR / f"{region_id}.yaml"))
    text = region_yaml(region)
    assert text.startswith(f"# {region.name} ({region.province}): region data in the format of "
                           "data/regions/*.yaml\nid: ")
    assert parse_region(yaml.safe_load(text), "x") == region
    assert parse_region(region.to_dict(), "x") == region
    points = [line for line in text.splitlines() if line.startswith("- {")]
    assert points and all(line.endswith("}") for line in points)      # one yearly point a line, however long


def test_region_yaml_writes_whole_numbers_and_dates_as_the_shipped_files_do():
    text = region_yaml(load_region("kab_kayong_utara"))
    assert "value: 50031," in text and "50031.0" not in text      # potential workers 2019 (BPS)
    assert "source_date: 2025-10-07," in text                      # a date, unquoted
    assert "coverage_pct: 51.59}" in text                          # a fraction stays one
    assert "\napbd:" not in text and "defaulted" not in text        # the filled budget is a default: not written
    assert yaml.safe_load(text)["missing"]["apbd"]                 # ... its note is, under missing:
    # a text that only looks like a date stays text; a date-shaped text that is no date too
    region = load_region("pontianak")
    odd = dataclasses.replace(region, name="2026-02-30", province="2026-02-11")
    odd_text = region_yaml(odd)
    assert "name: '2026-02-30'" in odd_text and "province: 2026-02-11" in odd_text
    assert "name: Kota Pontianak \u2014 \u00e9" in region_yaml(dataclasses.replace(region, name="Kota Pontianak \u2014 \u00e9"))
    # whole numbers below 10^15 lose their ".0"; larger ones (past a float's exact digits) keep it
    for value, written in ((999_999_999_999_999.0, "999999999999999"), (1e15, "1000000000000000.0"),
                           (-3.0, "-3"), (2.5, "2.5")):
        changed = dataclasses.replace(region, apbd=(dataclasses.replace(region.apbd[0], value=value),))
        assert f"\napbd:\n- {{value: {written}, source:" in region_yaml(changed)


def test_the_pontianak_figures_a_mayor_quotes():
    """DOMAIN.md: coverage 38.35 % (2023) and 40.86 % (2024) [H]; 244,236 potential workers in 2024 [M]; the
    city's 45 % target for 2026 [M]; about 40 % in 2025 [M]; APBD 2025 assumed at Rp2 trillion; budget growth 3 %, workers 1 % a year."""
    r = load_region("pontianak")
    assert (r.id, r.name, r.kind, r.province) == ("pontianak", "Kota Pontianak", "kota", "Kalimantan Barat")
    assert [(v.year, v.value) for v in r.coverage_history] == [(2023, 38.35), (2024, 40.86), (2025, 40.0)]
    assert r.last_history_year == 2025
    assert [(v.year, v.value) for v in r.potential_workers] == [(2024, 244_236)]
    assert r.apbd_in(2025) == 2e12
    assert r.apbd_in(2026) == pytest.approx(2e12 * 1.03)           # grown at 3 % a year
    assert r.apbd_in(2024) == pytest.approx(2e12 / 1.03)           # and back
    assert r.potential_workers_in(2026) == pytest.approx(244_236 * 1.01 ** 2)
    assert r.potential_workers_in(2026, growth_pct=2.0) == pytest.approx(244_236 * 1.02 ** 2)
    assert r.min_wage_in(2028, 5.0) == pytest.approx(3_205_220 * 1.05 ** 2)   # UMK 2026 indexed
    assert r.min_wage_in(2020, 5.0) == 2_840_206 * 1.05 ** -4                 # before the first: the first, back
    assert [t.id for t in r.targets] == ["city_2026", "rpjmn_2026", "rpjmn_2029"]
    assert r.targets[0].name("en") != r.targets[0].name("id") and r.targets[0].coverage_pct == 45
    assert r.group("rt_heads").name("id") == r.group("rt_heads").name_id and r.group("nobody") is None
    assert r.missing == () and r.defaulted == () and r.ready and r.needs == () and r.missing_note("apbd") is None
    r.require_ready()


def test_budget_and_workers_grow_from_the_nearest_published_year_the_later_one_on_a_tie():
    r = load_region("pontianak")
    apbd = (YearValue(year=2024, value=100.0, source="s", certainty="A"),
            YearValue(year=2026, value=200.0, source="s", certainty="A"))
    two = dataclasses.replace(r, apbd=apbd, potential_workers=apbd,
                              apbd_growth_pct=dataclasses.replace(r.apbd_growth_pct, value=10.0))
    assert two.apbd_in(2024) == 100 and two.apbd_in(2026) == 200
    assert two.apbd_in(2025) == pytest.approx(200 / 1.1)            # equally near: from the later year, back
    assert two.apbd_in(2028) == pytest.approx(200 * 1.1 ** 2)
    assert two.apbd_in(2022) == pytest.approx(100 / 1.1 ** 2)
    assert two.potential_workers_in(2025, growth_pct=10.0) == pytest.approx(200 / 1.1)
    assert two.potential_workers_in(2023, growth_pct=10.0) == pytest.approx(100 / 1.1)
    wages = dataclasses.replace(r, min_wage=apbd)
    assert wages.min_wage_in(2025, 10.0) == pytest.approx(110)     # the last published one before, indexed
    assert wages.min_wage_in(2026, 10.0) == 200


def test_a_region_without_enough_data_says_what_it_needs():
    r = load_region("kab_mempawah")
    assert r.needs == ("potential_workers", "apbd", "groups") and not r.ready
    assert refusal(r.require_ready) == (
        "region", "region_not_ready",
        {"region": "Kabupaten Mempawah", "id": "kab_mempawah", "missing": "potential_workers, apbd, groups"},
        "region 'kab_mempawah' lacks potential_workers, apbd, groups for a projection")
    one_year = load_region("kab_landak")
    assert len(one_year.coverage_history) == 1 and one_year.needs == ("coverage_history",)
    two_years = load_region("kota_singkawang")
    assert len(two_years.coverage_history) == 2 and two_years.needs == () and two_years.ready
    bare = load_region("kab_sintang")
    assert bare.needs == ("coverage_history", "potential_workers", "groups")


def test_a_region_with_changed_data_is_no_longer_missing_what_it_was_given():
    r = load_region("kab_landak")
    assert "groups" in r.missing and "groups" in r.defaulted
    given = r.with_data(groups=load_region("pontianak").groups)
    assert "groups" not in given.missing and "groups" not in given.defaulted
    assert given.missing == tuple(f for f in r.missing if f != "groups")
    emptied = r.with_data(apbd=())
    assert "apbd" in emptied.missing and emptied.missing_note("apbd") == "" and emptied.apbd == ()
    assert emptied.defaulted == r.defaulted
    history = (point(2024, 53.43, "coverage_pct"), point(2023, 50, "coverage_pct"))
    later = r.with_history(tuple(YearValue(year=p["year"], value=p["coverage_pct"], source="s", certainty="M")
                                 for p in history))
    assert [v.year for v in later.coverage_history] == [2023, 2024] and later.ready
    assert later.content_hash != r.content_hash and len(r.content_hash) == 12
    assert r.content_hash == load_region("kab_landak").content_hash


def _group(d, i=0) -> dict:
    return d["groups"][i]


def _no(*names):
    """A change that leaves these fields out of the region's data."""
    def change(d):
        for n in names:
            d.pop(n, None)
    return change


KINDS_TEXT = "kota, kabupaten, provinsi"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(id="Pontianak!"), (f"{R}.id", "bad_id", {"name": "Pontianak!"},
                                           "an id has 1 to 40 lower-case letters, digits, '-' or '_'")),
    (lambda d: d.update(id="-pontianak"), (f"{R}.id", "bad_id", {"name": "-pontianak"},
                                           "an id has 1 to 40 lower-case letters, digits, '-' or '_'")),
    (lambda d: d.update(id="p" * 41), (f"{R}.id", "too_long", {"max": 40}, "text longer than 40 characters")),
    (lambda d: d.update(kind="Kota"), (f"{R}.kind", "bad_choice", {"choices": KINDS_TEXT},
                                       f"kind must be one of {KINDS_TEXT}, got 'Kota'")),
    (lambda d: d.update(province="p" * 121), (f"{R}.province", "too_long", {"max": 120},
                                              "text longer than 120 characters")),
    (lambda d: d.update(name="n" * 121), (f"{R}.name", "too_long", {"max": 120}, "text longer than 120 characters")),
    (lambda d: d.update(missing=["apbd"]), (f"{R}.missing", "not_a_mapping", {},
                                            "expected a mapping of keys to values")),
    (lambda d: d.update(missing={"scheme_record": "x"}), (f"{R}.missing.scheme_record", "unknown_field",
                                                          {"name": "scheme_record"}, "unknown field 'scheme_record'")),
    (lambda d: (d.pop("apbd"), d.update(missing={"apbd": "n" * 501})),
     (f"{R}.missing.apbd", "expected_text", {"max": 500}, "expected a note of at most 500 characters")),
    (lambda d: d.update(missing={"apbd": "searched"}), (f"{R}.missing.apbd", "missing_but_given", {"name": "apbd"},
                                                        "apbd is listed as missing but given")),
    (lambda d: d.update(missing={"targets": "none"}), (f"{R}.missing.targets", "missing_but_given",
                                                       {"name": "targets"}, "targets is listed as missing but given")),
    (lambda d: (d.pop("apbd"), d.update(missing={"apbd": ""}, defaulted="apbd")),
     (f"{R}.defaulted", "bad_defaulted", {}, "expected a list of fields named under missing")),
    (lambda d: (d.pop("apbd"), d.update(missing={"apbd": ""}, defaulted=["apbd", "apbd"])),
     (f"{R}.defaulted", "bad_defaulted", {}, "expected a list of fields named under missing")),
    (lambda d: d.update(defaulted=["apbd"]), (f"{R}.defaulted", "bad_defaulted", {},
                                              "expected a list of fields named under missing")),
    (lambda d: d.update(groups={"rt_heads": 1}), (f"{R}.groups", "not_a_list", {}, "expected a list of groups")),
    (lambda d: _group(d, 3).update(id=_group(d, 1)["id"]), (f"{R}.groups", "duplicate_id", {},
                                                           "group ids must be unique")),
    (lambda d: _group(d).update(agreement=1), (f"{R}.groups[0].agreement", "expected_bool", {},
                                                "expected true or false")),
    (lambda d: _group(d).update(id="g" * 41), (f"{R}.groups[0].id", "too_long", {"max": 40},
                                                "text longer than 40 characters")),
    (lambda d: _group(d).update(name_id="n" * 81), (f"{R}.groups[0].name_id", "too_long", {"max": 80},
                                                     "text longer than 80 characters")),
    (lambda d: _group(d).update(name_en="n" * 81), (f"{R}.groups[0].name_en", "too_long", {"max": 80},
                                                     "text longer than 80 characters")),
    (lambda d: _group(d)["members"].update(value=100_000_001), (
        f"{R}.groups[0].members.value", "out_of_range", {"min": 0, "max": 1e8, "value": 100_000_001},
        "100000001 is outside [0, 100000000.0]")),
    (lambda d: _group(d)["already_covered"].update(value=1.01), (
        f"{R}.groups[0].already_covered.value", "out_of_range", {"min": 0, "max": 1, "value": 1.01},
        "1.01 is outside [0, 1]")),
    (lambda d: _group(d)["take_up"].update(value=-0.01), (
        f"{R}.groups[0].take_up.value", "out_of_range", {"min": 0, "max": 1, "value": -0.01},
        "-0.01 is outside [0, 1]")),
    (lambda d: _group(d)["dropout"].update(value=-0.01), (
        f"{R}.groups[0].dropout.value", "out_of_range", {"min": 0, "max": 1, "value": -0.01},
        "-0.01 is outside [0, 1]")),
    (lambda d: _group(d).update(per_1000_workers=_group(d)["members"]), (
        f"{R}.groups[0].per_1000_workers", "unknown_field", {"name": "per_1000_workers"},
        "unknown field 'per_1000_workers'")),
    (lambda d: d["potential_workers"][0].update(value=0), (
        f"{R}.potential_workers[0].value", "too_small", {"min": 1, "value": 0}, "0 is less than 1")),
    (lambda d: d["apbd"][0].update(value=0.5), (f"{R}.apbd[0].value", "too_small", {"min": 1, "value": 0.5},
                                                 "0.5 is less than 1")),
    (lambda d: d["min_wage"][0].update(value=-1), (f"{R}.min_wage[0].value", "too_small", {"min": 0, "value": -1},
                                                    "-1 is less than 0")),
    (lambda d: (d["coverage_history"][0].update(base="x"), d["coverage_history"][1].update(base="y")),
     (f"{R}.coverage_history[1].break_before", "base_change_unmarked", {"year": 2024},
      "the base changes in 2024 ('x' -> 'y'): mark it with break_before: true")),
    (lambda d: d["worker_growth_pct"].update(value=20.5), (f"{R}.worker_growth_pct.value", "out_of_range",
                                                           {"min": -20, "max": 20, "value": 20.5},
                                                           "20.5 is outside [-20, 20]")),
    (lambda d: d["apbd_growth_pct"].update(value=-50.5), (f"{R}.apbd_growth_pct.value", "out_of_range",
                                                          {"min": -50, "max": 50, "value": -50.5},
                                                          "-50.5 is outside [-50, 50]")),
    (lambda d: d["coverage_history"][2].update(coverage_pct=-0.5), (
        f"{R}.coverage_history[2].coverage_pct", "out_of_range", {"min": 0, "max": 100, "value": -0.5},
        "-0.5 is outside [0, 100]")),
    (lambda d: d["formal_coverage"].update(value=1.5), (f"{R}.formal_coverage.value", "out_of_range",
                                                        {"min": 0, "max": 1, "value": 1.5}, "1.5 is outside [0, 1]")),
    (lambda d: d.update(targets={"id": "x"}), (f"{R}.targets", "not_a_list", {}, "expected a list of targets")),
    (lambda d: d["targets"].append(dict(d["targets"][0])), (f"{R}.targets", "duplicate_id", {},
                                                            "target ids must be unique")),
    (lambda d: d["targets"][0].update(id="t" * 41), (f"{R}.targets[0].id", "too_long", {"max": 40},
                                                      "text longer than 40 characters")),
    (lambda d: d["targets"][0].update(name_id="t" * 81), (f"{R}.targets[0].name_id", "too_long", {"max": 80},
                                                           "text longer than 80 characters")),
    (lambda d: d["targets"][0].update(name_en="t" * 81), (f"{R}.targets[0].name_en", "too_long", {"max": 80},
                                                           "text longer than 80 characters")),
    (lambda d: d["targets"][0].update(year=2101), (f"{R}.targets[0].year", "expected_year", {},
                                                    "expected a year between 1990 and 2100, got 2101")),
    (lambda d: d["targets"][0].update(coverage_pct=-1), (f"{R}.targets[0].coverage_pct", "out_of_range",
                                                          {"min": 0, "max": 100, "value": -1},
                                                          "-1 is outside [0, 100]")),
    (lambda d: d["targets"][0].update(certainty="X"), (f"{R}.targets[0].certainty", "bad_certainty", {},
                                                        "certainty must be one of H, M, L, A, got 'X'")),
    (lambda d: d["targets"][0].update(source_date="2026"), (f"{R}.targets[0].source_date", "expected_date", {},
                                                             "expected a date YYYY-MM-DD, got '2026'")),
    (lambda d: d["targets"][0].update(source_en=" "), (f"{R}.targets[0].source_en", "expected_text", {},
                                                        "expected non-empty text")),
    (lambda d: d["scheme_record"][0].update(contributions_idr=1e15 + 1), (
        f"{R}.scheme_record[0].contributions_idr", "out_of_range", {"min": 1, "max": 1e15, "value": 1e15 + 1},
        "1000000000000001.0 is outside [1, 1000000000000000.0]")),
    (lambda d: d["scheme_record"][0].update(claims_idr=2e15), (
        f"{R}.scheme_record[0].claims_idr", "out_of_range", {"min": 0, "max": 1e15, "value": 2e15},
        "2000000000000000.0 is outside [0, 1000000000000000.0]")),
    (lambda d: d["scheme_record"][0].update(year=1989), (f"{R}.scheme_record[0].year", "expected_year", {},
                                                          "expected a year between 1990 and 2100, got 1989")),
    (lambda d: d["scheme_record"][0].update(source_date="x"), (f"{R}.scheme_record[0].source_date", "expected_date",
                                                                {}, "expected a date YYYY-MM-DD, got 'x'")),
    (lambda d: d["scheme_record"][0].update(source=" "), (f"{R}.scheme_record[0].source", "expected_text", {},
                                                           "expected non-empty text")),
    (lambda d: d.update(scheme_record={"year": 2025}), (f"{R}.scheme_record", "not_a_list", {},
                                                        "expected a list of yearly records")),
    (lambda d: d["targets"][0].update(source=""), (f"{R}.targets[0].source", "expected_text", {},
                                                    "expected non-empty text")),
    (lambda d: d["scheme_record"][0].update(source_id=""), (f"{R}.scheme_record[0].source_id", "expected_text", {},
                                                             "expected non-empty text")),
    (lambda d: d["scheme_record"].append(dict(d["scheme_record"][0], year=2024)) or d["scheme_record"].append(
        dict(d["scheme_record"][0])), (f"{R}.scheme_record", "duplicate_year", {"year": 2025},
                                       "year 2025 appears twice")),
    (lambda d: d["scheme_record"].append("2024"), (f"{R}.scheme_record[1]", "not_a_mapping", {},
                                                   "expected a mapping of keys to values")),
])
def test_a_wrong_region_file_is_refused_with_the_place_code_params_and_message(change, expected):
    assert data_refusal(parse_region, pontianak_with(change), R) == expected


@pytest.mark.parametrize("change", [
    lambda d: d.update(id="p" * 40, name="n" * 120, province="Kalimantan Barat"),
    lambda d: d.update(id="0-a_b"),
    lambda d: (_group(d).update(id="g" * 40, name_id="n" * 80, name_en="n" * 80, agreement=False),
               _group(d)["members"].update(value=1e8), _group(d)["take_up"].update(value=1),
               _group(d)["already_covered"].update(value=0), _group(d)["dropout"].update(value=1)),
    lambda d: (d["potential_workers"][0].update(value=1), d["apbd"][0].update(value=1),
               d["min_wage"][0].update(value=0)),
    lambda d: (d["worker_growth_pct"].update(value=-20), d["apbd_growth_pct"].update(value=50),
               d["formal_share"].update(value=0), d["formal_coverage"].update(value=1)),
    lambda d: d["targets"][0].update(id="t" * 40, name_id="t" * 80, name_en="t" * 80, coverage_pct=100, year=2100),
    lambda d: d["scheme_record"][0].update(contributions_idr=1, claims_idr=0),
    lambda d: d["scheme_record"][0].update(contributions_idr=1e15, claims_idr=1e15),
    lambda d: (d.pop("apbd"), d.update(missing={"apbd": "n" * 500})),
    lambda d: (d.pop("apbd"), d.update(missing={"apbd": ""}, defaulted=["apbd"])),
])
def test_a_region_file_at_the_edge_of_each_limit_loads(change):
    region = parse_region(pontianak_with(change), R)
    assert region.id.startswith(("p", "0"))


def test_a_scheme_record_is_sorted_by_year():
    """Pontianak 2025 (faktakalbar 2026-02-11): Rp356 million of contributions, Rp3.06 billion of claims."""
    def change(d):
        d["scheme_record"].insert(0, dict(d["scheme_record"][0], year=2026, claims_idr=0))
        d["scheme_record"].append(dict(d["scheme_record"][0], year=2024, contributions_idr=1))
    record = parse_region(pontianak_with(change), R).scheme_record
    assert [(r.year, r.contributions_idr, r.claims_idr) for r in record] == [
        (2024, 1, 0), (2025, 356_000_000, 3_060_000_000), (2026, 356_000_000, 0)]
    assert record[1].claims_to_contributions == pytest.approx(3_060 / 356)


def test_a_snapshot_keeps_the_fields_it_took_from_defaults_marked_as_defaulted():
    """A region saved with to_dict() holds the default values it was made with, listed under ``defaulted:``: read
    back they stay marked as defaults (the pages show them as assumptions), and listed under missing: too."""
    landak = load_region("kab_landak")
    snapshot = landak.to_dict()
    assert snapshot["defaulted"] == list(landak.defaulted) == [
        "apbd_growth_pct", "formal_share", "groups", "worker_growth_pct"]
    assert set(snapshot["missing"]) == set(landak.missing)
    again = parse_region(snapshot, "snapshot")
    assert again.defaulted == landak.defaulted and again.groups == landak.groups
    # a value given for a field listed as missing must be one of the defaulted ones
    assert data_refusal(parse_region, dict(snapshot, defaulted=["formal_share", "groups"]), "snapshot") == (
        "snapshot.missing.worker_growth_pct", "missing_but_given", {"name": "worker_growth_pct"},
        "worker_growth_pct is listed as missing but given")
    # one left out again is filled again from the defaults file, still marked
    d = {k: v for k, v in snapshot.items() if k != "groups"}
    assert parse_region(dict(d, defaulted=[f for f in snapshot["defaulted"] if f != "groups"]), "s") == landak
    # a field named under missing may hold the national targets as they are
    national = [t for t in snapshot["targets"] if t["id"].startswith("rpjmn")]
    assert parse_region(dict(snapshot, targets=national), "snapshot").targets == landak.targets
    mixed = dict(snapshot, targets=[*national, dict(national[0], id="own")])
    assert data_refusal(parse_region, mixed, "s")[:3] == (
        "s.missing.targets", "missing_but_given", {"name": "targets"})


# ============================================================================ defaults (data/region_defaults.yaml)
def test_the_shipped_defaults_read_as_the_file_says():
    """National targets: RKP 2026 34.99 %, RPJMN 2029 43.92 % [M] (DOMAIN.md). Defaults derived from Pontianak:
    3,259 RT/RW heads, 1,575 cadres and 640 religious workers per 244,236 potential workers are 13.34, 6.45 and
    2.62 per 1,000; an assumed APBD of Rp2 trillion is Rp8,188,800 per potential worker."""
    d = load_region_defaults()
    assert [(t.id, t.year, t.coverage_pct, t.certainty) for t in d.national_targets] == [
        ("rpjmn_2026", 2026, 34.99, "M"), ("rpjmn_2029", 2029, 43.92, "M")]
    assert d.national_targets[1].name("en") == "RPJMN 2029 (national)"
    assert d.national_targets[1].name("id") == "RPJMN 2029 (nasional)"
    assert {k: (v.value, v.certainty) for k, v in d.scalars.items()} == {
        "worker_growth_pct": (1.0, "A"), "formal_share": (0.412, "L"), "formal_coverage": (0.70, "L"),
        "apbd_growth_pct": (3.0, "A")}
    assert d.scalars["formal_share"].source_date == dt.date(2024, 8, 31)
    kalbar = d.provinces["Kalimantan Barat"]
    assert [(v.year, v.value) for v in kalbar.min_wage] == [(2024, 2_702_616), (2025, 2_878_286)]
    assert kalbar.apbd_per_worker.value == 8_188_800 == round(2e12 / 244_236, -2)
    assert kalbar.scalars == ()
    assert [(t.group.id, t.per_1000.value, t.group.agreement) for t in d.groups] == [
        ("rt_rw_heads", 13.34, False), ("posyandu_cadres", 6.45, False), ("religious_workers", 2.62, False)]
    assert [round(x / 244.236, 2) for x in (3_259, 1_575, 640)] == [t.per_1000.value for t in d.groups]
    g = d.groups[1].group
    assert (g.name_id, g.name_en, g.already_covered.value, g.take_up.value, g.dropout.value) == (
        "Kader posyandu", "Posyandu cadres", 0.05, 0.95, 0.05)
    assert g.members == d.groups[1].per_1000
    assert d.scalar("formal_share", "Kalimantan Barat") == d.scalar("formal_share", "Jawa Timur") == d.scalars[
        "formal_share"]


def test_a_regency_without_a_budget_or_groups_gets_them_from_its_workers_marked_as_defaults():
    """Kayong Utara lists 50,031 employed persons (BPS, Aug 2019) and no APBD nor groups: the budget is
    8,188,800 x 50,031 = Rp409,693,852,800 for 2019; the groups 13.34, 6.45 and 2.62 per 1,000 of them."""
    r = load_region("kab_kayong_utara")
    d = load_region_defaults()
    assert r.defaulted == ("apbd", "apbd_growth_pct", "formal_coverage", "formal_share", "groups",
                           "worker_growth_pct")
    assert set(r.missing) == set(r.defaulted) | {"targets"}
    (apbd,) = r.apbd
    assert (apbd.year, apbd.value, apbd.certainty, apbd.source_en) == (2019, 409_693_852_800, "A", None)
    assert apbd.source == d.provinces["Kalimantan Barat"].apbd_per_worker.source + (
        " x 50,031 potential workers (2019)")
    assert apbd.source_id == d.provinces["Kalimantan Barat"].apbd_per_worker.source_id + (
        " x 50.031 pekerja potensial (2019)")
    assert [(g.id, g.members.value, g.members.certainty) for g in r.groups] == [
        ("rt_rw_heads", 667, "A"), ("posyandu_cadres", 323, "A"), ("religious_workers", 131, "A")]
    assert r.groups[0].members.source.endswith("per 1,000 of its potential workers x 50,031 potential workers (2019)")
    assert [g.dropout.value for g in r.groups] == [0.03, 0.05, 0.03]
    assert (r.formal_share, r.apbd_growth_pct, r.worker_growth_pct, r.formal_coverage) == (
        d.scalars["formal_share"], d.scalars["apbd_growth_pct"], d.scalars["worker_growth_pct"],
        d.scalars["formal_coverage"])
    assert r.targets == d.national_targets
    assert r.apbd_in(2021) == pytest.approx(409_693_852_800 * 1.03 ** 2)


def test_a_region_that_lists_its_own_formal_coverage_keeps_it():
    landak = load_region("kab_landak")      # formal coverage 80.4 % in the first half of 2024 (suaralandak.co.id)
    assert landak.formal_coverage.value == 0.804 and "formal_coverage" not in landak.defaulted
    assert "formal_coverage" not in landak.missing and landak.missing_note("formal_share")


MINIMAL = {"id": "kota_uji", "name": "Kota Uji", "kind": "kota", "province": "Kalimantan Barat",
           "coverage_history": [point(2023, 30, "coverage_pct"), point(2024, 32, "coverage_pct")],
           "potential_workers": [point(2025, 200_000), point(2024, 100_000)]}


def test_a_new_region_lacking_a_minimum_wage_takes_its_provinces_and_one_elsewhere_needs_it():
    r = parse_region(copy.deepcopy(MINIMAL), "baru")
    d = load_region_defaults()
    assert r.min_wage == d.provinces["Kalimantan Barat"].min_wage
    assert r.defaulted == ("apbd", "apbd_growth_pct", "formal_coverage", "formal_share", "groups", "min_wage",
                           "worker_growth_pct")
    assert r.missing == ("apbd", "apbd_growth_pct", "formal_coverage", "formal_share", "groups", "min_wage",
                         "targets", "worker_growth_pct")
    assert all(r.missing_note(f) == "" for f in r.missing)
    # the newest count of workers sizes the budget and the groups: 200,000 in 2025
    assert [(v.year, v.value) for v in r.apbd] == [(2025, 8_188_800 * 200_000)]
    assert [g.members.value for g in r.groups] == [2_668, 1_290, 524]
    assert r.ready
    elsewhere = parse_region(dict(copy.deepcopy(MINIMAL), province="Jawa Timur"), "baru")
    assert elsewhere.min_wage == () and elsewhere.apbd == () and len(elsewhere.groups) == 3
    assert elsewhere.needs == ("min_wage", "apbd") and "min_wage" not in elsewhere.defaulted
    assert "apbd" not in elsewhere.defaulted and "apbd" in elsewhere.missing
    no_workers = parse_region({k: v for k, v in MINIMAL.items() if k != "potential_workers"}, "baru")
    assert no_workers.apbd == () and no_workers.groups == () and no_workers.potential_workers == ()
    assert no_workers.defaulted == ("apbd_growth_pct", "formal_coverage", "formal_share", "min_wage",
                                    "worker_growth_pct")
    assert no_workers.needs == ("potential_workers", "apbd", "groups")
    empty = parse_region(dict(copy.deepcopy(MINIMAL), groups=[], apbd=None, missing={"groups": " asked "}), "baru")
    assert empty.missing_note("groups") == "asked" and "groups" in empty.defaulted and empty.apbd == r.apbd


@pytest.mark.parametrize(("note", "expected"), [
    (5, ("baru.missing.apbd", "expected_text", {"max": 500},
         "expected a note of at most 500 characters, or {id: ..., en: ...}")),
    (["dicari"], ("baru.missing.apbd", "expected_text", {"max": 500},
                  "expected a note of at most 500 characters, or {id: ..., en: ...}")),
    ("n" * 501, ("baru.missing.apbd", "expected_text", {"max": 500}, "expected a note of at most 500 characters")),
    ({"id": "dicari"}, ("baru.missing.apbd.en", "missing_field", {"name": "en"}, "missing field 'en'")),
    ({"id": "dicari", "en": "searched", "fr": "x"}, ("baru.missing.apbd.fr", "unknown_field", {"name": "fr"},
                                                      "unknown field 'fr'")),
    ({"id": " ", "en": "searched"}, ("baru.missing.apbd.id", "expected_text", {}, "expected non-empty text")),
    ({"id": "dicari", "en": "s" * 501}, ("baru.missing.apbd.en", "too_long", {"max": 500},
                                         "text longer than 500 characters")),
])
def test_a_wrong_note_on_a_missing_field_is_refused(note, expected):
    assert data_refusal(parse_region, dict(copy.deepcopy(MINIMAL), missing={"apbd": note}), "baru") == expected


def test_a_note_on_a_missing_field_is_read_in_both_languages_or_as_one_text():
    r = parse_region(dict(copy.deepcopy(MINIMAL), missing={"apbd": {"id": " dicari di APBD ", "en": "searched"},
                                                           "groups": " " + "g" * 499}), "baru")
    assert r.missing_note("apbd", "id") == "dicari di APBD" and r.missing_note("apbd", "en") == "searched"
    assert r.missing_note("apbd") == "searched" and r.missing_note("apbd", "fr") == "dicari di APBD"
    assert r.missing_note("groups", "id") == r.missing_note("groups", "en") == "g" * 499
    assert r.missing_note("potential_workers") is None and r.missing_note("targets", "id") == ""
    assert parse_region(region_data(r), "again") == r


def _custom_defaults(change) -> object:
    return parse_region_defaults(defaults_with(change))


def test_other_defaults_fill_a_region_with_their_values_and_sources_in_each_language():
    def change(d):
        prov = d["provinces"]["Kalimantan Barat"]
        prov["apbd_per_worker"] = {"value": 10, "source": "ratio", "source_id": "rasio", "source_en": "ratio (en)",
                                   "certainty": "L"}
        prov["formal_share"] = {"value": 0.5, "source": "province", "certainty": "M"}
        d["groups"] = d["groups"][:1]
        d["groups"][0]["per_1000_workers"] = {"value": 1000, "source": "all", "source_en": "everyone",
                                              "certainty": "A"}
    defaults = _custom_defaults(change)
    assert defaults.scalar("formal_share", "Kalimantan Barat").value == 0.5
    assert defaults.scalar("formal_share", "Bali").value == 0.412
    r = parse_region(copy.deepcopy(MINIMAL), "baru", defaults=defaults)
    (apbd,) = r.apbd
    assert (apbd.value, apbd.certainty, apbd.source, apbd.source_id, apbd.source_en) == (
        2_000_000, "L", "ratio x 200,000 potential workers (2025)", "rasio x 200.000 pekerja potensial (2025)",
        "ratio (en) x 200,000 potential workers (2025)")
    (group,) = r.groups
    assert (group.members.value, group.members.source_id, group.members.source_en) == (
        200_000, None, "everyone x 200,000 potential workers (2025)")
    assert r.formal_share.value == 0.5 and r.formal_share.source == "province"
    assert r.worker_growth_pct == defaults.scalars["worker_growth_pct"]
    assert parse_region(region_data(r, defaults), "again", defaults=defaults) == r
    assert parse_region(yaml.safe_load(region_yaml(r, defaults)), "again", defaults=defaults) == r


@pytest.mark.parametrize("extra", [0, 1, 30])
def test_a_default_source_too_long_for_a_note_is_cut_to_500_characters(extra):
    suffix = " x 200,000 potential workers (2025)"
    source = "s" * (500 - len(suffix) + extra)
    defaults = _custom_defaults(lambda d: d["provinces"]["Kalimantan Barat"]["apbd_per_worker"].update(
        source=source))
    (apbd,) = parse_region(copy.deepcopy(MINIMAL), "baru", defaults=defaults).apbd
    full = source + suffix
    assert apbd.source == (full if extra == 0 else full[:497] + "...") and len(apbd.source) == 500


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(colour=1), ("region_defaults.yaml.colour", "unknown_field", {"name": "colour"},
                                    "unknown field 'colour'")),
    (lambda d: d.pop("groups"), ("region_defaults.yaml.groups", "missing_field", {"name": "groups"},
                                 "missing field 'groups'")),
    (lambda d: d["scalars"].pop("formal_share"), ("region_defaults.yaml.scalars.formal_share", "missing_field",
                                                  {"name": "formal_share"}, "missing field 'formal_share'")),
    (lambda d: d["scalars"]["apbd_growth_pct"].update(value=51), (
        "region_defaults.yaml.scalars.apbd_growth_pct.value", "out_of_range", {"min": -50, "max": 50, "value": 51},
        "51 is outside [-50, 50]")),
    (lambda d: d.update(provinces=["Kalimantan Barat"]), ("region_defaults.yaml.provinces", "not_a_mapping", {},
                                                          "expected a mapping of provinces")),
    (lambda d: d["provinces"]["Kalimantan Barat"].update(umk=1), (
        "region_defaults.yaml.provinces.Kalimantan Barat.umk", "unknown_field", {"name": "umk"},
        "unknown field 'umk'")),
    (lambda d: d["provinces"]["Kalimantan Barat"]["apbd_per_worker"].update(value=0.5), (
        "region_defaults.yaml.provinces.Kalimantan Barat.apbd_per_worker.value", "out_of_range",
        {"min": 1, "max": 1e9, "value": 0.5}, "0.5 is outside [1, 1000000000.0]")),
    (lambda d: d["provinces"]["Kalimantan Barat"]["apbd_per_worker"].update(value=1e9 + 1), (
        "region_defaults.yaml.provinces.Kalimantan Barat.apbd_per_worker.value", "out_of_range",
        {"min": 1, "max": 1e9, "value": 1e9 + 1}, "1000000001.0 is outside [1, 1000000000.0]")),
    (lambda d: d["provinces"]["Kalimantan Barat"]["min_wage"][0].update(value=-1), (
        "region_defaults.yaml.provinces.Kalimantan Barat.min_wage[0].value", "too_small", {"min": 0, "value": -1},
        "-1 is less than 0")),
    (lambda d: d["provinces"]["Kalimantan Barat"].update(worker_growth_pct={"value": 21, "source": "s",
                                                                            "certainty": "A"}), (
        "region_defaults.yaml.provinces.Kalimantan Barat.worker_growth_pct.value", "out_of_range",
        {"min": -20, "max": 20, "value": 21}, "21 is outside [-20, 20]")),
    (lambda d: d["provinces"].update({"P" * 121: {}}), (
        "region_defaults.yaml.provinces." + "P" * 121, "too_long", {"max": 120}, "text longer than 120 characters")),
    (lambda d: d.update(groups=[]), ("region_defaults.yaml.groups", "not_a_list", {}, "expected a non-empty list")),
    (lambda d: d.update(groups={"id": "a"}), ("region_defaults.yaml.groups", "not_a_list", {},
                                              "expected a non-empty list")),
    (lambda d: d["groups"][1]["per_1000_workers"].update(value=1000.5), (
        "region_defaults.yaml.groups[1].per_1000_workers.value", "out_of_range",
        {"min": 0, "max": 1000, "value": 1000.5}, "1000.5 is outside [0, 1000]")),
    (lambda d: d["groups"][0].update(members=d["groups"][0]["per_1000_workers"]), (
        "region_defaults.yaml.groups[0].members", "unknown_field", {"name": "members"}, "unknown field 'members'")),
    (lambda d: d["national_targets"].append(dict(d["national_targets"][0])), (
        "region_defaults.yaml.national_targets", "duplicate_id", {}, "target ids must be unique")),
    (lambda d: d["national_targets"][0].update(coverage_pct=100.01), (
        "region_defaults.yaml.national_targets[0].coverage_pct", "out_of_range",
        {"min": 0, "max": 100, "value": 100.01}, "100.01 is outside [0, 100]")),
])
def test_a_wrong_defaults_file_is_refused_with_the_place_code_params_and_message(change, expected):
    assert data_refusal(parse_region_defaults, defaults_with(change)) == expected


def test_a_province_with_only_some_defaults_and_a_group_of_1000_per_1000_load():
    def change(d):
        d["provinces"]["Bali"] = {}
        d["provinces"]["Kalimantan Barat"]["apbd_per_worker"]["value"] = 1e9
        d["groups"][0]["per_1000_workers"]["value"] = 1000
    defaults = _custom_defaults(change)
    assert defaults.provinces["Bali"].min_wage == () and defaults.provinces["Bali"].apbd_per_worker is None
    bali = parse_region(dict(copy.deepcopy(MINIMAL), province="Bali"), "b", defaults=defaults)
    assert bali.min_wage == () and bali.apbd == () and bali.groups[0].members.value == 200_000


def test_load_region_defaults_names_its_file(tmp_path):
    path = tmp_path / "bawaan.yaml"
    path.write_text(yaml.safe_dump(defaults_with(lambda d: d.update(colour=1))), encoding="utf-8")
    assert data_refusal(load_region_defaults, path)[:2] == ("bawaan.yaml.colour", "unknown_field")


def test_region_yaml_leaves_out_the_national_targets_of_the_defaults_it_is_given():
    other = _custom_defaults(lambda d: d["national_targets"][1].update(coverage_pct=50.0))
    r = parse_region(copy.deepcopy(MINIMAL), "baru", defaults=other)
    assert [t.coverage_pct for t in r.targets] == [34.99, 50.0]
    assert "targets" not in yaml.safe_load(region_yaml(r, other)) and "targets" not in region_data(r, other)
    # against the shipped defaults 50 % is the region's own, listed after a national one: all kept, in order
    assert [t["coverage_pct"] for t in region_data(r)["targets"]] == [34.99, 50.0]


def test_a_region_changing_a_national_target_keeps_its_own_in_its_data():
    national = load_region_defaults().national_targets
    own = dict(_as_json(dataclasses.asdict(national[1])), coverage_pct=50.0)
    own = {k: v for k, v in own.items() if v is not None}
    r = parse_region(dict(copy.deepcopy(MINIMAL), targets=[own]), "baru")
    assert [(t.id, t.coverage_pct) for t in r.targets] == [("rpjmn_2029", 50.0), ("rpjmn_2026", 34.99)]
    assert region_data(r)["targets"] == [own]
    assert parse_region(region_data(r), "again") == r
    # targets in another order than the file's: all kept, so that the order comes back too
    shuffled = dataclasses.replace(r, targets=(r.targets[1], r.targets[0]))
    assert [t["id"] for t in region_data(shuffled)["targets"]] == ["rpjmn_2026", "rpjmn_2029"]
    assert parse_region(region_data(shuffled), "again") == shuffled
    plain = parse_region(copy.deepcopy(MINIMAL), "baru")
    assert "targets" not in region_data(plain) and plain.targets == national


def test_the_shipped_region_ids_and_a_file_whose_id_is_not_its_name(tmp_path, monkeypatch):
    from simulation import data

    ids = region_ids()
    assert ids[0] == "pontianak" and list(ids[1:]) == sorted(ids[1:]) and "kalbar" in ids and len(ids) == 15
    assert data_refusal(load_region, "atlantis") == ("region", "unknown_region", {"region": "atlantis"},
                                                "unknown region 'atlantis'")
    for name in ("README.md", "_draft.yaml", ".hidden.yaml", "Besar.yaml", "kota_b.yaml", "kota_a.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(dict(MINIMAL, id="kota_lain")), encoding="utf-8")
    monkeypatch.setattr(data, "REGIONS_DIR", tmp_path)
    assert region_ids() == ("kota_a", "kota_b")
    load_region.cache_clear()
    try:
        assert data_refusal(load_region, "kota_a") == ("regions/kota_a.yaml.id", "id_mismatch", {},
                                                  "id 'kota_lain' differs from the file name")
        (tmp_path / "kota_b.yaml").write_text("id: [", encoding="utf-8")
        assert data_refusal(load_region, "kota_b")[:2] == ("kota_b.yaml", "bad_yaml")
    finally:
        load_region.cache_clear()


# ============================================================================ the scenario (simulation/scenario.py)
from simulation.scenario import (  # noqa: E402  (the scenario part of this file)
    MAX_GROUPS,
    MAX_JSON_BYTES,
    MAX_TARGETS,
    GroupScenario,
    Scenario,
    Target,
    default_scenario,
    parameter_defaults,
    scenario_from_region,
)


def test_the_scenario_defaults_are_the_shipped_parameters_and_the_documented_values():
    """PP 44/2015 and data/parameters.yaml: the Rp1,000,000 floor, JKM benefit Rp42 million (PP 82/2019), the city
    pays all; assumptions: 5 % wage indexation, 95 % take-up, 3 % drop-out, 0.2 % deaths and 0.3 % accidents a
    year, an average JKK claim of Rp8.5 million, take-up elasticity 0.8."""
    assert parameter_defaults() == {
        "base_custom_idr": 1_000_000, "indexation_pct": 5.0, "city_share": 1.0, "takeup_elasticity": 0.8,
        "jkm_incidence": 0.002, "jkk_incidence": 0.003, "jkk_claim_idr": 8_500_000, "jkm_claim_idr": 42_000_000,
        "take_up": 0.95, "dropout": 0.03}
    s = Scenario.from_dict({"groups": [{"id": "g", "name": "G"}]})
    assert s.to_dict() == {
        "name": "Skenario", "region": "pontianak", "start_year": 2026, "horizon_year": 2030, "route": "bpu",
        "risk_class": 1, "base": "floor", "base_custom_idr": 1_000_000, "indexation_pct": 5.0, "city_share": 1.0,
        "takeup_elasticity": 0.8, "budget_cap_idr": None, "compliance_mode": "none", "compliance_per_year": 0.0,
        "compliance_start_year": 2026, "worker_growth_pct": None, "jkm_incidence": 0.002, "jkk_incidence": 0.003,
        "jkk_claim_idr": 8_500_000, "jkm_claim_idr": 42_000_000, "targets": [], "schema_version": 1,
        "groups": [{"id": "g", "name": "G", "in_scope": True, "members": 0, "already_covered": 0.0, "take_up": 0.95,
                    "start_year": 2026, "phase_in_years": 1, "dropout": 0.03, "priority": 1}]}
    assert Scenario() == Scenario.from_dict({}) and GroupScenario(id="g", name="G") == s.groups[0]
    typed = s.to_dict()
    assert [type(typed[k]) for k in ("start_year", "base_custom_idr", "city_share", "risk_class")] == [
        int, float, float, int]
    assert type(typed["groups"][0]["members"]) is int and type(typed["groups"][0]["take_up"]) is float


EVERY_FIELD = {
    "name": "Semua", "region": "kalbar", "start_year": 2027, "horizon_year": 2035, "route": "pu",
    "risk_class": 3, "base": "custom", "base_custom_idr": 2_500_000.0, "base_custom_year": 2025,
    "indexation_pct": -2.5, "city_share": 0.6, "takeup_elasticity": 0.3, "budget_cap_idr": 5e9,
    "compliance_mode": "share", "compliance_per_year": 0.02, "compliance_start_year": 2028,
    "worker_growth_pct": -1.5, "jkm_incidence": 0.004, "jkk_incidence": 0.01, "jkk_claim_idr": 9e6,
    "jkm_claim_idr": 7e7, "schema_version": 1,
    "groups": [{"id": "nelayan", "name": "Nelayan", "in_scope": False, "members": 1234, "already_covered": 0.2,
               "take_up": 0.5, "start_year": 2029, "phase_in_years": 4, "dropout": 0.1, "priority": 7}],
    "targets": [{"id": "t45", "name": "Target 45", "year": 2031, "coverage_pct": 45.5}]
}


def test_a_scenario_goes_round_through_a_dict_and_json_with_every_field_changed():
    d = copy.deepcopy(EVERY_FIELD)
    s = Scenario.from_dict(d)
    assert s.to_dict() == d
    assert Scenario.from_json(s.to_json()) == s == Scenario.from_dict(s.to_dict())
    assert s.groups[0] == GroupScenario(**d["groups"][0]) and s.targets[0] == Target(**d["targets"][0])
    assert s.to_json(indent=None) == s.to_json(indent=None).strip() and "\n" not in s.to_json(indent=None)
    assert s.to_json().startswith('{\n  "base": "custom"')      # sorted keys, two spaces
    assert '"name": "Semua"' in s.to_json()
    accented = Scenario.from_json('{"name": "Skenario \u00e9"}'.encode())
    assert accented.name == "Skenario \u00e9" and '"name": "Skenario \u00e9"' in accented.to_json()   # as written


def _scenario(**changes) -> dict:
    d = {"groups": [{"id": "g", "name": "G"}], "targets": [{"id": "t", "name": "T", "year": 2028,
                                                            "coverage_pct": 45}]}
    d.update(changes)
    return d


def _grp(**changes) -> dict:
    return _scenario(groups=[{"id": "g", "name": "G", **changes}])


def _tgt(**changes) -> dict:
    return _scenario(targets=[{"id": "t", "name": "T", "year": 2028, "coverage_pct": 45, **changes}])


# (where, field, low, high, whole number): each bound is accepted, a step beyond it refused with the limits
SCENARIO_NUMBERS = [
    ("", "start_year", 2020, 2060, True), ("", "horizon_year", 2020, 2060, True), ("", "risk_class", 1, 5, True),
    ("", "base_custom_idr", 0, 1e9, False), ("", "base_custom_year", 2000, 2060, True),
    ("", "indexation_pct", -20, 50, False), ("", "city_share", 0, 1, False), ("", "takeup_elasticity", 0, 1, False),
    ("", "budget_cap_idr", 0, 1e15, False), ("", "compliance_per_year", 0, 10_000_000, False),
    ("", "compliance_start_year", 2020, 2060, True), ("", "worker_growth_pct", -20, 20, False),
    ("", "jkm_incidence", 0, 0.5, False), ("", "jkk_incidence", 0, 0.5, False),
    ("", "jkk_claim_idr", 0, 1e10, False), ("", "jkm_claim_idr", 0, 1e10, False),
    ("groups[0].", "members", 0, 10_000_000, True), ("groups[0].", "already_covered", 0, 1, False),
    ("groups[0].", "take_up", 0, 1, False), ("groups[0].", "start_year", 2020, 2060, True),
    ("groups[0].", "phase_in_years", 1, 10, True), ("groups[0].", "dropout", 0, 1, False),
    ("groups[0].", "priority", 1, 999, True), ("targets[0].", "year", 2020, 2060, True),
]


def _number_case(where: str, name: str, value) -> dict:
    if where == "groups[0].":
        return _grp(**{name: value})
    if where == "targets[0].":
        return _tgt(**{name: value})
    d = _scenario(**{name: value})
    if name in ("start_year", "horizon_year"):   # a horizon within 30 years of the start
        d.setdefault("start_year", max(2020, value - 30) if isinstance(value, int) else 2026)
        d.setdefault("horizon_year", d["start_year"])
    return d


@pytest.mark.parametrize(("where", "name", "lo", "hi", "whole"), SCENARIO_NUMBERS,
                         ids=[f"{w}{n}" for w, n, *_ in SCENARIO_NUMBERS])
def test_each_number_of_a_scenario_is_accepted_up_to_its_limits_and_refused_beyond(where, name, lo, hi, whole):
    for value in (lo, hi):
        s = Scenario.from_dict(_number_case(where, name, value))
        obj = s.groups[0] if where == "groups[0]." else s.targets[0] if where == "targets[0]." else s
        assert getattr(obj, name) == value and type(getattr(obj, name)) is (int if whole else float)
    step = 1 if whole else 0.5
    for value in (lo - step, hi + step):
        assert refusal(Scenario.from_dict, _number_case(where, name, value)) == (
            f"{where}{name}", "out_of_range", {"min": lo, "max": hi, "value": value},
            f"{value} is outside the allowed range {lo} to {hi}")
    if whole:
        assert refusal(Scenario.from_dict, _number_case(where, name, lo + 0.5)) == (
            f"{where}{name}", "expected_integer", {}, f"expected a whole number, got {lo + 0.5}")


# (where, field, longest, id pattern): the longest text is accepted (spaces around it trimmed), one more refused
SCENARIO_TEXTS = [("", "name", 120, False), ("", "region", 40, True), ("groups[0].", "id", 40, True),
                  ("groups[0].", "name", 80, False), ("targets[0].", "id", 40, True),
                  ("targets[0].", "name", 80, False)]


@pytest.mark.parametrize(("where", "name", "longest", "is_id"), SCENARIO_TEXTS,
                         ids=[f"{w}{n}" for w, n, *_ in SCENARIO_TEXTS])
def test_each_text_of_a_scenario_has_its_length_and_its_characters(where, name, longest, is_id):
    s = Scenario.from_dict(_number_case(where, name, " " + "a" * longest + " "))
    obj = s.groups[0] if where == "groups[0]." else s.targets[0] if where == "targets[0]." else s
    assert getattr(obj, name) == "a" * longest
    assert refusal(Scenario.from_dict, _number_case(where, name, "a" * (longest + 1))) == (
        f"{where}{name}", "bad_length", {"max": longest}, f"text must have 1 to {longest} characters")
    assert refusal(Scenario.from_dict, _number_case(where, name, "   ")) == (
        f"{where}{name}", "bad_length", {"max": longest}, f"text must have 1 to {longest} characters")
    assert refusal(Scenario.from_dict, _number_case(where, name, 7)) == (
        f"{where}{name}", "expected_text", {}, "expected text, got int")
    assert refusal(Scenario.from_dict, _number_case(where, name, "a\u200bb")) == (
        f"{where}{name}", "bad_text", {"value": "a<U+200B>b"}, "text contains control or invisible characters")
    if is_id:
        assert refusal(Scenario.from_dict, _number_case(where, name, "Kota Uji")) == (
            f"{where}{name}", "bad_id", {"name": "Kota Uji"}, "use only lower-case letters, digits, '-' and '_'")
        assert Scenario.from_dict(_number_case(where, name, "0a-1_b")).to_dict() is not None


@pytest.mark.parametrize(("data", "expected"), [
    (_scenario(city_share="1"), ("city_share", "expected_number", {"value": "1"}, "expected a number, got str")),
    (_scenario(city_share=None), ("city_share", "expected_number", {"value": "None"},
                                  "expected a number, got NoneType")),
    (_scenario(city_share=False), ("city_share", "expected_number", {"value": "False"}, "expected a number, got bool")),
    (_scenario(city_share="x\u202e" + "y" * 50), ("city_share", "expected_number",
                                                   {"value": "x<U+202E>" + "y" * 31}, "expected a number, got str")),
    (_scenario(city_share=math.nan), ("city_share", "expected_number", {"value": "nan"}, "expected a finite number")),
    (_scenario(start_year=10**400), ("start_year", "expected_number", {"value": "1" + "0" * 39},
                                     "expected a finite number")),
    (_scenario(route="BPU"), ("route", "bad_choice", {"choices": "bpu, bpu_jht, pu"},
                              "'BPU' is not one of bpu, bpu_jht, pu")),
    (_scenario(base="wage"), ("base", "bad_choice", {"choices": "floor, min_wage, custom"},
                              "'wage' is not one of floor, min_wage, custom")),
    (_scenario(compliance_mode="all"), ("compliance_mode", "bad_choice", {"choices": "none, count, share"},
                                        "'all' is not one of none, count, share")),
    (_scenario(schema_version=2), ("schema_version", "bad_version", {}, "unsupported version 2")),
    (_scenario(schema_version="1"), ("schema_version", "bad_version", {}, "unsupported version '1'")),
    (_scenario(colour="red", alpha=1), ("alpha", "unknown_field", {"name": "alpha"}, "unknown field 'alpha'")),
    (_scenario(**{"k" * 70: 1}), ("k" * 70, "unknown_field", {"name": "k" * 60}, f"unknown field {'k' * 70!r}")),
    (_grp(zeta=1, beta=2), ("groups[0].beta", "unknown_field", {"name": "beta"}, "unknown field 'beta'")),
    (_tgt(colour=1), ("targets[0].colour", "unknown_field", {"name": "colour"}, "unknown field 'colour'")),
    ([], ("scenario", "expected_object", {}, "expected an object")),
    (_scenario(groups=[[]]), ("groups[0]", "expected_object", {}, "expected an object")),
    (_scenario(targets=["t"]), ("targets[0]", "expected_object", {}, "expected an object")),
    (_scenario(groups=[{"name": "G"}]), ("groups[0].id", "missing_field", {"name": "id"}, "missing field 'id'")),
    (_scenario(groups=[{"id": "g"}]), ("groups[0].name", "missing_field", {"name": "name"}, "missing field 'name'")),
    (_scenario(targets=[{"name": "T", "year": 2028, "coverage_pct": 45}]),
     ("targets[0].id", "missing_field", {"name": "id"}, "missing field 'id'")),
    (_scenario(targets=[{"id": "t", "year": 2028, "coverage_pct": 45}]),
     ("targets[0].name", "missing_field", {"name": "name"}, "missing field 'name'")),
    (_scenario(targets=[{"id": "t", "name": "T", "coverage_pct": 45}]),
     ("targets[0].year", "missing_field", {"name": "year"}, "missing field 'year'")),
    (_grp(in_scope=1), ("groups[0].in_scope", "expected_bool", {}, "expected true or false")),
    (_scenario(groups={"id": "g"}), ("groups", "bad_list", {"max": 60}, "expected a list of at most 60 groups")),
    (_scenario(targets={"id": "t"}), ("targets", "bad_list", {"max": 20}, "expected a list of at most 20 targets")),
    (_scenario(targets=[{"id": f"t{i}", "name": "T", "year": 2028, "coverage_pct": 45} for i in range(21)]),
     ("targets", "bad_list", {"max": 20}, "expected a list of at most 20 targets")),
    (_scenario(groups=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "a", "name": "C"}]),
     ("groups[2].id", "duplicate_id", {"name": "a"}, "group id 'a' appears twice")),
    (_scenario(start_year=2030, horizon_year=2029), ("horizon_year", "horizon_before_start", {},
                                                     "the horizon must not be before the start year")),
    (_scenario(start_year=2026, horizon_year=2057), ("horizon_year", "out_of_range",
                                                     {"min": 2026, "max": 2056, "value": 2057},
                                                     "at most 30 years can be projected")),
    (_scenario(compliance_mode="share", compliance_per_year=1.5), (
        "compliance_per_year", "out_of_range", {"min": 0, "max": 1, "value": 1.5}, "a share must be between 0 and 1")),
    (_tgt(coverage_pct="45"), ("targets[0].coverage_pct", "expected_number", {"value": "45"},
                               "expected a number, got str")),
    (_tgt(coverage_pct=0.45), ("targets[0].coverage_pct", "ambiguous_percent", {"value": 0.45, "percent": 45.0},
                               "0.45 reads as 0.45 %: did you mean 45 %? Write 45 (or 0.45% if you really mean "
                               "less than 1 %)")),
    (_tgt(coverage_pct=244_236), ("targets[0].coverage_pct", "count_not_percent", {"value": 244_236},
                                  "244236 is not a percentage (more than 100: a count of persons?); write the share "
                                  "of potential workers between 0 and 100")),
    (_tgt(coverage_pct=-0.5), ("targets[0].coverage_pct", "out_of_range", {"min": 0.0, "max": 100.0, "value": -0.5},
                               "a percentage must be between 0 and 100 %, got -0.5")),
])
def test_a_wrong_scenario_is_refused_with_the_place_code_params_and_message(data, expected):
    assert refusal(Scenario.from_dict, data) == expected


def test_a_scenario_at_the_edges_of_its_cross_field_rules_and_lists_loads():
    assert Scenario.from_dict(_scenario(start_year=2026, horizon_year=2056)).horizon_year == 2056
    assert Scenario.from_dict(_scenario(start_year=2026, horizon_year=2026)).horizon_year == 2026
    assert Scenario.from_dict(_scenario(compliance_mode="share", compliance_per_year=1)).compliance_per_year == 1
    assert Scenario.from_dict(_scenario(compliance_mode="count", compliance_per_year=5)).compliance_per_year == 5
    many = Scenario.from_dict(_scenario(
        groups=[{"id": f"g{i}", "name": "G"} for i in range(MAX_GROUPS)],
        targets=[{"id": f"t{i}", "name": "T", "year": 2028, "coverage_pct": 45} for i in range(MAX_TARGETS)]))
    assert (len(many.groups), len(many.targets)) == (60, 20) == (MAX_GROUPS, MAX_TARGETS)
    assert [t.coverage_pct for t in Scenario.from_dict(_scenario(targets=[
        {"id": "a", "name": "A", "year": 2028, "coverage_pct": 0}, {"id": "b", "name": "B", "year": 2028,
                                                                    "coverage_pct": 100},
        {"id": "c", "name": "C", "year": 2028, "coverage_pct": 1}])).targets] == [0, 100, 1]
    assert Scenario.from_dict(_scenario(base_custom_year=None, budget_cap_idr=None,
                                        worker_growth_pct=None)).budget_cap_idr is None
    assert Scenario.from_dict(_scenario(risk_class=5.0, schema_version=1)).risk_class == 5


def test_a_target_read_alone_says_where_it_is():
    t = Target.from_dict({"id": "kota_2030", "name": " Kota 2030 ", "year": 2030.0, "coverage_pct": 50}, "x")
    assert t == Target(id="kota_2030", name="Kota 2030", year=2030, coverage_pct=50.0)
    assert type(t.year) is int and type(t.coverage_pct) is float
    assert refusal(Target.from_dict, {"id": "k", "name": "K", "year": 2030}, "targets[3]") == (
        "targets[3].coverage_pct", "missing_field", {"name": "coverage_pct"}, "missing field 'coverage_pct'")
    assert refusal(Target.from_dict, "k", "targets[3]") == ("targets[3]", "expected_object", {},
                                                           "expected an object")
    g = GroupScenario.from_dict({"id": "g", "name": "G", "take_up": 0.5}, "groups[4]")
    assert (g.take_up, g.dropout) == (0.5, 0.03)
    assert refusal(GroupScenario.from_dict, {"id": "g"}, "groups[4]")[:2] == ("groups[4].name", "missing_field")
    rates = load_parameters().replace_value("behaviour.dropout", 0.2)
    assert GroupScenario.from_dict({"id": "g", "name": "G"}, "g", rates).dropout == 0.2


def test_a_scenario_file_too_large_or_not_json_is_refused_as_a_file_problem():
    padded = "{}" + " " * (MAX_JSON_BYTES - 2)
    assert Scenario.from_json(padded) == Scenario() == Scenario.from_json(padded.encode())
    for too_big in (padded + " ", (padded + " ").encode()):
        assert refusal(Scenario.from_json, too_big) == (
            "file", "too_large", {"size": "201 kB", "limit": "200 kB"}, "larger than 200 kB")
    assert refusal(Scenario.from_json, "{" + " " * 250_000) == (
        "file", "too_large", {"size": "251 kB", "limit": "200 kB"}, "larger than 200 kB")
    assert refusal(Scenario.from_json, '{\n  "name": "a",\n}') == (
        "file", "bad_json", {"line": 3, "column": 1},
        "not valid JSON (line 3, column 1): Expecting property name enclosed in double quotes")
    assert refusal(Scenario.from_json, b"\xff\xfe") == ("file", "not_text", {}, "not UTF-8 text")
    assert refusal(Scenario.from_json, "[" * 100_000) == ("file", "bad_json", {}, "nested too deeply")
    field, code, params, message = refusal(Scenario.from_json, '{"start_year": ' + "1" * 5_000 + "}")
    assert (field, code, params) == ("file", "bad_json", {}) and message.startswith("not valid JSON: ")
    assert Scenario.from_json("\ufeff{}".encode()) == Scenario()


def test_changed_copies_and_a_groups_lookup():
    s = default_scenario()
    assert s.group("rt_heads") == s.groups[0]
    assert refusal(s.group, "nobody") == ("groups", "unknown_group", {"group": "nobody"}, "no group 'nobody'")
    assert refusal(s.with_group, "nobody", members=1) == (
        "groups", "unknown_group", {"group": "nobody"}, "no group 'nobody'")
    fewer = s.with_group("rt_heads", members=10, in_scope=False)
    assert (fewer.group("rt_heads").members, fewer.group("rt_heads").in_scope) == (10, False)
    assert fewer.groups[1:] == s.groups[1:] and fewer.name == s.name
    as_dicts = s.replace(groups=[dataclasses.asdict(g) for g in s.groups[:2]], targets=[
        {"id": "t", "name": "T", "year": 2030, "coverage_pct": 50}], name="Dua")
    assert as_dicts.groups == s.groups[:2] and as_dicts.targets == (Target("t", "T", 2030, 50.0),)
    assert as_dicts.name == "Dua" and s.replace(targets=s.targets) == s
    assert s.replace(targets=list(s.targets)).targets == s.targets
    assert s.content_hash == Scenario.from_json(s.to_json()).content_hash and len(s.content_hash) == 12


def test_the_scenario_of_a_region_has_its_groups_in_order_and_its_targets_in_the_readers_language():
    """Pontianak's 2026 agreement (11 Feb 2026): 5,746 participants in 7 groups; 6 candidate groups outside it."""
    region = load_region("pontianak")
    s = scenario_from_region(region, start_year=2027, horizon_year=2029, lang="en")
    assert (s.name, s.region, s.start_year, s.horizon_year) == ("Kesepakatan 2026", "pontianak", 2027, 2029)
    assert [g.priority for g in s.groups] == list(range(1, len(region.groups) + 1))
    assert [g.id for g in s.groups] == [g.id for g in region.groups]
    assert [g.name for g in s.groups] == [g.name_en for g in region.groups]
    assert all(g.start_year == 2027 and g.phase_in_years == 1 for g in s.groups)
    assert [g.in_scope for g in s.groups] == [g.agreement for g in region.groups]
    assert [(g.take_up, g.dropout, g.already_covered) for g in s.groups] == [
        (g.take_up.value, g.dropout.value, g.already_covered.value) for g in region.groups]
    assert sum(g.members for g in s.groups if g.in_scope) == 5_746
    first = region.groups[0]
    assert (s.groups[0].members, s.groups[0].take_up, s.groups[0].dropout, s.groups[0].already_covered) == (
        int(first.members.value), first.take_up.value, first.dropout.value, first.already_covered.value)
    assert [(t.id, t.name, t.year, t.coverage_pct) for t in s.targets] == [
        (t.id, t.name_en, t.year, t.coverage_pct) for t in region.targets]
    wide = scenario_from_region("pontianak", agreement_only=False)
    assert all(g.in_scope for g in wide.groups) and wide.groups[0].name == first.name_id
    assert (wide.start_year, wide.horizon_year, wide.name) == (2026, 2030, "Kesepakatan 2026")
    assert default_scenario().name == default_scenario("id").name == "Kesepakatan 2026 (Pontianak)"
    assert default_scenario().groups[0].name == first.name_id
    plain = scenario_from_region()                       # Pontianak in Indonesian
    assert plain.region == "pontianak" and plain == scenario_from_region("pontianak", lang="id")
    assert [t.name for t in plain.targets] == [t.name_id for t in region.targets]
    assert plain.targets[0].name != s.targets[0].name
    assert default_scenario("en").name == "2026 agreement (Pontianak)"
    assert default_scenario("en").groups[0].name == first.name_en
    richer = load_parameters().replace_value("claim.jkk_average", 9e6)
    assert default_scenario(parameters=richer).jkk_claim_idr == 9e6
    assert scenario_from_region("kalbar").region == "kalbar"
    with pytest.raises(ValidationError):
        scenario_from_region(region, start_year=2030, horizon_year=2029)


# ============================================================================ the percent rule (simulation/units.py)
from simulation.units import (  # noqa: E402  (the units part of this file)
    AMBIGUOUS_BELOW,
    column_of_shares,
    is_money_column,
    is_person_column,
    percent_value,
    percent_values,
    share_among_percents,
)


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    (45, {}, 45.0), ("45.5", {}, 45.5), (1, {}, 1.0), (AMBIGUOUS_BELOW, {}, 1.0), (99.99, {}, 99.99),
    (0.45, {"written_with_percent_sign": True}, 0.45), (0, {"open_interval": False}, 0.0),
    (100, {"open_interval": False}, 100.0), (5, {"lo": 5, "open_interval": False}, 5.0),
    (10, {"hi": 10, "open_interval": False}, 10.0),
])
def test_a_percentage_is_read_as_written(value, kwargs, expected):
    got = percent_value(value, "target", **kwargs)
    assert got == expected and type(got) is float


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    ("empat lima", {}, ("target", "expected_number", {"value": "empat lima"},
                        "expected a percentage, got 'empat lima'")),
    (None, {}, ("target", "expected_number", {"value": "None"}, "expected a percentage, got None")),
    ("9" * 45 + "x", {}, ("target", "expected_number", {"value": "9" * 40}, f"expected a percentage, got "
                                                                             f"{'9' * 45 + 'x'!r}")),
    (math.nan, {}, ("target", "expected_number", {"value": "nan"}, "expected a percentage, got nan")),
    ("inf", {}, ("target", "expected_number", {"value": "inf"}, "expected a percentage, got 'inf'")),
    ("inf" + " " * 45, {}, ("target", "expected_number", {"value": "inf" + " " * 37},
                            f"expected a percentage, got {'inf' + ' ' * 45!r}")),   # a cell with trailing spaces
    (244_236, {}, ("target", "count_not_percent", {"value": 244_236.0},
                   "244236 is not a percentage (more than 100: a count of persons?); write the share of potential "
                   "workers between 0 and 100")),
    (100.5, {"hi": 200}, ("target", "count_not_percent", {"value": 100.5},
                          "100.5 is not a percentage (more than 100: a count of persons?); write the share of "
                          "potential workers between 0 and 100")),
    (0.4186, {}, ("target", "ambiguous_percent", {"value": 0.4186, "percent": 41.86},
                  "0.4186 reads as 0.4186 %: did you mean 41.86 %? Write 41.86 (or 0.4186% if you really mean less "
                  "than 1 %)")),
    (0.123456789, {}, ("target", "ambiguous_percent", {"value": 0.123456789, "percent": 12.345679},
                       "0.123457 reads as 0.123457 %: did you mean 12.3457 %? Write 12.3457 (or 0.123457% if you "
                       "really mean less than 1 %)")),
    (0.999, {}, ("target", "ambiguous_percent", {"value": 0.999, "percent": 99.9},
                 "0.999 reads as 0.999 %: did you mean 99.9 %? Write 99.9 (or 0.999% if you really mean less than "
                 "1 %)")),
    (0, {}, ("target", "out_of_range", {"min": 0.0, "max": 100.0, "value": 0.0},
             "a percentage must be between 0 and 100 %, got 0")),
    (100, {}, ("target", "out_of_range", {"min": 0.0, "max": 100.0, "value": 100.0},
               "a percentage must be between 0 and 100 %, got 100")),
    (-3, {}, ("target", "out_of_range", {"min": 0.0, "max": 100.0, "value": -3.0},
              "a percentage must be between 0 and 100 %, got -3")),
    (4, {"lo": 5, "open_interval": False}, ("target", "out_of_range", {"min": 5, "max": 100.0, "value": 4.0},
                                            "a percentage must be between 5 and 100 %, got 4")),
    (11, {"hi": 10, "open_interval": False}, ("target", "out_of_range", {"min": 0.0, "max": 10, "value": 11.0},
                                              "a percentage must be between 0 and 10 %, got 11")),
    (5, {"lo": 5}, ("target", "out_of_range", {"min": 5, "max": 100.0, "value": 5.0},
                    "a percentage must be between 5 and 100 %, got 5")),
])
def test_a_value_that_is_no_percentage_is_refused_with_the_suggestion(value, kwargs, expected):
    assert refusal(percent_value, value, "target", **kwargs) == expected


def test_a_column_of_shares_and_a_share_among_percentages():
    assert column_of_shares([0.3835, 0.4086]) and column_of_shares([0, 1]) and column_of_shares(["0.5"])
    assert not column_of_shares([0, 0]) and not column_of_shares([]) and not column_of_shares([0.5, 1.01])
    assert not column_of_shares([-0.1, 0.5])
    assert share_among_percents(0.4186, [38.35, 40.86])
    assert share_among_percents(1, [100]) and share_among_percents(0.1919, [38.35])   # x100 within half ...
    assert not share_among_percents(0.19, [38.35]) and share_among_percents(0.767, [38.35])  # ... and twice
    assert not share_among_percents(0.768, [38.35]) and not share_among_percents(0, [38.35])
    assert not share_among_percents(1.01, [100]) and not share_among_percents(0.4, [])
    assert share_among_percents(0.5, ["40", "60"])
    assert share_among_percents(0.25, [50]) and share_among_percents(0.5, [25])   # exactly half and twice: among
    assert percent_values([0.3835, 0.4086], "c") == ([38.35, 40.86], True)
    assert percent_values([0.5], "c", written_with_percent_sign=True) == ([0.5], False)
    assert percent_values([0.3835, 0.4086], "c", written_with_percent_sign=True) == ([0.3835, 0.4086], False)
    assert percent_values(["0", "100"], "c") == ([0.0, 100.0], False)
    assert refusal(percent_values, [40, 101], "coverage_2024") == (
        "coverage_2024", "count_not_percent", {"value": 101.0},
        "101 is not a percentage (more than 100: a count of persons?); write the share of potential workers between "
        "0 and 100")


def test_which_columns_are_money_and_which_count_persons():
    assert is_money_column("cost_idr") and not is_money_column("cost_share_apbd_pct")
    assert not is_money_column("idr_total")
    assert all(is_person_column(c) for c in ("potential_workers", "covered_workers", "uncovered_workers",
                                              "pbi_participants", "pbi_added_net", "compliance_added",
                                              "participants", "added_net", "members"))
    assert not is_person_column("expected_jkm_claims") and not is_person_column("coverage_pct")


# ============================================================================ identities
def _canonical_hash(d: dict) -> str:
    import hashlib
    import json

    blob = json.dumps(d, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def test_identities_are_the_first_12_hex_digits_of_sha256_of_the_canonical_json():
    """A saved scenario or region snapshot is found again by this identity: it must not move with key order, spacing
    or non-ASCII text. The scenario with every field set (above) had the identity 14e9ca094cad on 2026-12-04; a
    change of it moves every saved identity (then say why in the commit)."""
    region = load_region("kab_landak")
    assert region.content_hash == _canonical_hash(region.to_dict())
    s = Scenario.from_dict({**EVERY_FIELD, "name": "Skenario \u00e9"})
    assert s.content_hash == _canonical_hash(s.to_dict())
    assert Scenario.from_dict(EVERY_FIELD).content_hash == "14e9ca094cad"
