"""The scenario: one validated object, saved and shared as JSON, identified by its content hash.

A saved file or a share link from anyone must either give a scenario or be refused with a message that
names the place (``groups[0].take_up``): never a crash, never a silently changed value.
"""

from __future__ import annotations

import ast
import dataclasses
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulation.errors import ValidationError
from simulation.parameters import PARAMETERS_FILE, load_parameters
from simulation.projection import project
from simulation.scenario import (
    GROUP_DEFAULTS,
    MAX_GROUPS,
    MAX_JSON_BYTES,
    SCENARIO_DEFAULTS,
    GroupScenario,
    Scenario,
    Target,
    default_scenario,
    scenario_from_region,
)

FAST = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def base():
    return default_scenario()


# ---------------------------------------------------------------------------- the default scenario
def test_default_scenario_is_the_2026_agreement(base):
    in_scope = [g for g in base.groups if g.in_scope]
    assert sum(g.members for g in in_scope) == 5_746           # agreement of 11 Feb 2026
    assert len(base.groups) == 13                              # 7 agreement groups + 6 candidate groups
    assert (base.route, base.base, base.city_share) == ("bpu", "floor", 1.0)   # JKK+JKM on Rp1,000,000
    assert base.region == "pontianak"
    assert {t.id for t in base.targets} >= {"city_2026", "rpjmn_2029"}


def test_wider_scope_puts_every_group_in():
    s = scenario_from_region("pontianak", agreement_only=False)
    assert all(g.in_scope for g in s.groups)


# ---------------------------------------------------------------------------- identity and round trip
def test_json_round_trip_gives_the_same_scenario_and_hash(base):
    again = Scenario.from_json(base.to_json())
    assert again == base
    assert again.content_hash == base.content_hash
    compact = Scenario.from_json(base.to_json(indent=None).encode("utf-8"))
    assert compact == base


def test_json_with_byte_order_mark_is_read():
    s = Scenario.from_json("\ufeff".encode() + default_scenario().to_json().encode())
    assert s == default_scenario()


def test_hash_does_not_depend_on_key_order(base):
    d = base.to_dict()
    keys = list(d)
    random.Random(1).shuffle(keys)
    shuffled = {k: d[k] for k in reversed(keys)}
    shuffled["groups"] = [dict(reversed(list(g.items()))) for g in d["groups"]]
    assert list(shuffled) != list(d)
    assert Scenario.from_dict(shuffled).content_hash == base.content_hash


def test_hash_is_the_same_for_1_and_1_0():
    # a file written by another tool may write whole numbers as 1.0: same scenario, same identity
    a = Scenario.from_dict({"risk_class": 1, "start_year": 2026, "city_share": 1, "groups": [
        {"id": "a", "name": "A", "members": 10}]})
    b = Scenario.from_dict({"risk_class": 1.0, "start_year": 2026.0, "city_share": 1.0, "groups": [
        {"id": "a", "name": "A", "members": 10.0}]})
    assert a == b
    assert a.content_hash == b.content_hash


SCENARIO_CHANGES = {
    "name": "Another name",
    "region": "kalbar",
    "start_year": 2027,
    "horizon_year": 2031,
    "groups": "members of one group",
    "route": "bpu_jht",
    "risk_class": 2,
    "base": "min_wage",
    "base_custom_idr": 1_500_000.0,
    "base_custom_year": 2024,
    "indexation_pct": 6.0,
    "city_share": 0.5,
    "takeup_elasticity": 0.5,
    "budget_cap_idr": 1e9,
    "compliance_mode": "count",
    "compliance_per_year": 100.0,
    "compliance_start_year": 2027,
    "worker_growth_pct": 2.0,
    "jkm_incidence": 0.004,
    "jkk_incidence": 0.006,
    "jkk_claim_idr": 9_000_000.0,
    "jkm_claim_idr": 40_000_000.0,
    "targets": "one target fewer",
}

GROUP_CHANGES = {
    "id": "renamed",
    "name": "Renamed",
    "in_scope": False,
    "members": 2_690,
    "already_covered": 0.4,
    "take_up": 0.9,
    "start_year": 2027,
    "phase_in_years": 3,
    "dropout": 0.05,
    "priority": 50,
}


def test_every_field_is_covered_by_the_change_tables():
    # a new field must be added here too, so that the hash test below also checks it
    assert set(SCENARIO_CHANGES) == {f.name for f in dataclasses.fields(Scenario)}
    assert set(GROUP_CHANGES) == {f.name for f in dataclasses.fields(GroupScenario)}


@pytest.mark.parametrize("field", sorted(SCENARIO_CHANGES))
def test_hash_changes_when_a_scenario_field_changes(base, field):
    if field == "groups":
        changed = base.with_group("rt_heads", members=2_690)
    elif field == "targets":
        changed = base.replace(targets=base.targets[1:])
    else:
        changed = base.replace(**{field: SCENARIO_CHANGES[field]})
    assert changed != base
    assert changed.content_hash != base.content_hash


@pytest.mark.parametrize("field", sorted(GROUP_CHANGES))
def test_hash_changes_when_a_group_field_changes(base, field):
    changed = base.replace(groups=[dataclasses.replace(base.groups[0], **{field: GROUP_CHANGES[field]}),
                                   *base.groups[1:]])
    assert changed.content_hash != base.content_hash


def test_hash_changes_when_a_target_changes(base):
    t = base.targets[0]
    changed = base.replace(targets=[dataclasses.replace(t, coverage_pct=t.coverage_pct + 1), *base.targets[1:]])
    assert changed.content_hash != base.content_hash


def test_changed_copies_are_validated(base):
    with pytest.raises(ValidationError) as err:
        base.with_group("rt_heads", take_up=1.2)
    assert err.value.field == "groups[0].take_up"
    with pytest.raises(ValidationError) as err:
        base.with_group("nobody", members=1)
    assert err.value.code == "unknown_group"
    with pytest.raises(ValidationError):
        base.replace(city_share=-0.1)
    assert base.city_share == 1.0   # the original is untouched


# ---------------------------------------------------------------------------- refusals name the place
def _with(**changes) -> dict:
    d = default_scenario().to_dict()
    d.update(changes)
    return d


def _group0(**changes) -> dict:
    d = default_scenario().to_dict()
    d["groups"][0].update(changes)
    return d


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (_with(colour="red"), "colour", "unknown_field"),
        (_group0(colour="red"), "groups[0].colour", "unknown_field"),
        (_group0(take_up=1.5), "groups[0].take_up", "out_of_range"),
        (_group0(take_up=-0.1), "groups[0].take_up", "out_of_range"),
        (_group0(take_up="95 %"), "groups[0].take_up", "expected_number"),
        (_group0(members=12.5), "groups[0].members", "expected_integer"),
        (_group0(members=-3), "groups[0].members", "out_of_range"),
        (_group0(members=True), "groups[0].members", "expected_number"),
        (_group0(in_scope="yes"), "groups[0].in_scope", "expected_bool"),
        (_group0(phase_in_years=0), "groups[0].phase_in_years", "out_of_range"),
        (_group0(id="RT Heads!"), "groups[0].id", "bad_id"),
        (_with(groups=[{"id": "a"}]), "groups[0].name", "missing_field"),
        (_with(city_share="all"), "city_share", "expected_number"),
        (_with(city_share=None), "city_share", "expected_number"),
        (_with(city_share=1.01), "city_share", "out_of_range"),
        (_with(start_year=10**400), "start_year", "expected_number"),
        (_with(route="bpjs"), "route", "bad_choice"),
        (_with(risk_class=6), "risk_class", "out_of_range"),
        (_with(risk_class=True), "risk_class", "expected_number"),
        (_with(risk_class=1.5), "risk_class", "expected_integer"),
        (_with(base="salary"), "base", "bad_choice"),
        (_with(budget_cap_idr=-1), "budget_cap_idr", "out_of_range"),
        (_with(compliance_mode="share", compliance_per_year=5), "compliance_per_year", "out_of_range"),
        (_with(horizon_year=2025), "horizon_year", "horizon_before_start"),
        (_with(horizon_year=2060, start_year=2026), "horizon_year", "out_of_range"),
        (_with(schema_version=2), "schema_version", "bad_version"),
        (_with(groups={"id": "a"}), "groups", "bad_list"),
        (_with(groups=[{"id": "a", "name": "A"}] * (MAX_GROUPS + 1)), "groups", "bad_list"),
        (_with(groups=[{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]), "groups[1].id", "duplicate_id"),
        (_with(groups=["rt_heads"]), "groups[0]", "expected_object"),
        (_with(targets=[{"id": "t", "name": "T", "year": 2028, "coverage_pct": 150}]), "targets[0].coverage_pct",
         "count_not_percent"),   # the one percent rule (simulation/units.py): more than 100 is a count
        (_with(targets=[{"id": "t", "name": "T", "year": 2028, "coverage_pct": 0.45}]), "targets[0].coverage_pct",
         "ambiguous_percent"),   # 45 % or 0.45 %? asked, not guessed
        (_with(targets=[{"id": "t", "name": "T", "year": 2028, "coverage_pct": -1}]), "targets[0].coverage_pct",
         "out_of_range"),
        (_with(targets=[{"id": "t", "name": "T", "year": 2028}]), "targets[0].coverage_pct", "missing_field"),
        (_with(name="line one\nline two"), "name", "bad_text"),
        (_with(name="bell \x07"), "name", "bad_text"),
        (_with(name="delete \x7f"), "name", "bad_text"),
        (_with(name="c1 \x9b"), "name", "bad_text"),
        (_with(name=""), "name", "bad_length"),
        (_with(name="x" * 121), "name", "bad_length"),
        ([1, 2, 3], "scenario", "expected_object"),
    ],
)
def test_bad_scenario_is_refused_naming_the_place(data, field, code):
    with pytest.raises(ValidationError) as err:
        Scenario.from_dict(data)
    assert err.value.field == field
    assert err.value.code == code


def test_too_many_groups_is_refused_with_the_limit():
    groups = [{"id": f"g{i}", "name": f"G{i}"} for i in range(MAX_GROUPS + 1)]
    with pytest.raises(ValidationError) as err:
        Scenario.from_dict({"groups": groups})
    assert err.value.params == {"max": MAX_GROUPS}
    assert len(Scenario.from_dict({"groups": groups[:MAX_GROUPS]}).groups) == MAX_GROUPS


def test_name_with_html_is_kept_as_plain_text():
    name = '<script>alert("x")</script> & <b>RT</b>'
    s = Scenario.from_dict({"name": name, "groups": [{"id": "a", "name": "<i>Kader</i>"}]})
    assert s.name == name                 # not executed, not escaped, not dropped: the UI escapes on display
    assert s.groups[0].name == "<i>Kader</i>"
    assert Scenario.from_json(s.to_json()).name == name


def test_unicode_names_are_accepted():
    s = Scenario.from_dict({"name": "Skenario Kota Pontianak — tahap 2 ✓"})
    assert s.name.endswith("✓")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{", "bad_json"),
        ('{"name": "a",}', "bad_json"),
        ("", "bad_json"),
        ("[" * 100_000, "bad_json"),                              # nested too deeply for the parser
        ('{"start_year": ' + "1" * 5_000 + "}", "bad_json"),      # more digits than Python converts
        ('{"name": "' + "x" * MAX_JSON_BYTES + '"}', "too_large"),
    ],
    ids=["unclosed", "trailing-comma", "empty", "deep-nesting", "huge-number", "oversize"],
)
def test_malformed_json_is_refused_as_a_file_problem(text, code):
    for data in (text, text.encode("utf-8")):
        with pytest.raises(ValidationError) as err:
            Scenario.from_json(data)
        assert err.value.field == "file"
        assert err.value.code == code


def test_json_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError) as err:
        Scenario.from_json(b'{"name": "\xff"}')
    assert (err.value.field, err.value.code) == ("file", "not_text")


@pytest.mark.parametrize("text", ['{"city_share": NaN}', '{"city_share": Infinity}', '{"city_share": 1e999}'])
def test_non_finite_numbers_are_refused(text):
    with pytest.raises(ValidationError) as err:
        Scenario.from_json(text)
    assert err.value.field == "city_share"


# ---------------------------------------------------------------------------- anything in, never a crash
JSON_LEAVES = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**400)
               | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
JSON_VALUES = st.recursive(JSON_LEAVES, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c,
                                                                                           max_size=4),
                           max_leaves=15)
SCENARIO_KEYS = [f.name for f in dataclasses.fields(Scenario)] + ["schema_version"]
GROUP_KEYS = [f.name for f in dataclasses.fields(GroupScenario)]
TARGET_KEYS = [f.name for f in dataclasses.fields(Target)]


def _objects(keys):
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), JSON_VALUES, max_size=len(keys))


NEAR_VALID_GROUP = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "rt_heads"]) | JSON_LEAVES, "name": st.text(max_size=10) | JSON_LEAVES},
    optional={k: JSON_LEAVES for k in GROUP_KEYS if k not in ("id", "name")},
)
SCENARIO_LIKE = _objects(SCENARIO_KEYS) | st.fixed_dictionaries(
    {},
    optional={**{k: JSON_LEAVES for k in SCENARIO_KEYS},
              "groups": st.lists(NEAR_VALID_GROUP | _objects(GROUP_KEYS), max_size=3),
              "targets": st.lists(_objects(TARGET_KEYS), max_size=2)},
)


def _scenario_or_validation_error(data):
    try:
        s = Scenario.from_dict(data)
    except ValidationError as exc:
        assert isinstance(exc.field, str)   # may be "" only for a key that is itself empty
        assert exc.message and exc.code
        return None
    assert isinstance(s, Scenario)
    assert Scenario.from_json(s.to_json()) == s   # whatever is accepted survives a save
    try:                                          # ... and can be projected
        project(s)
    except ValidationError as exc:                # only an unknown region or a horizon inside the history
        assert exc.field in ("region", "horizon_year"), exc
    return s


@FAST
@given(JSON_VALUES)
@example({"risk_class": True, "route": "pu", "groups": [{"id": "a", "name": "a", "members": 10}]})
@example({"risk_class": 1.0, "route": "pu", "groups": [{"id": "a", "name": "a", "members": 10}]})
@example({"start_year": 10**400})
@example({"groups": [{"id": "a", "name": "a", "members": 10**400}]})
def test_any_json_value_gives_a_scenario_or_a_validation_error(data):
    _scenario_or_validation_error(data)


@FAST
@given(SCENARIO_LIKE)
def test_any_scenario_like_object_gives_a_scenario_or_a_validation_error(data):
    _scenario_or_validation_error(data)


@FAST
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_gives_a_scenario_or_a_validation_error(text):
    try:
        Scenario.from_json(text)
    except ValidationError:
        pass


# ---------------------------------------------------------------------------- defaults live in data/parameters.yaml only
SCENARIO_PY = Path(__file__).resolve().parents[1] / "simulation" / "scenario.py"
SHIPPED = yaml.safe_load(PARAMETERS_FILE.read_text(encoding="utf-8"))["parameters"]


def newest_in_file(pid: str) -> float:
    """The newest value of a parameter as the YAML file writes it (not through the loader under test)."""
    return max(SHIPPED[pid]["values"], key=lambda v: str(v["since"]))["value"]


def test_a_minimal_scenario_takes_its_defaults_from_the_parameter_file():
    s = Scenario.from_dict({"groups": [{"id": "g1", "name": "G1"}]})
    assert s.base_custom_idr == newest_in_file("bpu.income_floor") == 1_000_000
    assert s.indexation_pct == newest_in_file("wage.indexation_pct")
    assert s.city_share == newest_in_file("pbi.city_share") == 1
    assert s.takeup_elasticity == newest_in_file("behaviour.takeup_elasticity")
    assert s.jkm_incidence == newest_in_file("incidence.jkm_death")
    assert s.jkk_incidence == newest_in_file("incidence.jkk_accident_bpu")
    assert s.jkk_claim_idr == newest_in_file("claim.jkk_average")
    assert s.jkm_claim_idr == newest_in_file("benefit.jkm_total") == 42_000_000    # PP 82/2019
    g = s.groups[0]
    assert (g.take_up, g.dropout) == (newest_in_file("behaviour.take_up"), newest_in_file("behaviour.dropout"))
    # the same values when the objects are built in code, and in the region's scenario
    assert Scenario().replace(groups=[GroupScenario(id="g1", name="G1")]) == s.replace(name=Scenario().name)
    region_scenario = default_scenario()
    assert all(getattr(region_scenario, f) == getattr(s, f) for f in SCENARIO_DEFAULTS)


def test_every_parameter_default_names_a_shipped_parameter_and_every_number_field_has_one():
    for name, pid in {**SCENARIO_DEFAULTS, **GROUP_DEFAULTS}.items():
        assert pid in SHIPPED, f"{name}: no parameter {pid!r} in data/parameters.yaml"
    # numeric policy fields that are not a parameter must be a neutral zero/one or a year (the AST scan below)
    assert set(SCENARIO_DEFAULTS) | set(GROUP_DEFAULTS) >= {
        "base_custom_idr", "indexation_pct", "city_share", "takeup_elasticity", "jkm_incidence", "jkk_incidence",
        "jkk_claim_idr", "jkm_claim_idr", "take_up", "dropout"}


def test_a_swapped_parameter_set_gives_other_defaults_and_leaves_the_shipped_ones():
    rates = load_parameters().replace_value("behaviour.take_up", 0.5).replace_value("wage.indexation_pct", 3.0)
    d = {"groups": [{"id": "g1", "name": "G1"}]}
    other = Scenario.from_dict(d, parameters=rates)
    assert (other.groups[0].take_up, other.indexation_pct) == (0.5, 3.0)
    shipped = Scenario.from_dict(d)
    assert (shipped.groups[0].take_up, shipped.indexation_pct) == (0.95, 5.0)
    richer = load_parameters().replace_value("benefit.jkm_total", 50e6)
    assert default_scenario(parameters=richer).jkm_claim_idr == 50e6


def _typed_defaults(tree: ast.AST) -> list[str]:
    """Numeric literals given as the default of a parameter-backed field, in a class body or a ``d.get``."""
    names = set(SCENARIO_DEFAULTS) | set(GROUP_DEFAULTS)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, (int, float)):
                found.append(f"line {node.lineno}: {node.target.id} = {node.value.value}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value in names
                and isinstance(node.args[1], ast.Constant)):
            found.append(f"line {node.lineno}: get({node.args[0].value!r}, {node.args[1].value})")
        if isinstance(node, ast.keyword) and node.arg in names and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, (int, float)):
            found.append(f"line {node.lineno}: {node.arg}={node.value.value}")
    return found


def test_no_parameter_default_is_typed_into_the_scenario_code():
    assert _typed_defaults(ast.parse(SCENARIO_PY.read_text(encoding="utf-8"))) == []
    # the scan finds the kinds of copy it is meant to catch
    sample = ("class S:\n    take_up: float = 0.95\n"
              "def f(d):\n    return d.get('dropout', 0.03), S(indexation_pct=5.0)\n")
    assert len(_typed_defaults(ast.parse(sample))) == 3


def test_custom_base_year_is_optional_and_absent_keeps_identity():
    """A file without base_custom_year loads as before (same identity); a year given is validated, kept through
    JSON and moves the projected contribution: Rp2,000,000 set for 2025 at 5 % gives a 2026 base of 2,100,000."""
    s = default_scenario("id").replace(base="custom", base_custom_idr=2_000_000, indexation_pct=5.0)
    assert s.base_custom_year is None and "base_custom_year" not in s.to_dict()
    assert Scenario.from_json(s.to_json()).content_hash == s.content_hash
    y = s.replace(base_custom_year=2025)
    assert y.content_hash != s.content_hash and Scenario.from_json(y.to_json()) == y
    assert y.to_dict()["base_custom_year"] == 2025
    with pytest.raises(ValidationError) as err:
        s.replace(base_custom_year=1990)
    assert err.value.field == "base_custom_year"
    with pytest.raises(ValidationError):
        s.replace(base_custom_year="2025x")
    t_s, t_y = project(s).table, project(y).table
    row_s, row_y = t_s[t_s["year"] == 2026].iloc[0], t_y[t_y["year"] == 2026].iloc[0]
    ratio = row_y["contribution_per_person_month_idr"] / row_s["contribution_per_person_month_idr"]
    # BPU: JKK 1 % of the base + JKM Rp6,800 flat: 21,000 + 6,800 against 20,000 + 6,800
    assert ratio == pytest.approx((21_000 + 6_800) / (20_000 + 6_800))
