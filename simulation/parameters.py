"""The model's parameters (contribution rates, claim sizes, trends...), dated and sourced, read strictly from
``data/parameters.yaml`` into one :class:`Parameters` object that engine functions take (default: the shipped file).

Each parameter has labels (Indonesian, English), a unit and dated values; the value in force on a date is the newest
whose ``since`` is not after it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import sourced
from .errors import DataFileError
from .sourced import DATA_DIR, SOURCE_LANG_KEYS, SourceText, with_source

PARAMETERS_FILE = DATA_DIR / "parameters.yaml"


# --------------------------------------------------------------------------- parameters
@with_source
class ParameterValue(SourceText):
    since: dt.date
    value: float
    # then the source fields (source, certainty, source_date, source_id, source_en): :func:`with_source`


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


def parse_parameters(obj: Any, where: str = "parameters.yaml") -> Parameters:
    d = sourced.read_keys(obj, where, {"still_valid_on", "parameters"})
    items: dict[str, Parameter] = {}
    params = d["parameters"]
    if not isinstance(params, dict) or not params:
        raise DataFileError(f"{where}.parameters", "expected a non-empty mapping", code="not_a_mapping")
    for pid, body in params.items():
        w = f"{where}: {pid}"
        b = sourced.read_keys(body, w, {"label", "unit", "values"})
        lb = sourced.read_keys(b["label"], f"{w}.label", set(LANGS))
        labels = {lang: sourced.read_text(lb[lang], f"{w}.label.{lang}", 200) for lang in LANGS}
        if not isinstance(b["values"], list) or not b["values"]:
            raise DataFileError(f"{w}.values", "expected a non-empty list", code="not_a_list")
        vals = []
        for i, v in enumerate(b["values"]):
            vw = f"{w}.values[{i}]"
            vd = sourced.read_keys(v, vw, {"since", "value", "source", "certainty"},
                       {"note", "source_date"} | SOURCE_LANG_KEYS)
            vals.append(ParameterValue(
                since=sourced.read_date(vd["since"], f"{vw}.since"),
                value=sourced.read_number(vd["value"], f"{vw}.value", None if b["unit"] in SIGNED_UNITS else 0),
                source=sourced.read_text(vd["source"], f"{vw}.source"),
                certainty=sourced.read_certainty(vd["certainty"], f"{vw}.certainty"),
                source_date=sourced.read_date(vd["source_date"], f"{vw}.source_date") if "source_date" in vd else None,
                **sourced.source_langs(vd, vw),
            ))
        dates = [v.since for v in vals]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise DataFileError(f"{w}.values", "dates must be strictly increasing", code="unsorted_dates")
        if b["unit"] not in UNITS:
            raise DataFileError(f"{w}.unit", f"unit must be one of {', '.join(UNITS)}, got {b['unit']!r}",
                                code="bad_choice", params={"choices": ", ".join(UNITS)})
        items[pid] = Parameter(pid, labels, b["unit"], tuple(vals))
    return Parameters(sourced.read_date(d["still_valid_on"], f"{where}.still_valid_on"), items)


@functools.lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS_FILE) -> Parameters:
    """The parameter set of a file, read once (default: the shipped ``data/parameters.yaml``)."""
    return parse_parameters(sourced.read_yaml(Path(path)), Path(path).name)


def resolve(parameters: Parameters | None) -> Parameters:
    """The parameter set an engine function uses: the one passed, else the shipped one."""
    return load_parameters() if parameters is None else parameters
