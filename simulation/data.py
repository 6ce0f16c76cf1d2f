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
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError, ValidationError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PARAMETERS_FILE = DATA_DIR / "parameters.yaml"
REGIONS_DIR = DATA_DIR / "regions"
REGION_DEFAULTS_FILE = DATA_DIR / "region_defaults.yaml"   # outside regions/: not a region
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
        raise DataFileError(where, f"expected a number, got {obj!r}", code="expected_number",
                            params={"value": str(obj)[:40]})
    try:
        finite = math.isfinite(obj)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise DataFileError(where, "expected a finite number of reasonable size", code="expected_number",
                            params={"value": str(obj)[:40]})
    if hi is None and lo is not None and obj < lo:   # a floor only: "at least 1", never "between 1 and None"
        raise DataFileError(where, f"{obj} is less than {lo}", code="too_small", params={"min": lo, "value": obj})
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
class MissingNote:
    """Why a region's field is missing (where we looked, what to fill), in Indonesian and English: a region file's
    ``missing: {field: {id: ..., en: ...}}``. A note written as one text is kept as a plain ``str`` (any language)."""

    id: str
    en: str

    def in_lang(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    @staticmethod
    def read(obj: Any, where: str) -> str | MissingNote:
        """A note as written: one text (kept as it is, "" allowed), or ``{id: ..., en: ...}`` (both required)."""
        if isinstance(obj, str):
            if len(obj) > 500:
                raise DataFileError(where, "expected a note of at most 500 characters", code="expected_text",
                                    params={"max": 500})
            return obj.strip()
        if not isinstance(obj, dict):
            raise DataFileError(where, "expected a note of at most 500 characters, or {id: ..., en: ...}",
                                code="expected_text", params={"max": 500})
        d = _keys(obj, where, {"id", "en"}, set())
        return MissingNote(id=_text(d["id"], f"{where}.id"), en=_text(d["en"], f"{where}.en"))


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
    # (field, where we looked) for every optional field the region's own data leave out (the file's ``missing:``
    # map: a MissingNote in both languages, or one text as written; "" when the file gives no note), sorted by
    # field; and which of them were filled with marked defaults from data/region_defaults.yaml (never written back
    # into the region's own file: :func:`region_yaml`)
    missing_notes: tuple[tuple[str, str | MissingNote], ...] = ()
    defaulted: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    # -- what the region's own data lack
    @property
    def missing(self) -> tuple[str, ...]:
        """The optional fields absent from the region's own data (sorted); see :attr:`defaulted`."""
        return tuple(f for f, _note in self.missing_notes)

    def missing_note(self, name: str, lang: str = "en") -> str | None:
        """Where the file says it looked for a missing field, for a reader of ``lang`` (a note written as one text:
        as written; "" when it says nothing; None: not missing)."""
        note = dict(self.missing_notes).get(name)
        return note.in_lang(lang) if isinstance(note, MissingNote) else note

    @property
    def needs(self) -> tuple[str, ...]:
        """The fields that must be entered before a first projection: two years of coverage history and one count
        of potential workers, and whatever the engine needs that no default could fill (a minimum wage, a budget
        and groups outside a province of data/region_defaults.yaml). Empty when the region is :attr:`ready`."""
        out = []
        if len(self.coverage_history) < 2:
            out.append("coverage_history")
        for name in ("potential_workers", "min_wage", "apbd", "groups"):
            if not getattr(self, name):
                out.append(name)
        return tuple(out)

    @property
    def ready(self) -> bool:
        """Enough data for a first projection (nothing in :attr:`needs`)."""
        return not self.needs

    def require_ready(self) -> None:
        """Refuse (code ``region_not_ready``, params ``region`` and ``missing``) a region the engine cannot project."""
        if self.needs:
            raise ValidationError("region", f"region {self.id!r} lacks {', '.join(self.needs)} for a projection",
                                  code="region_not_ready",
                                  params={"region": self.name, "id": self.id, "missing": ", ".join(self.needs)})

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
        # what the region lacks, only when it lacks something (a complete region keeps its identity); a snapshot
        # keeps the defaults it was made with (``defaulted``), so its numbers do not move with the defaults file
        notes, defaulted = d.pop("missing_notes"), d.pop("defaulted")
        if notes:
            d["missing"] = {name: note for name, note in notes}
        if defaulted:
            d["defaulted"] = list(defaulted)
        for key in ("coverage_history",):
            for row in d[key]:
                row["coverage_pct"] = row.pop("value")
        return conv(d)

    @property
    def content_hash(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def with_history(self, history: tuple[YearValue, ...]) -> Region:
        return self.with_data(coverage_history=tuple(sorted(history, key=lambda v: v.year)))

    def with_data(self, **changes) -> Region:
        """A copy with ``changes`` (fields of the region); an optional field given a value is no longer missing
        nor defaulted, one given an empty list becomes missing."""
        given = {k for k, v in changes.items() if k in OPTIONAL_FIELDS and v not in ((), [], None)}
        emptied = {k for k, v in changes.items() if k in OPTIONAL_FIELDS and k not in given}
        notes = dict(self.missing_notes)
        for k in given:
            notes.pop(k, None)
        for k in emptied:
            notes.setdefault(k, "")
        return replace(self, **changes, missing_notes=tuple(sorted(notes.items())),
                       defaulted=tuple(f for f in self.defaulted if f not in given | emptied))


# --------------------------------------------------------------------------- region defaults
KINDS = ("kota", "kabupaten", "provinsi")
REGION_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")   # a region's id (and a shipped file's name): as a scenario's
#: the fields a region file may leave out (listed with where we looked under ``missing:``)
OPTIONAL_FIELDS = ("coverage_history", "potential_workers", "min_wage", "apbd", "worker_growth_pct", "formal_share",
                   "formal_coverage", "apbd_growth_pct", "groups", "targets")
_SCALAR_FIELDS = {"worker_growth_pct": (-20, 20), "formal_share": (0, 1), "formal_coverage": (0, 1),
                  "apbd_growth_pct": (-50, 50)}


@dataclass(frozen=True)
class GroupTemplate:
    """A default candidate group for a region that lists none: its size per 1,000 potential workers."""

    group: GroupDefaults     # members: the per-1,000 ratio (value) with its source
    per_1000: Sourced


@dataclass(frozen=True)
class ProvinceDefaults:
    min_wage: tuple[YearValue, ...] = ()          # the province's UMP [Rp/month], a default for a missing UMK
    apbd_per_worker: Sourced | None = None        # [Rp per potential worker and year]
    scalars: tuple[tuple[str, Sourced], ...] = ()  # overrides of the fallback scalars for this province


@dataclass(frozen=True)
class RegionDefaults:
    """``data/region_defaults.yaml``: national targets (every region gets them) and marked defaults."""

    national_targets: tuple[Target, ...]
    scalars: dict[str, Sourced]                    # worker_growth_pct, formal_share, formal_coverage, apbd_growth_pct
    provinces: dict[str, ProvinceDefaults]
    groups: tuple[GroupTemplate, ...]

    def scalar(self, name: str, province: str) -> Sourced:
        own = dict(self.provinces[province].scalars) if province in self.provinces else {}
        return own.get(name, self.scalars[name])


def _read_targets(obj: Any, where: str) -> list[Target]:
    if not isinstance(obj, list):
        raise DataFileError(where, "expected a list of targets", code="not_a_list")
    targets = []
    for i, t in enumerate(obj):
        w = f"{where}[{i}]"
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
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise DataFileError(where, "target ids must be unique", code="duplicate_id")
    return targets


def _read_group(g: Any, w: str, members_hi: float = 1e8, template: bool = False) -> tuple[GroupDefaults, Sourced]:
    size_key = "per_1000_workers" if template else "members"
    gd = _keys(g, w, {"id", "name_id", "name_en", "agreement", size_key, "already_covered", "take_up", "dropout"})
    if not isinstance(gd["agreement"], bool):
        raise DataFileError(f"{w}.agreement", "expected true or false", code="expected_bool")
    size = Sourced.read(gd[size_key], f"{w}.{size_key}", 0, members_hi)
    return GroupDefaults(
        id=_text(gd["id"], f"{w}.id", 40), name_id=_text(gd["name_id"], f"{w}.name_id", 80),
        name_en=_text(gd["name_en"], f"{w}.name_en", 80), agreement=gd["agreement"], members=size,
        already_covered=Sourced.read(gd["already_covered"], f"{w}.already_covered", 0, 1),
        take_up=Sourced.read(gd["take_up"], f"{w}.take_up", 0, 1),
        dropout=Sourced.read(gd["dropout"], f"{w}.dropout", 0, 1),
    ), size


def parse_region_defaults(obj: Any, where: str = "region_defaults.yaml") -> RegionDefaults:
    d = _keys(obj, where, {"national_targets", "scalars", "provinces", "groups"})
    national = _read_targets(d["national_targets"], f"{where}.national_targets")
    sc = _keys(d["scalars"], f"{where}.scalars", set(_SCALAR_FIELDS))
    scalars = {k: Sourced.read(sc[k], f"{where}.scalars.{k}", *_SCALAR_FIELDS[k]) for k in _SCALAR_FIELDS}
    if not isinstance(d["provinces"], dict):
        raise DataFileError(f"{where}.provinces", "expected a mapping of provinces", code="not_a_mapping")
    provinces = {}
    for name, body in d["provinces"].items():
        w = f"{where}.provinces.{name}"
        b = _keys(body, w, set(), {"min_wage", "apbd_per_worker", *_SCALAR_FIELDS})
        provinces[_text(name, w, 120)] = ProvinceDefaults(
            min_wage=YearValue.read_series(b["min_wage"], f"{w}.min_wage", lo=0) if "min_wage" in b else (),
            apbd_per_worker=Sourced.read(b["apbd_per_worker"], f"{w}.apbd_per_worker", 1, 1e9)
            if "apbd_per_worker" in b else None,
            scalars=tuple((k, Sourced.read(b[k], f"{w}.{k}", *_SCALAR_FIELDS[k])) for k in _SCALAR_FIELDS if k in b),
        )
    if not isinstance(d["groups"], list) or not d["groups"]:
        raise DataFileError(f"{where}.groups", "expected a non-empty list", code="not_a_list")
    groups = tuple(GroupTemplate(*_read_group(g, f"{where}.groups[{i}]", 1000, template=True))
                   for i, g in enumerate(d["groups"]))
    return RegionDefaults(tuple(national), scalars, provinces, groups)


@functools.lru_cache(maxsize=4)
def load_region_defaults(path: Path = REGION_DEFAULTS_FILE) -> RegionDefaults:
    """The marked defaults of ``data/region_defaults.yaml`` (read once)."""
    return parse_region_defaults(_read_yaml(Path(path)), Path(path).name)


def _default_note(text: str) -> str:
    return text if len(text) <= 500 else text[:497] + "..."


def _defaulted_series(name: str, province: str, workers: tuple[YearValue, ...],
                      defaults: RegionDefaults) -> tuple[YearValue, ...]:
    """A missing ``min_wage`` (the province's UMP) or ``apbd`` (budget per potential worker x the latest count)."""
    prov = defaults.provinces.get(province)
    if prov is None:
        return ()
    if name == "min_wage":
        return prov.min_wage
    per = prov.apbd_per_worker
    if per is None or not workers:
        return ()
    last = workers[-1]
    return (YearValue(
        year=last.year, value=float(round(per.value * last.value)), certainty=per.certainty,
        **_times_workers(per, last)),)


def _times_workers(size: Sourced, workers: YearValue) -> dict:
    """The sources of a default scaled by a region's potential workers (in each language the default gives)."""
    n = f"{workers.value:,.0f}"
    out = {"source": _default_note(f"{size.source} x {n} potential workers ({workers.year})")}
    if size.source_id:
        out["source_id"] = _default_note(f"{size.source_id} x {n.replace(',', '.')} pekerja potensial "
                                         f"({workers.year})")
    if size.source_en:
        out["source_en"] = _default_note(f"{size.source_en} x {n} potential workers ({workers.year})")
    return out


def _defaulted_groups(workers: tuple[YearValue, ...], defaults: RegionDefaults) -> tuple[GroupDefaults, ...]:
    """The default candidate groups, sized per 1,000 potential workers (latest count)."""
    if not workers:
        return ()
    last = workers[-1]
    return tuple(replace(t.group, members=Sourced(
        value=float(round(t.per_1000.value * last.value / 1000)), certainty=t.per_1000.certainty,
        **_times_workers(t.per_1000, last))) for t in defaults.groups)


def _given(d: dict, name: str) -> bool:
    """The region's own data hold the field (an empty list counts as left out)."""
    return name in d and d[name] is not None and d[name] != []


def parse_region(obj: Any, where: str, defaults: RegionDefaults | None = None) -> Region:
    """A region from its file (or ``Region.to_dict()``), strictly; what it leaves out is filled with the marked
    defaults of ``data/region_defaults.yaml`` (``defaults``: another set) and recorded in ``missing_notes`` and
    ``defaulted``. The national targets are added unless the region lists a target with the same id."""
    defaults = load_region_defaults() if defaults is None else defaults
    d = _keys(obj, where, {"id", "name", "kind", "province"}, {*OPTIONAL_FIELDS, "scheme_record", "missing",
                                                                "defaulted"})
    rid = _text(d["id"], f"{where}.id", 40)
    if not REGION_ID_RE.fullmatch(rid):
        raise DataFileError(f"{where}.id", "an id has 1 to 40 lower-case letters, digits, '-' or '_'",
                            code="bad_id", params={"name": rid})
    if d["kind"] not in KINDS:
        raise DataFileError(f"{where}.kind", f"kind must be one of {', '.join(KINDS)}, got {d['kind']!r}",
                            code="bad_choice", params={"choices": ", ".join(KINDS)})
    province = _text(d["province"], f"{where}.province", 120)
    notes_in = _keys(d.get("missing") or {}, f"{where}.missing", set(), set(OPTIONAL_FIELDS))
    notes = {name: MissingNote.read(note, f"{where}.missing.{name}") for name, note in notes_in.items()}
    defaulted_in = d.get("defaulted") or []
    if not isinstance(defaulted_in, list) or any(f not in notes for f in defaulted_in) \
            or len(set(defaulted_in)) != len(defaulted_in):
        raise DataFileError(f"{where}.defaulted", "expected a list of fields named under missing",
                            code="bad_defaulted")
    national = {t.id for t in defaults.national_targets}
    for name in OPTIONAL_FIELDS:
        if not _given(d, name):
            notes.setdefault(name, "")
        elif name in notes and name not in defaulted_in and not (
                name == "targets" and isinstance(d[name], list)
                and all(isinstance(t, dict) and t.get("id") in national for t in d[name])):
            raise DataFileError(f"{where}.missing.{name}", f"{name} is listed as missing but given",
                                code="missing_but_given", params={"name": name})
    own = {name: _given(d, name) for name in OPTIONAL_FIELDS}
    history = YearValue.read_series(d["coverage_history"], f"{where}.coverage_history", "coverage_pct", 0, 100,
                                    with_base=True) if own["coverage_history"] else ()
    workers = YearValue.read_series(d["potential_workers"], f"{where}.potential_workers", lo=1) \
        if own["potential_workers"] else ()
    filled = []
    scalars = {}
    for name, (lo, hi) in _SCALAR_FIELDS.items():
        if own[name]:
            scalars[name] = Sourced.read(d[name], f"{where}.{name}", lo, hi)
        else:
            scalars[name] = defaults.scalar(name, province)
            filled.append(name)
    series = {}
    for name, lo in (("min_wage", 0), ("apbd", 1)):
        if own[name]:
            series[name] = YearValue.read_series(d[name], f"{where}.{name}", lo=lo)
        else:
            series[name] = _defaulted_series(name, province, workers, defaults)
            if series[name]:
                filled.append(name)
    if own["groups"]:
        if not isinstance(d["groups"], list):
            raise DataFileError(f"{where}.groups", "expected a list of groups", code="not_a_list")
        groups = tuple(_read_group(g, f"{where}.groups[{i}]")[0] for i, g in enumerate(d["groups"]))
        ids = [g.id for g in groups]
        if len(set(ids)) != len(ids):
            raise DataFileError(f"{where}.groups", "group ids must be unique", code="duplicate_id")
    else:
        groups = _defaulted_groups(workers, defaults)
        if groups:
            filled.append("groups")
    targets = _read_targets(d["targets"], f"{where}.targets") if own["targets"] else []
    listed = {t.id for t in targets}
    targets += [t for t in defaults.national_targets if t.id not in listed]
    # a snapshot (to_dict) names the fields its values came from defaults for: they stay defaulted
    filled = sorted(set(filled) | (set(defaulted_in) & {n for n in OPTIONAL_FIELDS if own[n]}))
    return Region(
        id=rid, name=_text(d["name"], f"{where}.name", 120), kind=d["kind"], province=province,
        coverage_history=history, potential_workers=workers,
        worker_growth_pct=scalars["worker_growth_pct"], formal_share=scalars["formal_share"],
        formal_coverage=scalars["formal_coverage"], min_wage=series["min_wage"], apbd=series["apbd"],
        apbd_growth_pct=scalars["apbd_growth_pct"], groups=groups, targets=tuple(targets),
        scheme_record=_scheme_record(d["scheme_record"], f"{where}.scheme_record") if "scheme_record" in d else (),
        missing_notes=tuple(sorted(notes.items())), defaulted=tuple(filled),
    )


def region_data(region: Region, defaults: RegionDefaults | None = None) -> dict:
    """The region's own data (JSON-ready, as in its file): what it left out is listed under ``missing:`` (with its
    note); defaults are left out, and so are the national targets it did not change. :func:`parse_region` reads it
    back equal (with the same defaults file)."""
    defaults = load_region_defaults() if defaults is None else defaults
    d = region.to_dict()
    d.pop("defaulted", None)
    notes = d.pop("missing", {})
    for name in region.missing:
        if name != "targets":
            d.pop(name, None)
    national = {t.id: t for t in defaults.national_targets}
    own = [t for t in region.targets if national.get(t.id) != t]
    if (*own, *(t for t in defaults.national_targets if t.id not in {o.id for o in own})) == region.targets:
        d["targets"] = [row for t, row in zip(region.targets, d["targets"], strict=True) if t in own]
    if not d["targets"]:
        d.pop("targets")
    if notes:
        d["missing"] = notes
    return d


def region_yaml(region: Region, defaults: RegionDefaults | None = None) -> str:
    """The region's own data (:func:`region_data`) in the format of ``data/regions/*.yaml``; :func:`parse_region`
    reads it back equal."""
    d = region_data(region, defaults)

    def tidy(o):   # whole numbers without ".0", dates as dates (YAML writes them unquoted)
        if isinstance(o, float) and o.is_integer() and abs(o) < 1e15:
            return int(o)
        if isinstance(o, str) and len(o) == 10 and o[4] == "-" and o[7] == "-":
            try:
                return dt.date.fromisoformat(o)
            except ValueError:
                return o
        if isinstance(o, dict):
            return {k: tidy(v) for k, v in o.items()}
        if isinstance(o, list):
            return [tidy(v) for v in o]
        return o

    body = yaml.safe_dump(tidy(d), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100_000)
    return f"# {region.name} ({region.province}): region data in the format of data/regions/*.yaml\n" + body


def region_ids() -> tuple[str, ...]:
    """Ids of the shipped regions, default (Pontianak) first: the ``*.yaml`` files of ``data/regions/`` whose name
    is a region id (a README, a ``_draft.yaml`` or a ``.hidden.yaml`` is not a region)."""
    ids = sorted(p.stem for p in REGIONS_DIR.glob("*.yaml") if REGION_ID_RE.fullmatch(p.stem))
    return tuple(sorted(ids, key=lambda i: (i != "pontianak", i)))


@functools.lru_cache(maxsize=64)
def load_region(region_id: str) -> Region:
    """A shipped region, its missing fields filled with the marked defaults (read once)."""
    if region_id not in region_ids():
        raise DataFileError("region", f"unknown region {region_id!r}", code="unknown_region",
                            params={"region": region_id})
    path = REGIONS_DIR / f"{region_id}.yaml"
    region = parse_region(_read_yaml(path), f"regions/{path.name}")
    if region.id != region_id:
        raise DataFileError(f"regions/{path.name}.id", f"id {region.id!r} differs from the file name",
                            code="id_mismatch")
    return region
