"""Regions (a city, regency or province: coverage history, workers, groups, targets, budget), read strictly from
``data/regions/*.yaml``; what a region's file leaves out is filled with the marked defaults of
``data/region_defaults.yaml`` (never written back into the file). Also the region's own data as a file again
(:func:`region_data`, :func:`region_yaml`) and the list of shipped regions.

Values are :mod:`simulation.sourced` values (source, date, certainty); loading refuses unknown keys, missing keys and
out-of-range values with a :class:`~simulation.errors.DataFileError` naming the file and the field. The parameters
are in :mod:`simulation.parameters`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError, ValidationError
from .sourced import (
    DATA_DIR,
    SOURCE_LANG_KEYS,
    Sourced,
    SourceText,
    YearValue,
    read_certainty,
    read_date,
    read_keys,
    read_number,
    read_text,
    read_yaml,
    read_year,
    source_langs,
    with_source,
)

REGIONS_DIR = DATA_DIR / "regions"
REGION_DEFAULTS_FILE = DATA_DIR / "region_defaults.yaml"   # outside regions/: not a region


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


@with_source
class Target(SourceText):
    id: str
    name_id: str
    name_en: str
    year: int
    coverage_pct: float      # [% of potential workers]
    # then the source fields (source, certainty, source_date, source_id, source_en): :func:`with_source`

    def name(self, lang: str) -> str:
        return self.name_id if lang == "id" else self.name_en


@with_source
class SchemeYear(SourceText):
    """What a region's PBI scheme actually paid in one year: the record the model's claims are set against."""

    year: int
    contributions_idr: float   # contributions paid from the regional budget [Rp/year]
    claims_idr: float          # claims paid to participants' families [Rp/year]
    # then the source fields (source, certainty, source_date, source_id, source_en): :func:`with_source`

    @property
    def claims_to_contributions(self) -> float:
        return self.claims_idr / self.contributions_idr


def _scheme_record(obj: Any, where: str) -> tuple[SchemeYear, ...]:
    if not isinstance(obj, list):
        raise DataFileError(where, "expected a list of yearly records", code="not_a_list")
    out = []
    for i, item in enumerate(obj):
        w = f"{where}[{i}]"
        d = read_keys(item, w, {"year", "contributions_idr", "claims_idr", "source", "certainty"},
                  {"source_date"} | SOURCE_LANG_KEYS)
        out.append(SchemeYear(
            year=read_year(d["year"], f"{w}.year"),
            contributions_idr=read_number(d["contributions_idr"], f"{w}.contributions_idr", 1, 1e15),
            claims_idr=read_number(d["claims_idr"], f"{w}.claims_idr", 0, 1e15),
            source=read_text(d["source"], f"{w}.source"), certainty=read_certainty(d["certainty"], f"{w}.certainty"),
            source_date=read_date(d["source_date"], f"{w}.source_date") if "source_date" in d else None,
            **source_langs(d, w),
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
        d = read_keys(obj, where, {"id", "en"}, set())
        return MissingNote(id=read_text(d["id"], f"{where}.id"), en=read_text(d["en"], f"{where}.en"))


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
        td = read_keys(t, w, {"id", "name_id", "name_en", "year", "coverage_pct", "source", "certainty"},
                   {"source_date"} | SOURCE_LANG_KEYS)
        targets.append(Target(
            id=read_text(td["id"], f"{w}.id", 40), name_id=read_text(td["name_id"], f"{w}.name_id", 80),
            name_en=read_text(td["name_en"], f"{w}.name_en", 80), year=read_year(td["year"], f"{w}.year"),
            coverage_pct=read_number(td["coverage_pct"], f"{w}.coverage_pct", 0, 100),
            source=read_text(td["source"], f"{w}.source"), certainty=read_certainty(td["certainty"], f"{w}.certainty"),
            source_date=read_date(td["source_date"], f"{w}.source_date") if "source_date" in td else None,
            **source_langs(td, w),
        ))
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise DataFileError(where, "target ids must be unique", code="duplicate_id")
    return targets


def _read_group(g: Any, w: str, members_hi: float = 1e8, template: bool = False) -> tuple[GroupDefaults, Sourced]:
    size_key = "per_1000_workers" if template else "members"
    gd = read_keys(g, w, {"id", "name_id", "name_en", "agreement", size_key, "already_covered", "take_up", "dropout"})
    if not isinstance(gd["agreement"], bool):
        raise DataFileError(f"{w}.agreement", "expected true or false", code="expected_bool")
    size = Sourced.read(gd[size_key], f"{w}.{size_key}", 0, members_hi)
    return GroupDefaults(
        id=read_text(gd["id"], f"{w}.id", 40), name_id=read_text(gd["name_id"], f"{w}.name_id", 80),
        name_en=read_text(gd["name_en"], f"{w}.name_en", 80), agreement=gd["agreement"], members=size,
        already_covered=Sourced.read(gd["already_covered"], f"{w}.already_covered", 0, 1),
        take_up=Sourced.read(gd["take_up"], f"{w}.take_up", 0, 1),
        dropout=Sourced.read(gd["dropout"], f"{w}.dropout", 0, 1),
    ), size


def parse_region_defaults(obj: Any, where: str = "region_defaults.yaml") -> RegionDefaults:
    d = read_keys(obj, where, {"national_targets", "scalars", "provinces", "groups"})
    national = _read_targets(d["national_targets"], f"{where}.national_targets")
    sc = read_keys(d["scalars"], f"{where}.scalars", set(_SCALAR_FIELDS))
    scalars = {k: Sourced.read(sc[k], f"{where}.scalars.{k}", *_SCALAR_FIELDS[k]) for k in _SCALAR_FIELDS}
    if not isinstance(d["provinces"], dict):
        raise DataFileError(f"{where}.provinces", "expected a mapping of provinces", code="not_a_mapping")
    provinces = {}
    for name, body in d["provinces"].items():
        w = f"{where}.provinces.{name}"
        b = read_keys(body, w, set(), {"min_wage", "apbd_per_worker", *_SCALAR_FIELDS})
        provinces[read_text(name, w, 120)] = ProvinceDefaults(
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
    return parse_region_defaults(read_yaml(Path(path)), Path(path).name)


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
    d = read_keys(obj, where, {"id", "name", "kind", "province"}, {*OPTIONAL_FIELDS, "scheme_record", "missing",
                                                                "defaulted"})
    rid = read_text(d["id"], f"{where}.id", 40)
    if not REGION_ID_RE.fullmatch(rid):
        raise DataFileError(f"{where}.id", "an id has 1 to 40 lower-case letters, digits, '-' or '_'",
                            code="bad_id", params={"name": rid})
    if d["kind"] not in KINDS:
        raise DataFileError(f"{where}.kind", f"kind must be one of {', '.join(KINDS)}, got {d['kind']!r}",
                            code="bad_choice", params={"choices": ", ".join(KINDS)})
    province = read_text(d["province"], f"{where}.province", 120)
    notes_in = read_keys(d.get("missing") or {}, f"{where}.missing", set(), set(OPTIONAL_FIELDS))
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
        id=rid, name=read_text(d["name"], f"{where}.name", 120), kind=d["kind"], province=province,
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
    region = parse_region(read_yaml(path), f"regions/{path.name}")
    if region.id != region_id:
        raise DataFileError(f"regions/{path.name}.id", f"id {region.id!r} differs from the file name",
                            code="id_mismatch")
    return region
