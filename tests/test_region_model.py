"""Regions that leave out what nobody published (issue 12): the missing: map, marked defaults, ready, the engine's
refusal of a region that is not ready, and the region file written back (region_yaml) read back equal."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import yaml

from simulation import project, scenario_from_region
from simulation.data import (
    OPTIONAL_FIELDS,
    REGION_DEFAULTS_FILE,
    REGIONS_DIR,
    DataFileError,
    load_region,
    load_region_defaults,
    parse_region,
    region_data,
    region_ids,
    region_yaml,
)
from simulation.errors import ValidationError

BLANK = {"id": "kab_contoh", "name": "Kabupaten Contoh", "kind": "kabupaten", "province": "Kalimantan Barat"}


def _own(region_id: str = "pontianak") -> dict:
    return copy.deepcopy(region_data(load_region(region_id)))


# ---------------------------------------------------------------------------- the national targets, once
def test_national_targets_live_once_in_the_defaults_file():
    for path in REGIONS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "rpjmn_2026" not in text and "rpjmn_2029" not in text, path.name
    national = load_region_defaults().national_targets
    assert [(t.id, t.year, t.coverage_pct) for t in national] == [("rpjmn_2026", 2026, 34.99),
                                                                   ("rpjmn_2029", 2029, 43.92)]
    # every region gets them, after its own targets: Pontianak's order is the one it had in its file
    assert [t.id for t in load_region("pontianak").targets] == ["city_2026", "rpjmn_2026", "rpjmn_2029"]
    assert [t.id for t in load_region("kalbar").targets] == ["province_2026", "rpjmn_2026", "rpjmn_2029"]
    for rid in region_ids():
        assert {"rpjmn_2026", "rpjmn_2029"} <= {t.id for t in load_region(rid).targets}, rid


def test_a_region_target_with_a_national_id_replaces_the_national_one():
    d = _own()
    d["targets"].append({"id": "rpjmn_2029", "name_id": "RPJMN 2029 (versi kota)", "name_en": "RPJMN 2029 (city)",
                         "year": 2029, "coverage_pct": 50.0, "source": "Bappeda", "certainty": "M"})
    r = parse_region(d, "x")
    assert [(t.id, t.coverage_pct) for t in r.targets] == [("city_2026", 45.0), ("rpjmn_2029", 50.0),
                                                           ("rpjmn_2026", 34.99)]


def test_complete_shipped_regions_have_nothing_missing_or_defaulted():
    p = load_region("pontianak")
    assert (p.missing, p.defaulted, p.needs, p.ready) == ((), (), (), True)
    k = load_region("kalbar")   # the province, complete since its own 2026 target (Perda, 61 %) was added
    assert (k.missing, k.defaulted, k.needs, k.ready) == ((), (), (), True)
    assert [t.id for t in k.targets][0] == "province_2026"
    assert p.missing_note("apbd") is None and k.missing_note("targets") is None


# ---------------------------------------------------------------------------- missing fields and defaults
def test_a_blank_region_loads_and_says_what_it_needs():
    r = parse_region(dict(BLANK), "x")
    assert r.missing == tuple(sorted(OPTIONAL_FIELDS))
    assert all(r.missing_note(f) == "" for f in OPTIONAL_FIELDS)
    # without workers no budget or groups can be derived; the province's UMP stands in for the UMK
    assert r.needs == ("coverage_history", "potential_workers", "apbd", "groups") and not r.ready
    assert set(r.defaulted) == {"min_wage", "worker_growth_pct", "formal_share", "formal_coverage",
                                "apbd_growth_pct"}
    assert r.min_wage[-1].value == 2_878_286 and "UMP Kalimantan Barat" in r.min_wage[-1].source


def test_the_minimum_makes_a_region_ready_and_every_default_is_marked():
    d = dict(BLANK, coverage_history=[
        {"year": 2024, "coverage_pct": 20.0, "source": "BPJS Ketenagakerjaan Cabang", "certainty": "M"},
        {"year": 2025, "coverage_pct": 22.5, "source": "BPJS Ketenagakerjaan Cabang", "certainty": "M"}],
        potential_workers=[{"year": 2025, "value": 200000, "source": "BPS Sakernas", "certainty": "M"}])
    r = parse_region(d, "x")
    assert r.ready and r.needs == ()
    assert set(r.defaulted) == {"min_wage", "apbd", "worker_growth_pct", "formal_share", "formal_coverage",
                                "apbd_growth_pct", "groups"}
    assert r.apbd == (r.apbd[0],) and r.apbd[0].year == 2025 and r.apbd[0].value == 8_188_800 * 200_000
    assert [g.members.value for g in r.groups] == [2668, 1290, 524]     # 13.34, 6.45, 2.62 per 1,000
    assert not any(g.agreement for g in r.groups)
    defaulted_values = [r.worker_growth_pct, r.formal_share, r.formal_coverage, r.apbd_growth_pct, *r.min_wage,
                        *r.apbd, *(x for g in r.groups for x in (g.members, g.already_covered, g.take_up,
                                                                   g.dropout))]
    for v in defaulted_values:   # each says it is a default, and is derived or assumed
        assert v.source.startswith("default") and v.certainty in ("L", "A"), v
        assert v.source_id is None or v.source_id.startswith("nilai bawaan")
    p = project(scenario_from_region(r, agreement_only=False), r)
    assert p.table["cost_idr"].iloc[-1] > 0 and p.table["cost_share_apbd_pct"].iloc[-1] > 0


def test_a_region_in_a_province_without_defaults_needs_its_wage_and_budget():
    r = parse_region(dict(BLANK, province="Papua Pegunungan", potential_workers=[
        {"year": 2025, "value": 5000, "source": "BPS", "certainty": "M"}]), "x")
    assert "min_wage" not in r.defaulted and "apbd" not in r.defaulted and "groups" in r.defaulted
    assert r.needs == ("coverage_history", "min_wage", "apbd")


def test_the_engine_refuses_a_region_that_is_not_ready_by_code():
    r = parse_region(dict(BLANK, coverage_history=[
        {"year": 2025, "coverage_pct": 22.5, "source": "BPJS", "certainty": "M"}]), "x")
    assert r.needs[0] == "coverage_history"          # one year is not a history
    s = scenario_from_region(load_region("pontianak")).replace(region=r.id)
    with pytest.raises(ValidationError) as err:
        project(s, r)
    assert err.value.code == "region_not_ready"
    assert err.value.params["missing"] == "coverage_history, potential_workers, apbd, groups"
    assert err.value.params["region"] == "Kabupaten Contoh"


@pytest.mark.parametrize("call", ["project", "final_year", "goal_seek", "cost_coverage_curve", "sensitivity",
                                  "baseline_forecast"])
def test_every_engine_door_refuses_a_blank_region_by_code(call):
    from simulation import goal_seek, sensitivity
    from simulation.goalseek import cost_coverage_curve
    from simulation.projection import baseline_forecast, final_year
    r = parse_region(dict(BLANK), "x")
    s = scenario_from_region(load_region("pontianak")).replace(region=r.id)
    calls = {"project": lambda: project(s, r), "final_year": lambda: final_year(s, r),
             "goal_seek": lambda: goal_seek(s, 45, 2028, region=r), "sensitivity": lambda: sensitivity(s, r),
             "cost_coverage_curve": lambda: cost_coverage_curve(s, 2028, region=r),
             "baseline_forecast": lambda: baseline_forecast(r, 2030)}
    with pytest.raises(ValidationError) as err:
        calls[call]()
    assert err.value.code == "region_not_ready"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda d: d.update(missing={"min_wage": "x"}), "x.missing.min_wage", "missing_but_given"),
        (lambda d: d.update(missing={"name": "x"}), "x.missing.name", "unknown_field"),
        (lambda d: d.update(missing={"apbd": 5}), "x.missing.apbd", "expected_text"),
        (lambda d: d.update(defaulted=["apbd"]), "x.defaulted", "bad_defaulted"),
        (lambda d: d.update(kind="desa"), "x.kind", "bad_choice"),
        (lambda d: d.update(id="Kota Pontianak"), "x.id", "bad_id"),
        (lambda d: d.update(targets=[d["targets"][0], d["targets"][0]]), "x.targets", "duplicate_id"),
        (lambda d: d.pop("name"), "x.name", "missing_field"),
    ],
)
def test_a_bad_missing_map_or_identity_is_refused_by_name(change, field, code):
    d = _own()
    parse_region(copy.deepcopy(d), "x")
    change(d)
    with pytest.raises(DataFileError) as err:
        parse_region(d, "x")
    assert (err.value.field, err.value.code) == (field, code)


def test_with_data_makes_a_field_the_regions_own():
    r = parse_region(dict(BLANK), "x")
    wages = (dataclasses.replace(load_region("pontianak").min_wage[0], year=2025),)
    r2 = r.with_data(min_wage=wages)
    assert "min_wage" not in r2.missing and "min_wage" not in r2.defaulted and r2.min_wage == wages
    assert "min_wage" not in region_data(r2).get("missing", {}) and region_data(r2)["min_wage"]
    r3 = r2.with_data(min_wage=())
    assert "min_wage" in r3.missing


# ---------------------------------------------------------------------------- the region file, written back
@pytest.mark.parametrize("region_id", region_ids())
def test_region_yaml_reads_back_equal_for_every_shipped_region(region_id):
    r = load_region(region_id)
    text = region_yaml(r)
    back = parse_region(yaml.safe_load(text), "back")
    assert back == r and back.content_hash == r.content_hash
    assert back.missing == r.missing and back.defaulted == r.defaulted
    assert parse_region(r.to_dict(), "snapshot") == r                 # and through a dict (library snapshots)


def test_region_yaml_writes_no_default_and_no_national_target():
    r = parse_region(dict(BLANK, potential_workers=[{"year": 2025, "value": 5000, "source": "BPS",
                                                    "certainty": "M"}]), "x")
    text = region_yaml(r)
    d = yaml.safe_load(text)
    assert set(d) == {"id", "name", "kind", "province", "potential_workers", "missing"}
    assert "default" not in text and "rpjmn" not in text
    assert parse_region(d, "x") == r
    p = yaml.safe_load(region_yaml(load_region("pontianak")))
    assert [t["id"] for t in p["targets"]] == ["city_2026"] and "missing" not in p
    assert p["potential_workers"][0]["value"] == 244236 and isinstance(p["potential_workers"][0]["value"], int)


def test_a_snapshot_keeps_its_defaults_when_the_defaults_change():
    r = parse_region(dict(BLANK), "x")
    defaults = load_region_defaults()
    other = dataclasses.replace(defaults, scalars={**defaults.scalars, "formal_share": dataclasses.replace(
        defaults.scalars["formal_share"], value=0.9)})
    assert parse_region(r.to_dict(), "x", other).formal_share.value == 0.412   # the snapshot's number
    assert parse_region(region_data(r), "x", other).formal_share.value == 0.9  # the region's own data: refilled


# ---------------------------------------------------------------------------- which files are regions
def test_only_files_named_as_region_ids_are_regions(tmp_path, monkeypatch):
    from simulation import data
    for name in ("README.md", "_draft.yaml", "Notes.yaml", ".hidden.yaml"):
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    (tmp_path / "kota_a.yaml").write_text(yaml.safe_dump(dict(BLANK, id="kota_a", kind="kota")), encoding="utf-8")
    monkeypatch.setattr(data, "REGIONS_DIR", tmp_path)
    assert data.region_ids() == ("kota_a",)
    assert REGION_DEFAULTS_FILE.parent != REGIONS_DIR and REGION_DEFAULTS_FILE.exists()
