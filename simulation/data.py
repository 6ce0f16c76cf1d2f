"""Dated, sourced parameters and regions, loaded strictly from ``data/``.

Every value carries its source, an optional source date and a certainty mark:
``H`` regulation or several consistent sources, ``M`` one credible source,
``L`` weak or derived here, ``A`` assumption (nobody published it).
Loading refuses unknown keys, missing keys and out-of-range values with a
:class:`~simulation.errors.DataFileError` naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PARAMETERS_FILE = DATA_DIR / "parameters.yaml"
REGIONS_DIR = DATA_DIR / "regions"
CERTAINTIES = ("H", "M", "L", "A")


# --------------------------------------------------------------------------- strict reading helpers
def _keys(obj: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(obj, dict):
        raise DataFileError(where, "expected a mapping of keys to values", code="not_a_mapping")
    unknown = sorted(set(obj) - required - set(optional))
    if unknown:
        raise DataFileError(f"{where}.{unknown[0]}", f"unknown field {unknown[0]!r}", code="unknown_field",
                            params={"name": unknown[0]})
    missing = sorted(required - set(obj))
    if missing:
        raise DataFileError(f"{where}.{missing[0]}", f"missing field {missing[0]!r}", code="missing_field",
                            params={"name": missing[0]})
    return obj


def _number(obj: Any, where: str, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise DataFileError(where, f"expected a number, got {obj!r}", code="expected_number")
    try:
        finite = math.isfinite(obj)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise DataFileError(where, "expected a finite number of reasonable size", code="expected_number")
    if (lo is not None and obj < lo) or (hi is not None and obj > hi):
        raise DataFileError(where, f"{obj} is outside [{lo}, {hi}]", code="out_of_range",
                            params={"min": lo, "max": hi, "value": obj})
    return float(obj)


def _text(obj: Any, where: str, max_len: int = 500) -> str:
    if not isinstance(obj, str) or not obj.strip():
        raise DataFileError(where, "expected non-empty text", code="expected_text")
    if len(obj) > max_len:
        raise DataFileError(where, f"text longer than {max_len} characters", code="too_long",
                            params={"max": max_len})
    return obj.strip()


def _date(obj: Any, where: str) -> dt.date:
    if isinstance(obj, dt.date):
        return obj
    try:
        return dt.date.fromisoformat(str(obj))
    except ValueError:
        raise DataFileError(where, f"expected a date YYYY-MM-DD, got {obj!r}", code="expected_date") from None


def _year(obj: Any, where: str) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int) or not 1990 <= obj <= 2100:
        raise DataFileError(where, f"expected a year between 1990 and 2100, got {obj!r}", code="expected_year")
    return obj


def _certainty(obj: Any, where: str) -> str:
    if obj not in CERTAINTIES:
        raise DataFileError(where, f"certainty must be one of {', '.join(CERTAINTIES)}, got {obj!r}",
                            code="bad_certainty")
    return obj


# --------------------------------------------------------------------------- sourced values
# A source is kept as published (``source``); ``source_id`` / ``source_en`` optionally render it in the other
# language, so that a page, deck or workbook in Indonesian does not quote an English note (and the reverse).
SOURCE_LANG_KEYS = frozenset({"source_id", "source_en"})


def _source_langs(d: dict, where: str) -> dict:
    """The optional renderings of a source present in ``d`` (``source_id``, ``source_en``), read as text."""
    return {k: _text(d[k], f"{where}.{k}") for k in sorted(SOURCE_LANG_KEYS) if k in d}


class _SourceText:
    """``source_in(lang)``: the source for a reader of ``lang``, its rendering if given, else as published."""

    def source_in(self, lang: str) -> str:
        return getattr(self, f"source_{lang}", None) or self.source


@dataclass(frozen=True)
class Sourced(_SourceText):
    """One value with where it comes from."""

    value: float
    source: str
    certainty: str
    source_date: dt.date | None = None
    source_id: str | None = None   # the source in Indonesian, when ``source`` is not
    source_en: str | None = None   # the source in English, when ``source`` is not

    @property
    def is_assumption(self) -> bool:
        return self.certainty == "A"

    @classmethod
    def read(cls, obj: Any, where: str, lo: float | None = None, hi: float | None = None) -> Sourced:
        d = _keys(obj, where, {"value", "source", "certainty"}, {"source_date"} | SOURCE_LANG_KEYS)
        return cls(
            value=_number(d["value"], f"{where}.value", lo, hi),
            source=_text(d["source"], f"{where}.source"),
            certainty=_certainty(d["certainty"], f"{where}.certainty"),
            source_date=_date(d["source_date"], f"{where}.source_date") if "source_date" in d else None,
            **_source_langs(d, where),
        )


@dataclass(frozen=True)
class YearValue(Sourced):
    """A sourced value for one year (coverage [%], workers [persons], money [Rp])."""

    year: int = 0
    # coverage history only: what the percentage is of, and True on the first point of a new base (a break);
    # None when not given (a region without them keeps the identity it had before they existed)
    base: str | None = None
    break_before: bool | None = None

    @classmethod
    def read_series(cls, obj: Any, where: str, value_key: str = "value", lo: float | None = None,
                    hi: float | None = None, min_len: int = 0, with_base: bool = False) -> tuple[YearValue, ...]:
        """``with_base``: the points may carry ``base`` (text) and ``break_before`` (true on the first point of a
        new base); two consecutive points with different bases need the mark, the first point cannot have it."""
        if not isinstance(obj, list):
            raise DataFileError(where, "expected a list of yearly values", code="not_a_list")
        if len(obj) < min_len:
            raise DataFileError(where, f"expected at least {min_len} years", code="too_few",
                                params={"min": min_len})
        out = []
        for i, item in enumerate(obj):
            w = f"{where}[{i}]"
            d = _keys(item, w, {"year", value_key, "source", "certainty"},
                      ({"source_date", "base", "break_before"} if with_base else {"source_date"}) | SOURCE_LANG_KEYS)
            if "break_before" in d and not isinstance(d["break_before"], bool):
                raise DataFileError(f"{w}.break_before", "expected true or false", code="expected_bool")
            out.append(cls(
                year=_year(d["year"], f"{w}.year"),
                value=_number(d[value_key], f"{w}.{value_key}", lo, hi),
                source=_text(d["source"], f"{w}.source"),
                certainty=_certainty(d["certainty"], f"{w}.certainty"),
                source_date=_date(d["source_date"], f"{w}.source_date") if "source_date" in d else None,
                base=_text(d["base"], f"{w}.base", 200) if "base" in d else None,
                break_before=True if d.get("break_before") else None,
                **_source_langs(d, w),
            ))
        years = [v.year for v in out]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise DataFileError(where, f"year {dup[0]} appears twice", code="duplicate_year",
                                params={"year": dup[0]})
        ordered = tuple(sorted(out, key=lambda v: v.year))
        if ordered and ordered[0].break_before:
            raise DataFileError(f"{where}[{out.index(ordered[0])}].break_before",
                                f"{ordered[0].year} is the first year: there is no earlier base to break from",
                                code="break_on_first", params={"year": ordered[0].year})
        for prev, cur in zip(ordered, ordered[1:], strict=False):
            if prev.base and cur.base and prev.base != cur.base and not cur.break_before:
                raise DataFileError(f"{where}[{out.index(cur)}].break_before",
                                    f"the base changes in {cur.year} ({prev.base!r} -> {cur.base!r}): mark it "
                                    "with break_before: true", code="base_change_unmarked",
                                    params={"year": cur.year})
        return ordered


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class ParameterValue(_SourceText):
    since: dt.date
    value: float
    source: str
    certainty: str
    source_date: dt.date | None = None   # when the source was published or read (optional in the file)
    source_id: str | None = None   # the source in Indonesian, when ``source`` is not
    source_en: str | None = None   # the source in English, when ``source`` is not


LANGS = ("id", "en")   # the languages every parameter label is written in
# the units a parameter may have (pages and exports format each of them)
UNITS = ("share", "percent/year", "per year", "ratio", "IDR/month", "IDR/claim", "months", "logit/year",
         "pseudo-changes")
SIGNED_UNITS = ("logit/year",)   # units whose values may be negative (a trend can fall)


@dataclass(frozen=True)
class Parameter:
    id: str
    labels: dict[str, str]   # {"id": ..., "en": ...}: what the parameter is, in each language
    unit: str
    values: tuple[ParameterValue, ...]

    def label(self, lang: str) -> str:
        """The parameter's name for a reader, in ``lang`` (``id`` or ``en``; anything else reads Indonesian)."""
        return self.labels.get(lang, self.labels["id"])

    def at(self, on: dt.date) -> ParameterValue:
        """The value in force on a date (the newest whose ``since`` is not after it)."""
        found = None
        for v in self.values:
            if v.since <= on:
                found = v
        if found is None:
            raise DataFileError(f"parameter {self.id}", f"no value in force on {on.isoformat()}",
                                code="no_value_on_date", params={"date": on.isoformat()})
        return found

    @property
    def latest(self) -> ParameterValue:
        return self.values[-1]


@dataclass(frozen=True)
class Parameters:
    still_valid_on: dt.date
    items: dict[str, Parameter]

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self.items[key]
        except KeyError:
            raise DataFileError(f"parameters.{key}", "no such parameter", code="unknown_parameter") from None

    def value(self, key: str, on: dt.date) -> float:
        return self[key].at(on).value

    def latest(self, key: str) -> float:
        return self[key].latest.value

    def replace_value(self, key: str, value: float, since: dt.date | None = None) -> Parameters:
        """A copy in which ``key`` takes ``value`` from ``since`` on (default: its newest value is replaced)."""
        p = self[key]
        if since is None:
            values = (*p.values[:-1], replace(p.values[-1], value=value))
        else:
            kept = tuple(v for v in p.values if v.since < since)
            values = (*kept, ParameterValue(since, value, "user", "A"))
        return replace(self, items={**self.items, key: replace(p, values=values)})


# libyaml's safe loader (in PyYAML's wheels) reads the same objects as yaml.safe_load, about 9 times faster:
# 5 ms instead of 44 ms for the shipped files, on the first page's run. PyYAML built without libyaml has only
# the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path.name), f"cannot read file: {exc.strerror}", code="unreadable") from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)   # a safe loader (tests/test_security.py)
    except yaml.YAMLError as exc:
        raise DataFileError(str(path.name), f"not valid YAML: {exc}", code="bad_yaml") from None


def parse_parameters(obj: Any, where: str = "parameters.yaml") -> Parameters:
    d = _keys(obj, where, {"still_valid_on", "parameters"})
    items: dict[str, Parameter] = {}
    params = d["parameters"]
    if not isinstance(params, dict) or not params:
        raise DataFileError(f"{where}.parameters", "expected a non-empty mapping", code="not_a_mapping")
    for pid, body in params.items():
        w = f"{where}: {pid}"
        b = _keys(body, w, {"label", "unit", "values"})
        lb = _keys(b["label"], f"{w}.label", set(LANGS))
        labels = {lang: _text(lb[lang], f"{w}.label.{lang}", 200) for lang in LANGS}
        if not isinstance(b["values"], list) or not b["values"]:
            raise DataFileError(f"{w}.values", "expected a non-empty list", code="not_a_list")
        vals = []
        for i, v in enumerate(b["values"]):
            vw = f"{w}.values[{i}]"
            vd = _keys(v, vw, {"since", "value", "source", "certainty"},
                       {"note", "source_date"} | SOURCE_LANG_KEYS)
            vals.append(ParameterValue(
                since=_date(vd["since"], f"{vw}.since"),
                value=_number(vd["value"], f"{vw}.value", None if b["unit"] in SIGNED_UNITS else 0),
                source=_text(vd["source"], f"{vw}.source"),
                certainty=_certainty(vd["certainty"], f"{vw}.certainty"),
                source_date=_date(vd["source_date"], f"{vw}.source_date") if "source_date" in vd else None,
                **_source_langs(vd, vw),
            ))
        dates = [v.since for v in vals]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise DataFileError(f"{w}.values", "dates must be strictly increasing", code="unsorted_dates")
        if b["unit"] not in UNITS:
            raise DataFileError(f"{w}.unit", f"unit must be one of {', '.join(UNITS)}, got {b['unit']!r}",
                                code="bad_choice", params={"choices": ", ".join(UNITS)})
        items[pid] = Parameter(pid, labels, b["unit"], tuple(vals))
    return Parameters(_date(d["still_valid_on"], f"{where}.still_valid_on"), items)


@functools.lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS_FILE) -> Parameters:
    """The parameter set of a file, read once (default: the shipped ``data/parameters.yaml``)."""
    return parse_parameters(_read_yaml(Path(path)), Path(path).name)


def resolve(parameters: Parameters | None) -> Parameters:
    """The parameter set an engine function uses: the one passed, else the shipped one."""
    return load_parameters() if parameters is None else parameters


# --------------------------------------------------------------------------- regions
@dataclass(frozen=True)
class GroupDefaults:
    """A group of workers the region could pay contributions for (defaults for a scenario)."""

    id: str
    name_id: str
    name_en: str
    agreement: bool          # part of the region's signed PBI agreement
    members: Sourced         # [persons]
    already_covered: Sourced  # [share 0..1] already insured by other means
    take_up: Sourced         # [share 0..1] of the eligible who enrol
    dropout: Sourced         # [share 0..1] inactive at any time

    def name(self, lang: str) -> str:
        return self.name_id if lang == "id" else self.name_en


@dataclass(frozen=True)
class Target(_SourceText):
    id: str
    name_id: str
    name_en: str
    year: int
    coverage_pct: float      # [% of potential workers]
    source: str
    certainty: str
    source_date: dt.date | None = None
    source_id: str | None = None   # the source in Indonesian, when ``source`` is not
    source_en: str | None = None   # the source in English, when ``source`` is not

    def name(self, lang: str) -> str:
        return self.name_id if lang == "id" else self.name_en


@dataclass(frozen=True)
class SchemeYear(_SourceText):
    """What a region's PBI scheme actually paid in one year: the record the model's claims are set against."""

    year: int
    contributions_idr: float   # contributions paid from the regional budget [Rp/year]
    claims_idr: float          # claims paid to participants' families [Rp/year]
    source: str
    certainty: str
    source_date: dt.date | None = None
    source_id: str | None = None   # the source in Indonesian, when ``source`` is not
    source_en: str | None = None   # the source in English, when ``source`` is not

    @property
    def claims_to_contributions(self) -> float:
        return self.claims_idr / self.contributions_idr


def _scheme_record(obj: Any, where: str) -> tuple[SchemeYear, ...]:
    if not isinstance(obj, list):
        raise DataFileError(where, "expected a list of yearly records", code="not_a_list")
    out = []
    for i, item in enumerate(obj):
        w = f"{where}[{i}]"
        d = _keys(item, w, {"year", "contributions_idr", "claims_idr", "source", "certainty"},
                  {"source_date"} | SOURCE_LANG_KEYS)
        out.append(SchemeYear(
            year=_year(d["year"], f"{w}.year"),
            contributions_idr=_number(d["contributions_idr"], f"{w}.contributions_idr", 1, 1e15),
            claims_idr=_number(d["claims_idr"], f"{w}.claims_idr", 0, 1e15),
            source=_text(d["source"], f"{w}.source"), certainty=_certainty(d["certainty"], f"{w}.certainty"),
            source_date=_date(d["source_date"], f"{w}.source_date") if "source_date" in d else None,
            **_source_langs(d, w),
        ))
    years = [r.year for r in out]
    dup = sorted({y for y in years if years.count(y) > 1})
    if dup:
        raise DataFileError(where, f"year {dup[0]} appears twice", code="duplicate_year", params={"year": dup[0]})
    return tuple(sorted(out, key=lambda r: r.year))


@dataclass(frozen=True)
class Region:
    """A city, regency or province: history, workers, groups, targets, budget."""

    id: str
    name: str
    kind: str
    province: str
    coverage_history: tuple[YearValue, ...]   # value [% of potential workers]
    potential_workers: tuple[YearValue, ...]  # value [persons]
    worker_growth_pct: Sourced                # [%/year]
    formal_share: Sourced                     # [share of potential workers]
    formal_coverage: Sourced                  # [share of formal workers covered]
    min_wage: tuple[YearValue, ...]           # [Rp/month]
    apbd: tuple[YearValue, ...]               # [Rp/year]
    apbd_growth_pct: Sourced                  # [%/year]
    groups: tuple[GroupDefaults, ...]
    targets: tuple[Target, ...]
    # optional: what the region's scheme actually paid, by year (contributions and claims) [Rp/year]
    scheme_record: tuple[SchemeYear, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    # -- derived values
    @property
    def last_history_year(self) -> int:
        return self.coverage_history[-1].year

    def potential_workers_in(self, year: int, growth_pct: float | None = None) -> float:
        """Potential workers in a year [persons]: nearest published year grown at ``growth_pct``."""
        g = self.worker_growth_pct.value if growth_pct is None else growth_pct
        known = {v.year: v.value for v in self.potential_workers}
        if year in known:
            return known[year]
        ref = min(known, key=lambda y: (abs(y - year), -y))
        return known[ref] * (1 + g / 100) ** (year - ref)

    def min_wage_in(self, year: int, indexation_pct: float) -> float:
        """Minimum wage [Rp/month]: published value, else the last one indexed yearly."""
        known = {v.year: v.value for v in self.min_wage}
        if year in known:
            return known[year]
        last = max(y for y in known if y <= year) if any(y <= year for y in known) else min(known)
        return known[last] * (1 + indexation_pct / 100) ** (year - last)

    def apbd_in(self, year: int) -> float:
        """Total regional budget [Rp/year]: published/assumed value, else grown at ``apbd_growth_pct``."""
        known = {v.year: v.value for v in self.apbd}
        if year in known:
            return known[year]
        ref = min(known, key=lambda y: (abs(y - year), -y))
        return known[ref] * (1 + self.apbd_growth_pct.value / 100) ** (year - ref)

    def group(self, gid: str) -> GroupDefaults | None:
        return next((g for g in self.groups if g.id == gid), None)

    def to_dict(self) -> dict:
        def conv(o):
            if isinstance(o, dt.date):
                return o.isoformat()
            if isinstance(o, dict):
                return {k: conv(v) for k, v in o.items() if v is not None}
            if isinstance(o, (list, tuple)):
                return [conv(v) for v in o]
            return o
        d = asdict(self)
        d.pop("extra", None)
        if not d["scheme_record"]:   # a region without a record keeps the identity it had before records existed
            d.pop("scheme_record")
        for key in ("coverage_history",):
            for row in d[key]:
                row["coverage_pct"] = row.pop("value")
        return conv(d)

    @property
    def content_hash(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def with_history(self, history: tuple[YearValue, ...]) -> Region:
        return replace(self, coverage_history=tuple(sorted(history, key=lambda v: v.year)))


def parse_region(obj: Any, where: str) -> Region:
    d = _keys(obj, where, {"id", "name", "kind", "province", "coverage_history", "potential_workers",
                           "worker_growth_pct", "formal_share", "formal_coverage", "min_wage", "apbd",
                           "apbd_growth_pct", "groups", "targets"}, {"scheme_record"})
    groups = []
    if not isinstance(d["groups"], list) or not d["groups"]:
        raise DataFileError(f"{where}.groups", "expected a non-empty list", code="not_a_list")
    for i, g in enumerate(d["groups"]):
        w = f"{where}.groups[{i}]"
        gd = _keys(g, w, {"id", "name_id", "name_en", "agreement", "members", "already_covered", "take_up",
                          "dropout"})
        if not isinstance(gd["agreement"], bool):
            raise DataFileError(f"{w}.agreement", "expected true or false", code="expected_bool")
        groups.append(GroupDefaults(
            id=_text(gd["id"], f"{w}.id", 40), name_id=_text(gd["name_id"], f"{w}.name_id", 80),
            name_en=_text(gd["name_en"], f"{w}.name_en", 80), agreement=gd["agreement"],
            members=Sourced.read(gd["members"], f"{w}.members", 0, 1e8),
            already_covered=Sourced.read(gd["already_covered"], f"{w}.already_covered", 0, 1),
            take_up=Sourced.read(gd["take_up"], f"{w}.take_up", 0, 1),
            dropout=Sourced.read(gd["dropout"], f"{w}.dropout", 0, 1),
        ))
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids):
        raise DataFileError(f"{where}.groups", "group ids must be unique", code="duplicate_id")
    targets = []
    for i, t in enumerate(d["targets"] or []):
        w = f"{where}.targets[{i}]"
        td = _keys(t, w, {"id", "name_id", "name_en", "year", "coverage_pct", "source", "certainty"},
                   {"source_date"} | SOURCE_LANG_KEYS)
        targets.append(Target(
            id=_text(td["id"], f"{w}.id", 40), name_id=_text(td["name_id"], f"{w}.name_id", 80),
            name_en=_text(td["name_en"], f"{w}.name_en", 80), year=_year(td["year"], f"{w}.year"),
            coverage_pct=_number(td["coverage_pct"], f"{w}.coverage_pct", 0, 100),
            source=_text(td["source"], f"{w}.source"), certainty=_certainty(td["certainty"], f"{w}.certainty"),
            source_date=_date(td["source_date"], f"{w}.source_date") if "source_date" in td else None,
            **_source_langs(td, w),
        ))
    return Region(
        id=_text(d["id"], f"{where}.id", 40), name=_text(d["name"], f"{where}.name", 120),
        kind=_text(d["kind"], f"{where}.kind", 40), province=_text(d["province"], f"{where}.province", 120),
        coverage_history=YearValue.read_series(d["coverage_history"], f"{where}.coverage_history",
                                               "coverage_pct", 0, 100, min_len=2, with_base=True),
        potential_workers=YearValue.read_series(d["potential_workers"], f"{where}.potential_workers",
                                                lo=1, min_len=1),
        worker_growth_pct=Sourced.read(d["worker_growth_pct"], f"{where}.worker_growth_pct", -20, 20),
        formal_share=Sourced.read(d["formal_share"], f"{where}.formal_share", 0, 1),
        formal_coverage=Sourced.read(d["formal_coverage"], f"{where}.formal_coverage", 0, 1),
        min_wage=YearValue.read_series(d["min_wage"], f"{where}.min_wage", lo=0, min_len=1),
        apbd=YearValue.read_series(d["apbd"], f"{where}.apbd", lo=1, min_len=1),
        apbd_growth_pct=Sourced.read(d["apbd_growth_pct"], f"{where}.apbd_growth_pct", -50, 50),
        groups=tuple(groups), targets=tuple(targets),
        scheme_record=_scheme_record(d["scheme_record"], f"{where}.scheme_record") if "scheme_record" in d else (),
    )


def region_ids() -> tuple[str, ...]:
    """Ids of the shipped regions, default (Pontianak) first."""
    ids = sorted(p.stem for p in REGIONS_DIR.glob("*.yaml"))
    return tuple(sorted(ids, key=lambda i: (i != "pontianak", i)))


@functools.lru_cache(maxsize=16)
def load_region(region_id: str) -> Region:
    if region_id not in region_ids():
        raise DataFileError("region", f"unknown region {region_id!r}", code="unknown_region",
                            params={"name": region_id})
    path = REGIONS_DIR / f"{region_id}.yaml"
    region = parse_region(_read_yaml(path), f"regions/{path.name}")
    if region.id != region_id:
        raise DataFileError(f"regions/{path.name}.id", f"id {region.id!r} differs from the file name",
                            code="id_mismatch")
    return region
