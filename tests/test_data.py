"""The shipped data: every figure has a source and a certainty, and bad files are refused by name.

Figures checked against /work/shared/DOMAIN.md (public news and government pages).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
import yaml

from simulation.data import (
    REGIONS_DIR,
    Target,
    load_region,
    parse_region,
    region_ids,
)
from simulation.errors import DataFileError
from simulation.parameters import PARAMETERS_FILE, ParameterValue, load_parameters, parse_parameters
from simulation.sourced import CERTAINTIES, Sourced

REGION_FILES = sorted(REGIONS_DIR.glob("*.yaml"))


def raw(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def raw_parameters():
    return copy.deepcopy(raw(PARAMETERS_FILE))


@pytest.fixture
def raw_pontianak():
    return copy.deepcopy(raw(REGIONS_DIR / "pontianak.yaml"))


# ---------------------------------------------------------------------------- every value is sourced
def _sourced_values(obj, where=""):
    """Every sourced value inside a loaded object, with where it sits."""
    if isinstance(obj, (Sourced, ParameterValue, Target)):
        yield where, obj
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _sourced_values(getattr(obj, f.name), f"{where}.{f.name}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _sourced_values(v, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _sourced_values(v, f"{where}.{k}")


def _raw_values(obj, where=""):
    """Every mapping in a raw YAML file that holds a figure (a value or a coverage)."""
    if isinstance(obj, dict):
        if "value" in obj or "coverage_pct" in obj:
            yield where, obj
        for k, v in obj.items():
            yield from _raw_values(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _raw_values(v, f"{where}[{i}]")


@pytest.mark.parametrize("path", [PARAMETERS_FILE, *REGION_FILES], ids=lambda p: p.name)
def test_every_figure_in_the_files_has_a_source_and_a_certainty(path):
    figures = list(_raw_values(raw(path)))
    # a complete file holds more than ten figures; a starter region (issue 12) lists what it lacks under missing:
    assert len(figures) > (0 if raw(path).get("missing", {}).keys() - {"targets"} else 10)
    for where, d in figures:
        assert str(d.get("source", "")).strip(), f"{path.name}{where}: no source"
        assert d.get("certainty") in CERTAINTIES, f"{path.name}{where}: certainty {d.get('certainty')!r}"


@pytest.mark.parametrize("region_id", region_ids())
def test_every_loaded_region_value_has_a_source_and_a_certainty(region_id):
    values = list(_sourced_values(load_region(region_id)))
    # history, workers, growth, formal share and coverage, wages, budget, 4 per group, targets
    assert len(values) >= 10
    for where, v in values:
        assert v.source.strip(), f"{region_id}{where}: no source"
        assert v.certainty in CERTAINTIES, f"{region_id}{where}: certainty {v.certainty!r}"


def test_every_loaded_parameter_value_has_a_source_and_a_certainty():
    params = load_parameters()
    for pid, p in params.items.items():
        assert p.label("id").strip() and p.label("en").strip() and p.unit, pid
        assert p.label("id") != p.label("en"), f"{pid}: the Indonesian label is a copy of the English one"
        for v in p.values:
            assert v.source.strip(), pid
            assert v.certainty in CERTAINTIES, pid


def test_a_parameter_label_is_read_from_its_file_entry_in_each_language(raw_parameters):
    label = raw_parameters["parameters"]["bpu.jkm_flat"]["label"]
    p = load_parameters()["bpu.jkm_flat"]
    assert (p.label("id"), p.label("en")) == (label["id"], label["en"])
    assert p.label("fr") == label["id"]      # a language without labels reads the default (Indonesian)


def test_a_modified_parameter_set_leaves_the_shipped_one_as_it_was():
    shipped = load_parameters()
    changed = shipped.replace_value("bpu.jkm_flat", 7_000)
    assert changed.value("bpu.jkm_flat", dt.date(2026, 1, 1)) == 7_000
    assert changed.value("bpu.jkm_flat", dt.date(2020, 9, 1)) == 68        # older values stay
    assert shipped.value("bpu.jkm_flat", dt.date(2026, 1, 1)) == 6_800
    assert load_parameters().value("bpu.jkm_flat", dt.date(2026, 1, 1)) == 6_800
    dated = shipped.replace_value("bpu.jkm_flat", 8_000, since=dt.date(2027, 1, 1))
    assert dated.value("bpu.jkm_flat", dt.date(2026, 12, 1)) == 6_800
    assert dated.value("bpu.jkm_flat", dt.date(2027, 1, 1)) == 8_000


def test_still_valid_on_stamp_is_not_older_than_the_newest_value():
    # STYLE point 2: a hand-kept "still valid on" stamp rots unless a test checks it
    params = load_parameters()
    newest = max(v.since for p in params.items.values() for v in p.values)
    assert params.still_valid_on >= newest, (
        f"parameters.yaml still_valid_on {params.still_valid_on} is older than a value in force since {newest}: "
        "check the newest values and move the stamp")


# ---------------------------------------------------------------------------- the figures a policymaker quotes
def test_pontianak_published_figures():
    r = load_region("pontianak")
    history = {v.year: v.value for v in r.coverage_history}
    assert history[2023] == 38.35     # Pemkot Pontianak & BPJS Ketenagakerjaan, MoU 20 Jan 2025 [H]
    assert history[2024] == 40.86     # idem [H]
    assert r.potential_workers_in(2024) == 244_236   # 2024 denominator of coverage [M]
    assert r.min_wage_in(2024, 0) == 2_840_206       # UMK 2024 [H]
    assert r.min_wage_in(2025, 0) == 3_024_820       # UMK 2025 [H]
    assert r.min_wage_in(2026, 0) == 3_205_220       # UMK 2026, wage council [M]
    targets = {t.id: (t.year, t.coverage_pct) for t in r.targets}
    assert targets["city_2026"] == (2026, 45.0)      # the city's own target [M]
    assert targets["rpjmn_2029"] == (2029, 43.92)    # RPJMN 2025-2029 [M]


def test_pontianak_2026_agreement_covers_5746_social_workers():
    # second agreement, 11 Feb 2026: 5,746 participants in all [H]
    r = load_region("pontianak")
    assert sum(g.members.value for g in r.groups if g.agreement) == 5_746


def test_pontianak_rt_and_rw_heads_add_up_to_the_2024_count():
    r = load_region("pontianak")
    assert r.group("rt_heads").members.value + r.group("rw_heads").members.value == 3_259   # 2024 [H]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("bpu.jkk_rate", 0.01),             # JKK 1 % of declared income
        ("bpu.jkm_flat", 6_800),            # JKM Rp6,800 a month
        ("bpu.income_floor", 1_000_000),    # lowest declared income
        ("bpu.jht_rate", 0.02),             # optional JHT 2 %
        ("pu.jkm_rate", 0.003),             # wage earners' JKM 0.30 %
        ("benefit.jkm_total", 42_000_000),  # JKM benefit Rp42 million (PP 82/2019)
    ],
)
def test_regulated_figures_in_force_in_2026(key, value):
    assert load_parameters().value(key, dt.date(2026, 1, 1)) == pytest.approx(value)


def test_pontianak_2025_scheme_record():
    """faktakalbar 2026-02-11: the APBD paid Rp356 million of contributions; claims paid were Rp3.06 billion."""
    (rec,) = load_region("pontianak").scheme_record
    assert (rec.year, rec.contributions_idr, rec.claims_idr) == (2025, 356_000_000, 3_060_000_000)
    assert rec.certainty == "M" and rec.source_date == dt.date(2026, 2, 11) and "faktakalbar" in rec.source
    assert rec.claims_to_contributions == pytest.approx(8.6, abs=0.01)


def test_a_region_without_a_record_keeps_its_identity():
    kalbar = load_region("kalbar")
    assert kalbar.scheme_record == ()
    assert "scheme_record" not in kalbar.to_dict()
    pontianak = load_region("pontianak")
    assert parse_region(pontianak.to_dict(), R) == pontianak          # the record goes round through a dict
    assert dataclasses.replace(pontianak, scheme_record=()).content_hash != pontianak.content_hash


def test_kalbar_loads_too():
    r = load_region("kalbar")
    assert r.kind == "provinsi"
    assert r.potential_workers_in(2022) == 1_786_809   # Nov 2022 [M]
    assert len(r.groups) >= 3
    assert set(region_ids()) >= {"pontianak", "kalbar"}
    assert region_ids()[0] == "pontianak"              # the default region comes first


def test_unknown_region_is_refused():
    with pytest.raises(DataFileError) as err:
        load_region("atlantis")
    assert err.value.field == "region"


def test_parameter_lookup_before_any_value_is_refused():
    with pytest.raises(DataFileError) as err:
        load_parameters().value("bpu.jkm_flat", dt.date(2010, 1, 1))
    assert "bpu.jkm_flat" in err.value.field


# ---------------------------------------------------------------------------- strict loading: parameters
def _set(d, path, value):
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value


def _delete(d, path):
    for k in path[:-1]:
        d = d[k]
    del d[path[-1]]


P = "parameters.yaml: bpu.jkm_flat"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        # an unknown key in a value (a typo such as "sourse" must not pass silently)
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "sourse"], "x"), f"{P}.values[0].sourse",
         "unknown_field"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "lable"], "x"), f"{P}.lable", "unknown_field"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "label", "fr"], "x"), f"{P}.label.fr", "unknown_field"),
        (lambda d: _set(d, ["colour"], "x"), "parameters.yaml.colour", "unknown_field"),
        # a missing key
        (lambda d: _delete(d, ["parameters", "bpu.jkm_flat", "values", 0, "source"]), f"{P}.values[0].source",
         "missing_field"),
        (lambda d: _delete(d, ["parameters", "bpu.jkm_flat", "unit"]), f"{P}.unit", "missing_field"),
        (lambda d: _delete(d, ["parameters", "bpu.jkm_flat", "label"]), f"{P}.label", "missing_field"),
        (lambda d: _delete(d, ["parameters", "bpu.jkm_flat", "label", "en"]), f"{P}.label.en", "missing_field"),
        # a label that is no text, a unit nobody formats
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "label"], "JKM"), f"{P}.label", "not_a_mapping"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "label", "id"], " "), f"{P}.label.id", "expected_text"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "unit"], "Rp/bulan"), f"{P}.unit", "bad_choice"),
        (lambda d: _delete(d, ["still_valid_on"]), "parameters.yaml.still_valid_on", "missing_field"),
        # a bad date
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "since"], "2020-13-01"),
         f"{P}.values[0].since", "expected_date"),
        (lambda d: _set(d, ["still_valid_on"], "last week"), "parameters.yaml.still_valid_on", "expected_date"),
        # dates out of order or twice
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 1, "since"], dt.date(2015, 7, 1)),
         f"{P}.values", "unsorted_dates"),
        # out of range, wrong type, bad certainty
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "value"], -6_800), f"{P}.values[0].value",
         "too_small"),   # a floor only (at least 0): not "between 0 and None"
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "value"], "6.800"), f"{P}.values[0].value",
         "expected_number"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "value"], 10**400), f"{P}.values[0].value",
         "expected_number"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "certainty"], "high"),
         f"{P}.values[0].certainty", "bad_certainty"),
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values"], []), f"{P}.values", "not_a_list"),
        # a value's optional source date must be a date
        (lambda d: _set(d, ["parameters", "bpu.jkm_flat", "values", 0, "source_date"], "mid-2024"),
         f"{P}.values[0].source_date", "expected_date"),
    ],
)
def test_bad_parameter_file_is_refused_naming_file_and_field(raw_parameters, change, field, code):
    parse_parameters(copy.deepcopy(raw_parameters))   # the unchanged copy loads
    change(raw_parameters)
    with pytest.raises(DataFileError) as err:
        parse_parameters(raw_parameters)
    assert err.value.field == field
    assert err.value.code == code


# ---------------------------------------------------------------------------- strict loading: regions
R = "regions/pontianak.yaml"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda d: _set(d, ["mayor"], "x"), f"{R}.mayor", "unknown_field"),
        (lambda d: _set(d, ["groups", 0, "members", "sorce"], "x"), f"{R}.groups[0].members.sorce", "unknown_field"),
        # potential workers may be left out (issue 12: the region is then not ready); id, name, kind, province not
        (lambda d: _delete(d, ["province"]), f"{R}.province", "missing_field"),
        (lambda d: _set(d, ["kind"], "city"), f"{R}.kind", "bad_choice"),
        (lambda d: _set(d, ["missing"], {"potential_workers": "BPS, 2026"}), f"{R}.missing.potential_workers",
         "missing_but_given"),
        (lambda d: _delete(d, ["groups", 2, "take_up", "certainty"]), f"{R}.groups[2].take_up.certainty",
         "missing_field"),
        (lambda d: _set(d, ["coverage_history", 0, "source_date"], "20 Jan 2025"),
         f"{R}.coverage_history[0].source_date", "expected_date"),
        # the same year twice in a history
        (lambda d: _set(d, ["coverage_history", 1, "year"], 2023), f"{R}.coverage_history", "duplicate_year"),
        (lambda d: _set(d, ["min_wage", 1, "year"], 2024), f"{R}.min_wage", "duplicate_year"),
        # a coverage above 100 %, a share above 1, a negative count
        (lambda d: _set(d, ["coverage_history", 0, "coverage_pct"], 140), f"{R}.coverage_history[0].coverage_pct",
         "out_of_range"),
        (lambda d: _set(d, ["groups", 0, "take_up", "value"], 1.5), f"{R}.groups[0].take_up.value", "out_of_range"),
        (lambda d: _set(d, ["groups", 0, "members", "value"], -1), f"{R}.groups[0].members.value", "out_of_range"),
        (lambda d: _set(d, ["targets", 0, "coverage_pct"], 101), f"{R}.targets[0].coverage_pct", "out_of_range"),
        (lambda d: _set(d, ["formal_share", "value"], 55), f"{R}.formal_share.value", "out_of_range"),
        (lambda d: _set(d, ["coverage_history", 0, "year"], 1945), f"{R}.coverage_history[0].year", "expected_year"),
        (lambda d: _set(d, ["groups", 0, "certainty"], "H"), f"{R}.groups[0].certainty", "unknown_field"),
        (lambda d: _set(d, ["groups", 0, "agreement"], "yes"), f"{R}.groups[0].agreement", "expected_bool"),
        (lambda d: _set(d, ["groups", 1, "id"], "rt_heads"), f"{R}.groups", "duplicate_id"),
        (lambda d: _set(d, ["missing"], {"mayor": "x"}), f"{R}.missing.mayor", "unknown_field"),
        (lambda d: _set(d, ["worker_growth_pct", "certainty"], "?"), f"{R}.worker_growth_pct.certainty",
         "bad_certainty"),
        # the scheme record: strict like the rest
        (lambda d: _set(d, ["scheme_record", 0, "claims"], 1), f"{R}.scheme_record[0].claims", "unknown_field"),
        (lambda d: _delete(d, ["scheme_record", 0, "source"]), f"{R}.scheme_record[0].source", "missing_field"),
        (lambda d: _set(d, ["scheme_record", 0, "claims_idr"], -1), f"{R}.scheme_record[0].claims_idr",
         "out_of_range"),
        (lambda d: _set(d, ["scheme_record", 0, "contributions_idr"], 0), f"{R}.scheme_record[0].contributions_idr",
         "out_of_range"),
        (lambda d: _set(d, ["scheme_record", 0, "contributions_idr"], "356 juta"),
         f"{R}.scheme_record[0].contributions_idr", "expected_number"),
        (lambda d: _set(d, ["scheme_record", 0, "certainty"], "sure"), f"{R}.scheme_record[0].certainty",
         "bad_certainty"),
        (lambda d: _set(d, ["scheme_record"], [d["scheme_record"][0]] * 2), f"{R}.scheme_record", "duplicate_year"),
        (lambda d: _set(d, ["scheme_record"], {"year": 2025}), f"{R}.scheme_record", "not_a_list"),
    ],
)
def test_bad_region_file_is_refused_naming_file_and_field(raw_pontianak, change, field, code):
    parse_region(copy.deepcopy(raw_pontianak), R)   # the unchanged copy loads
    change(raw_pontianak)
    with pytest.raises(DataFileError) as err:
        parse_region(raw_pontianak, R)
    assert err.value.field == field
    assert err.value.code == code


def test_the_fast_yaml_loader_reads_every_shipped_file_as_the_safe_one_does():
    """simulation.sourced reads YAML with libyaml's safe loader when PyYAML has it: the same objects."""
    from simulation import data, parameters, sourced

    files = [parameters.PARAMETERS_FILE, *sorted(data.REGIONS_DIR.glob("*.yaml"))]
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=sourced._SAFE_LOADER) == yaml.safe_load(text), path.name


def test_jkm_incidence_default_cites_a_published_death_rate():
    """Issue 11, item 4: the JKM incidence default names its published yardstick (the crude death rate), both with
    a source date, and the default stays below the crude rate of the whole population (a claim rate of workers)."""
    params = load_parameters()
    jkm, cdr = params["incidence.jkm_death"].latest, params["mortality.crude_death_rate"].latest
    assert cdr.value == pytest.approx(0.0068) and cdr.certainty == "M" and cdr.source_date == dt.date(2024, 7, 1)
    assert "goodstats" in cdr.source and "mortality.crude_death_rate" in jkm.source
    assert jkm.source_date == dt.date(2024, 7, 1) and jkm.value < cdr.value


def test_every_sourced_record_has_its_own_fields_first_then_the_five_source_fields():
    """The source fields are typed once (``simulation.sourced.with_source``) and follow each record's own fields, as
    when every record typed them: positional constructor calls keep their meaning and a written region file keeps
    ``value`` before ``source``."""
    from simulation.data import SchemeYear, region_data
    from simulation.projection import RecordCheck
    from simulation.sourced import YearValue

    source = ["source", "certainty", "source_date", "source_id", "source_en"]
    for cls, own, after in ((Sourced, ["value"], []), (YearValue, ["value"], ["year", "base", "break_before"]),
                            (ParameterValue, ["since", "value"], []),
                            (Target, ["id", "name_id", "name_en", "year", "coverage_pct"], []),
                            (SchemeYear, ["year", "contributions_idr", "claims_idr"], [])):
        fields = dataclasses.fields(cls)
        assert [f.name for f in fields] == own + source + after, cls.__name__
        assert [f.default for f in fields[len(own):len(own) + 5]] == [dataclasses.MISSING] * 2 + [None] * 3
        assert cls.__dataclass_params__.frozen, cls.__name__
    assert [f.name for f in dataclasses.fields(RecordCheck)][-5:] == source
    assert ParameterValue(dt.date(2026, 1, 1), 1.0, "s", "A") == ParameterValue(
        since=dt.date(2026, 1, 1), value=1.0, source="s", certainty="A")
    written = region_data(load_region("pontianak"))
    assert list(written["worker_growth_pct"])[:3] == ["value", "source", "certainty"]
    assert list(written["targets"][0])[:6] == ["id", "name_id", "name_en", "year", "coverage_pct", "source"]
