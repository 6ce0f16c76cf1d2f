"""The scenario: one validated object shared by the app, saved files, links, the CLI and tests.

A scenario says which groups the region pays contributions for, how, how fast and
under which budget, plus the compliance lever and the behavioural assumptions.
It is immutable; :meth:`Scenario.replace` and :meth:`Scenario.with_group` give
changed copies. Its identity is :attr:`Scenario.content_hash`, a hash of its
canonical JSON, so equal scenarios have equal identities.

:meth:`Scenario.from_dict` refuses unknown fields, wrong types and out-of-range
values with a :class:`ValidationError` whose ``field`` names the place
(``groups[2].take_up``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from typing import Any

from .contributions import BASES, RISK_CLASSES, ROUTES
from .data import Region, load_region
from .errors import ValidationError
from .io.safe import HIDDEN_RE, visible
from .parameters import Parameters, resolve

SCHEMA_VERSION = 1
MAX_GROUPS = 60
MAX_TARGETS = 20
MAX_JSON_BYTES = 200_000
_ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
COMPLIANCE_MODES = ("none", "count", "share")

# The parameter of data/parameters.yaml behind each default of a new scenario (its newest value): defaults live
# there only, so a default changed in the file is the default everywhere (tests/test_scenario.py checks it).
SCENARIO_DEFAULTS = {
    "base_custom_idr": "bpu.income_floor", "indexation_pct": "wage.indexation_pct", "city_share": "pbi.city_share",
    "takeup_elasticity": "behaviour.takeup_elasticity", "jkm_incidence": "incidence.jkm_death",
    "jkk_incidence": "incidence.jkk_accident_bpu", "jkk_claim_idr": "claim.jkk_average",
    "jkm_claim_idr": "benefit.jkm_total",
}
GROUP_DEFAULTS = {"take_up": "behaviour.take_up", "dropout": "behaviour.dropout"}


def parameter_defaults(parameters: Parameters | None = None) -> dict[str, float]:
    """``{field: default}`` of the scenario and group fields whose default is a parameter."""
    p = resolve(parameters)
    return {name: p.latest(pid) for name, pid in {**SCENARIO_DEFAULTS, **GROUP_DEFAULTS}.items()}


def _from_parameters(name: str):
    """A dataclass default factory: the field's parameter in the shipped file."""
    return field(default_factory=lambda: parameter_defaults()[name])


def _defaults(cls, parameters: Parameters | None) -> dict[str, Any]:
    """Every plain field default of a scenario class (not its lists), the parameter ones from ``parameters``."""
    out = {f.name: f.default for f in fields(cls) if f.default is not MISSING and f.name not in ("groups", "targets")}
    from_params = parameter_defaults(parameters)
    out.update({f.name: from_params[f.name] for f in fields(cls) if f.name in from_params})
    return out


def _num(value: Any, where: str, lo: float, hi: float, integer: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(where, f"expected a number, got {type(value).__name__}", code="expected_number",
                              params={"value": visible(str(value))[:40]})
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float (JSON allows any number of digits)
        finite = False
    if not finite:
        raise ValidationError(where, "expected a finite number", code="expected_number",
                              params={"value": str(value)[:40]})
    if integer and value != int(value):
        raise ValidationError(where, f"expected a whole number, got {value}", code="expected_integer")
    if not lo <= value <= hi:
        raise ValidationError(where, f"{value} is outside the allowed range {lo} to {hi}", code="out_of_range",
                              params={"min": lo, "max": hi, "value": value})
    return int(value) if integer else float(value)



def _str(value: Any, where: str, max_len: int, pattern: re.Pattern | None = None) -> str:
    if not isinstance(value, str):
        raise ValidationError(where, f"expected text, got {type(value).__name__}", code="expected_text")
    value = value.strip()
    if not value or len(value) > max_len:
        raise ValidationError(where, f"text must have 1 to {max_len} characters", code="bad_length",
                              params={"max": max_len})
    if HIDDEN_RE.search(value):  # control and invisible characters (bidi overrides, zero-width), as the library
        raise ValidationError(where, "text contains control or invisible characters", code="bad_text",
                              params={"value": visible(value)})
    if pattern is not None and not pattern.match(value):
        raise ValidationError(where, "use only lower-case letters, digits, '-' and '_'", code="bad_id",
                              params={"name": visible(value)})
    return value


def _choice(value: Any, where: str, choices: tuple) -> Any:
    if value not in choices:
        raise ValidationError(where, f"{value!r} is not one of {', '.join(map(str, choices))}", code="bad_choice",
                              params={"choices": ", ".join(map(str, choices))})
    return value


def _check_keys(d: Any, where: str, cls, extra: tuple[str, ...] = ()) -> dict:
    if not isinstance(d, dict):
        raise ValidationError(where or "scenario", "expected an object", code="expected_object")
    allowed = {f.name for f in fields(cls)} | set(extra)
    unknown = sorted(set(d) - allowed)
    if unknown:
        path = f"{where}.{unknown[0]}" if where else unknown[0]
        raise ValidationError(path, f"unknown field {unknown[0]!r}", code="unknown_field",
                              params={"name": unknown[0][:60]})
    return d


def _plain_fields(obj) -> dict:
    """``{field: value}`` of a dataclass whose fields hold plain values (str, numbers, bool, None)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


@dataclass(frozen=True)
class GroupScenario:
    """One group of workers in (or out of) the PBI scope."""

    id: str
    name: str
    in_scope: bool = True
    members: int = 0                 # [persons]
    already_covered: float = 0.0     # [share 0..1] insured by other means: not added to coverage
    take_up: float = _from_parameters("take_up")   # [share 0..1] of eligible members who enrol when the city pays all
    start_year: int = 2026           # first year of enrolment
    phase_in_years: int = 1          # years to reach full enrolment (1 = at once)
    dropout: float = _from_parameters("dropout")   # [share 0..1] of intended participants inactive at any time
    priority: int = 1                # order served under a budget cap and in goal-seek (1 first)

    @classmethod
    def from_dict(cls, d: Any, where: str, parameters: Parameters | None = None) -> GroupScenario:
        """A validated group; fields left out take their defaults (the parameter ones from ``parameters``)."""
        d = {**_defaults(cls, parameters), **_check_keys(d, where, cls)}
        for key in ("id", "name"):
            if key not in d:
                raise ValidationError(f"{where}.{key}", f"missing field {key!r}", code="missing_field",
                                      params={"name": key})
        in_scope = d["in_scope"]
        if not isinstance(in_scope, bool):
            raise ValidationError(f"{where}.in_scope", "expected true or false", code="expected_bool")
        return cls(
            id=_str(d["id"], f"{where}.id", 40, _ID_RE),
            name=_str(d["name"], f"{where}.name", 80),
            in_scope=in_scope,
            members=_num(d["members"], f"{where}.members", 0, 10_000_000, integer=True),
            already_covered=_num(d["already_covered"], f"{where}.already_covered", 0, 1),
            take_up=_num(d["take_up"], f"{where}.take_up", 0, 1),
            start_year=_num(d["start_year"], f"{where}.start_year", 2020, 2060, integer=True),
            phase_in_years=_num(d["phase_in_years"], f"{where}.phase_in_years", 1, 10, integer=True),
            dropout=_num(d["dropout"], f"{where}.dropout", 0, 1),
            priority=_num(d["priority"], f"{where}.priority", 1, 999, integer=True),
        )


@dataclass(frozen=True)
class Target:
    """A coverage target to test the scenario against."""

    id: str
    name: str
    year: int
    coverage_pct: float  # [% of potential workers]

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Target:
        d = _check_keys(d, where, cls)
        for key in ("id", "name", "year", "coverage_pct"):
            if key not in d:
                raise ValidationError(f"{where}.{key}", f"missing field {key!r}", code="missing_field",
                                      params={"name": key})
        return cls(id=_str(d["id"], f"{where}.id", 40, _ID_RE), name=_str(d["name"], f"{where}.name", 80),
                   year=_num(d["year"], f"{where}.year", 2020, 2060, integer=True),
                   coverage_pct=_target_pct(d["coverage_pct"], f"{where}.coverage_pct"))


def _target_pct(value: Any, where: str) -> float:
    """A target in a scenario file by the one percent rule (simulation/units.py): 0.45 is asked about, not read
    as 0.45 %; more than 100 is a count."""
    from .units import percent_value
    v = _num(value, where, -1e300, 1e300)
    return percent_value(v, where, open_interval=False)


@dataclass(frozen=True)
class Scenario:
    """Everything that defines one what-if. Money in Rp, shares 0..1, rates per year."""

    name: str = "Skenario"
    region: str = "pontianak"
    start_year: int = 2026                    # first projected year of the scheme
    horizon_year: int = 2030                  # last projected year
    groups: tuple[GroupScenario, ...] = ()
    route: str = "bpu"                        # bpu | bpu_jht | pu
    risk_class: int = 1                       # for route pu
    base: str = "floor"                       # floor | min_wage | custom
    base_custom_idr: float = _from_parameters("base_custom_idr")   # [Rp/month], for base custom
    base_custom_year: int | None = None       # the year base_custom_idr was set for; None = start_year
    indexation_pct: float = _from_parameters("indexation_pct")     # [%/year] growth of min_wage/custom base
    city_share: float = _from_parameters("city_share")             # [share 0..1] of the contribution the city pays
    takeup_elasticity: float = _from_parameters("takeup_elasticity")   # take-up fall per share the participant pays
    budget_cap_idr: float | None = None       # [Rp/year] the city's yearly ceiling; None = no cap
    compliance_mode: str = "none"             # none | count | share
    compliance_per_year: float = 0.0          # persons/year (count) or share of uncovered formal workers/year
    compliance_start_year: int = 2026
    worker_growth_pct: float | None = None    # [%/year]; None = the region's value
    jkm_incidence: float = _from_parameters("jkm_incidence")   # expected deaths per participant-year
    jkk_incidence: float = _from_parameters("jkk_incidence")   # expected work-accident claims per participant-year
    jkk_claim_idr: float = _from_parameters("jkk_claim_idr")   # [Rp/claim] average JKK claim
    jkm_claim_idr: float = _from_parameters("jkm_claim_idr")   # [Rp/claim] JKM benefit
    targets: tuple[Target, ...] = field(default_factory=tuple)

    # ------------------------------------------------------------------ validation
    @classmethod
    def from_dict(cls, d: Any, parameters: Parameters | None = None) -> Scenario:
        """A validated scenario; fields left out take their defaults (the parameter ones from ``parameters``)."""
        d = {**_defaults(cls, parameters), **_check_keys(d, "", cls, extra=("schema_version",))}
        version = d.pop("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValidationError("schema_version", f"unsupported version {version!r}", code="bad_version")
        groups_in = d.get("groups", [])
        if not isinstance(groups_in, list) or len(groups_in) > MAX_GROUPS:
            raise ValidationError("groups", f"expected a list of at most {MAX_GROUPS} groups", code="bad_list",
                                  params={"max": MAX_GROUPS})
        groups = tuple(GroupScenario.from_dict(g, f"groups[{i}]", parameters) for i, g in enumerate(groups_in))
        ids = [g.id for g in groups]
        for i, gid in enumerate(ids):
            if gid in ids[:i]:
                raise ValidationError(f"groups[{i}].id", f"group id {gid!r} appears twice", code="duplicate_id",
                                      params={"name": gid})
        targets_in = d.get("targets", [])
        if not isinstance(targets_in, list) or len(targets_in) > MAX_TARGETS:
            raise ValidationError("targets", f"expected a list of at most {MAX_TARGETS} targets",
                                  code="bad_list", params={"max": MAX_TARGETS})
        targets = tuple(Target.from_dict(t, f"targets[{i}]") for i, t in enumerate(targets_in))
        cap = d.get("budget_cap_idr")
        wg = d.get("worker_growth_pct")
        s = cls(
            name=_str(d["name"], "name", 120),
            region=_str(d["region"], "region", 40, _ID_RE),
            start_year=_num(d["start_year"], "start_year", 2020, 2060, integer=True),
            horizon_year=_num(d["horizon_year"], "horizon_year", 2020, 2060, integer=True),
            groups=groups,
            route=_choice(d["route"], "route", ROUTES),
            risk_class=_choice(_num(d["risk_class"], "risk_class", 1, 5, integer=True), "risk_class",
                               RISK_CLASSES),
            base=_choice(d["base"], "base", BASES),
            base_custom_idr=_num(d["base_custom_idr"], "base_custom_idr", 0, 1e9),
            base_custom_year=None if d.get("base_custom_year") is None
            else _num(d["base_custom_year"], "base_custom_year", 2000, 2060, integer=True),
            indexation_pct=_num(d["indexation_pct"], "indexation_pct", -20, 50),
            city_share=_num(d["city_share"], "city_share", 0, 1),
            takeup_elasticity=_num(d["takeup_elasticity"], "takeup_elasticity", 0, 1),
            budget_cap_idr=None if cap is None else _num(cap, "budget_cap_idr", 0, 1e15),
            compliance_mode=_choice(d["compliance_mode"], "compliance_mode", COMPLIANCE_MODES),
            compliance_per_year=_num(d["compliance_per_year"], "compliance_per_year", 0, 10_000_000),
            compliance_start_year=_num(d["compliance_start_year"], "compliance_start_year", 2020,
                                       2060, integer=True),
            worker_growth_pct=None if wg is None else _num(wg, "worker_growth_pct", -20, 20),
            jkm_incidence=_num(d["jkm_incidence"], "jkm_incidence", 0, 0.5),
            jkk_incidence=_num(d["jkk_incidence"], "jkk_incidence", 0, 0.5),
            jkk_claim_idr=_num(d["jkk_claim_idr"], "jkk_claim_idr", 0, 1e10),
            jkm_claim_idr=_num(d["jkm_claim_idr"], "jkm_claim_idr", 0, 1e10),
            targets=targets,
        )
        s.check()
        return s

    def check(self) -> Scenario:
        """Cross-field rules; returns self so it can be chained."""
        if self.horizon_year < self.start_year:
            raise ValidationError("horizon_year", "the horizon must not be before the start year",
                                  code="horizon_before_start")
        if self.horizon_year - self.start_year > 30:
            raise ValidationError("horizon_year", "at most 30 years can be projected", code="out_of_range",
                                  params={"min": self.start_year, "max": self.start_year + 30,
                                          "value": self.horizon_year})
        if self.compliance_mode == "share" and self.compliance_per_year > 1:
            raise ValidationError("compliance_per_year", "a share must be between 0 and 1", code="out_of_range",
                                  params={"min": 0, "max": 1, "value": self.compliance_per_year})
        return self

    def to_dict(self) -> dict:
        # field by field: every field is a plain value except the groups and targets (themselves plain), so
        # this is what asdict() gives, without its deep copy of every value (replace() starts here)
        d = _plain_fields(self)
        if d["base_custom_year"] is None:   # absent = the start year: files and identities from before it keep theirs
            del d["base_custom_year"]
        d["groups"] = [_plain_fields(g) for g in self.groups]
        d["targets"] = [_plain_fields(t) for t in self.targets]
        d["schema_version"] = SCHEMA_VERSION
        return d

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        def too_large() -> ValidationError:
            return ValidationError("file", f"larger than {MAX_JSON_BYTES // 1000} kB", code="too_large",
                                   params={"size": f"{math.ceil(len(text) / 1000)} kB",
                                           "limit": f"{MAX_JSON_BYTES // 1000} kB"})
        if isinstance(text, bytes):
            if len(text) > MAX_JSON_BYTES:
                raise too_large()
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError("file", "not UTF-8 text", code="not_text") from None
        if len(text) > MAX_JSON_BYTES:
            raise too_large()
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValidationError("file", "nested too deeply", code="bad_json") from None
        except json.JSONDecodeError as exc:
            raise ValidationError("file", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                                  code="bad_json", params={"line": exc.lineno, "column": exc.colno}) from None
        except ValueError as exc:  # e.g. an integer with more digits than Python converts
            raise ValidationError("file", f"not valid JSON: {exc}", code="bad_json") from None
        return cls.from_dict(data)

    @functools.cached_property   # a frozen scenario: computed once (pages ask for it many times per rerun)
    def content_hash(self) -> str:
        """Stable identity: the first 12 hex digits of SHA-256 of the canonical JSON (name included)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    # ------------------------------------------------------------------ changed copies
    def replace(self, **changes) -> Scenario:
        """A copy with fields changed, validated like a loaded file."""
        d = self.to_dict()
        for key, value in changes.items():
            if key in ("groups", "targets"):
                value = [asdict(v) if not isinstance(v, dict) else v for v in value]
            d[key] = value
        return Scenario.from_dict(d)

    def with_group(self, group_id: str, **changes) -> Scenario:
        if group_id not in {g.id for g in self.groups}:
            raise ValidationError("groups", f"no group {group_id!r}", code="unknown_group",
                                  params={"group": group_id})
        groups = [replace(g, **changes) if g.id == group_id else g for g in self.groups]
        return self.replace(groups=groups)

    def group(self, group_id: str) -> GroupScenario:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise ValidationError("groups", f"no group {group_id!r}", code="unknown_group", params={"group": group_id})


def scenario_from_region(region: Region | str = "pontianak", *, name: str = "Kesepakatan 2026",
                         start_year: int = 2026, horizon_year: int = 2030, agreement_only: bool = True,
                         lang: str = "id", parameters: Parameters | None = None) -> Scenario:
    """A scenario with the region's groups and targets; the agreement's groups in scope; the other fields take
    their defaults from ``parameters`` (default: the shipped file)."""
    r = load_region(region) if isinstance(region, str) else region
    groups = tuple(
        GroupScenario(
            id=g.id, name=g.name(lang), in_scope=g.agreement or not agreement_only, members=int(g.members.value),
            already_covered=g.already_covered.value, take_up=g.take_up.value, start_year=start_year,
            phase_in_years=1, dropout=g.dropout.value, priority=i + 1,
        )
        for i, g in enumerate(r.groups)
    )
    targets = tuple(Target(id=t.id, name=t.name(lang), year=t.year, coverage_pct=t.coverage_pct) for t in r.targets)
    defaults = parameter_defaults(parameters)
    return Scenario(
        name=name, region=r.id, start_year=start_year, horizon_year=horizon_year, groups=groups, targets=targets,
        **{k: defaults[k] for k in SCENARIO_DEFAULTS},
    ).check()


def default_scenario(lang: str = "id", parameters: Parameters | None = None) -> Scenario:
    """The Pontianak 2026 agreement: 5,746 social workers, BPU JKK+JKM on the Rp1,000,000 floor."""
    name = "Kesepakatan 2026 (Pontianak)" if lang == "id" else "2026 agreement (Pontianak)"
    return scenario_from_region("pontianak", name=name, lang=lang, parameters=parameters)
