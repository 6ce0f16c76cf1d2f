"""Share links (table ``snapshots``): a content-addressed store of what a link shows, in the app's database.

A link carries only the 12-hex-digit content hash (``?s=d5e29d11162c``, :func:`snapshot_hash`);
:meth:`ShareLinks.share` stores the scenario (and the region data, when the user had edited them on the Data page,
or a region saved in the app with its ``region_version``) under it, idempotently, and :meth:`ShareLinks.resolve`
gives them back. A saved entry of the library (:mod:`storage.library`) has the same identity as its
``content_hash``.

The stored form of a scenario with its region data is kept here, for links and for the library's saved entries
alike: the scenario normalised the way it reads back (:func:`_as_scenario`), its region data as canonical JSON
(:func:`_region_json`), and the saved region version they are (:func:`_check_version`), so that hashes computed
now and after reading back agree. Nothing read from the database is trusted: the stored JSON is validated again
with :meth:`Scenario.from_json` / :func:`parse_region` (:func:`_load_region`), its hash must equal the key, and a
scenario whose region is neither carried with it, shipped nor saved in the app is refused (``unknown_region``).
Sharing a scenario again repairs an altered row.

:class:`ShareLinks` is a :class:`storage.store.Store` with this table; :class:`storage.library.Library` extends it,
so the app shares and opens links through its one library. Refusals are
:class:`simulation.errors.ValidationError`\\s whose ``code`` the app translates: ``bad_link``, ``unknown_link``,
``tampered_link``, ``unknown_region``, ``region_mismatch``, ``too_many`` (``MAX_SNAPSHOTS`` distinct links per
database, so that no one can fill it), ``session_rate`` (a new link counts as a write of its session), ``busy``,
``storage``.

This module does not import Streamlit.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from simulation.data import Region, parse_region, region_ids
from simulation.errors import ValidationError
from simulation.scenario import Scenario
from storage.store import MAX_WRITES_PER_MINUTE, Store, _check_owner, _now, _x, check_name

MAX_SNAPSHOTS = 5_000              # distinct share links per database (bounds growth)
LINK_RE = re.compile(r"[0-9a-f]{12}")


# --------------------------------------------------------------------------- the stored form of a scenario
def snapshot_hash(scenario: Scenario, region: Region | None = None) -> str:
    """Identity of what a link or entry shows: the scenario's content hash, or, with edited region data,
    the first 12 hex digits of SHA-256 of the canonical JSON of both."""
    if region is None:
        return scenario.content_hash
    blob = json.dumps({"region": region.to_dict(), "scenario": scenario.to_dict()}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _as_scenario(scenario: object, name: str | None = None, where: str = "scenario") -> Scenario:
    """A scenario normalised the way it will read back (validated; ints/floats as :meth:`Scenario.from_dict`
    makes them), so that its content hash is the one a reader computes; renamed to ``name`` if given.
    The name must pass :func:`check_name`."""
    if not isinstance(scenario, Scenario):
        raise ValidationError(where, "expected a scenario", code="invalid")
    d = scenario.to_dict()
    d["name"] = check_name(scenario.name if name is None else name)
    return Scenario.from_dict(d)


def _region_json(scenario: Scenario, region: Region | None, where: str) -> str | None:
    """Region data as stored: normalised through :func:`parse_region` so that hashes computed now and after
    reading back agree."""
    if region is None:
        return None
    if not isinstance(region, Region):
        raise ValidationError(where, "expected region data", code="invalid")
    if region.id != scenario.region:
        raise ValidationError(where, f"region data for {region.id!r} do not belong to a scenario for "
                              f"{scenario.region!r}", code="region_mismatch",
                              params={"region": region.id, "expected": scenario.region})
    region = parse_region(json.loads(json.dumps(region.to_dict())), where)
    return json.dumps(region.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_version(version: object) -> int | None:
    """None, or a saved region's version (1, 2, ...)."""
    if version is None or (isinstance(version, int) and not isinstance(version, bool) and 1 <= version < 2**31):
        return version
    raise ValidationError("region_version", "expected a saved region's version (1, 2, ...)", code="invalid")


def _load_region(region_json: str | None, scenario: Scenario, where: str, code: str, ident: str) -> Region | None:
    if region_json is None:
        return None
    try:
        region = parse_region(json.loads(region_json), where + ".region")
    except (ValidationError, ValueError, RecursionError):
        region = None
    if region is None or region.id != scenario.region:
        raise ValidationError(where, "the stored region data are not valid", code=code, params={"id": ident})
    return region


# --------------------------------------------------------------------------- the links
class ShareLinks(Store):
    """Share links in the app's database (:class:`storage.store.Store`: ``path``, ``timeout``,
    ``max_writes_per_minute``); ``max_snapshots``: distinct links it holds (code ``too_many``)."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 10.0,
                 max_snapshots: int = MAX_SNAPSHOTS, max_writes_per_minute: int = MAX_WRITES_PER_MINUTE):
        self.max_snapshots = int(max_snapshots)
        super().__init__(path, timeout=timeout, max_writes_per_minute=max_writes_per_minute)

    def share(self, scenario: Scenario, region: Region | None = None, *, owner: str | None = None,
              region_version: int | None = None) -> str:
        """Store a snapshot (idempotent) and return its 12-hex-digit key for the link (``?s=<key>``).

        ``region``: pass the region data only when the user edited them (Data page), so that the colleague
        who opens the link sees the same numbers (and always for a region saved in the app, with its
        ``region_version``); without it the key is ``scenario.content_hash``."""
        owner = _check_owner(owner)
        scenario = _as_scenario(scenario)
        region_json = _region_json(scenario, region, "region")
        key = _hash_of(scenario, region_json)
        text = scenario.to_json(indent=None)
        with self._db(write=True) as con:
            row = _x(con, "SELECT json, region_json FROM snapshots WHERE content_hash = ?", (key,)).fetchone()
            if row is None:
                (count,) = _x(con, "SELECT count(*) FROM snapshots").fetchone()
                if count >= self.max_snapshots:
                    raise ValidationError("link", f"too many shared links ({self.max_snapshots})",
                                          code="too_many", params={"max": self.max_snapshots})
                self._written(con, owner)
                _x(con, "INSERT INTO snapshots (content_hash, json, region_json, created_at, region_version) "
                            "VALUES (?, ?, ?, ?, ?)", (key, text, region_json, _now(),
                                                       None if region_json is None else _check_version(region_version)))
            elif tuple(row) != (text, region_json):  # altered or damaged row: we hold the true content
                _x(con, "UPDATE snapshots SET json = ?, region_json = ? WHERE content_hash = ?",
                            (text, region_json, key))
        return key

    def resolve(self, key: object) -> tuple[Scenario, dict | None]:
        """The scenario and region data (``Region.to_dict()`` form, or None) of a link key.

        Refused with code ``bad_link`` (not 12 lower-case hex digits), ``unknown_link`` (no such snapshot),
        ``tampered_link`` (stored content invalid or not matching its key) or ``unknown_region``."""
        scenario, region = self.resolve_region(key)
        return scenario, None if region is None else region.to_dict()

    def resolve_region(self, key: object) -> tuple[Scenario, Region | None]:
        """Like :meth:`resolve`, with the region data as a :class:`Region`."""
        if not isinstance(key, str) or not LINK_RE.fullmatch(key):
            raise ValidationError("link", "the link is malformed", code="bad_link")
        with self._db() as con:
            row = _x(con, "SELECT json, region_json FROM snapshots WHERE content_hash = ?", (key,)).fetchone()
        if row is None:
            raise ValidationError("link", "no scenario is stored under this link", code="unknown_link",
                                  params={"key": key})
        text, region_json = row
        try:
            scenario = Scenario.from_json(text)
        except ValidationError:
            raise _tampered_link(key) from None
        region = _load_region(region_json, scenario, "link", "tampered_link", key)
        if snapshot_hash(scenario, region) != key:
            raise _tampered_link(key)
        self._check_region_available(scenario, "link", region is not None)
        return scenario, region

    def link_region_version(self, key: str) -> int | None:
        """The saved region version a link's region data are (None: shipped or session-edited data, or no link)."""
        with self._db() as con:
            row = _x(con, "SELECT region_version FROM snapshots WHERE content_hash = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _check_region_available(self, scenario: Scenario, where: str, has_region_data: bool) -> None:
        """A scenario opens when it carries its region's data, or its region is shipped or saved in the app."""
        if has_region_data or scenario.region in region_ids():
            return
        with self._db() as con:
            saved = _x(con, "SELECT 1 FROM regions WHERE id = ? LIMIT 1", (scenario.region,)).fetchone()
        if saved is None:
            raise ValidationError(where, f"region {scenario.region!r} is not available", code="unknown_region",
                                  params={"region": scenario.region})


# --------------------------------------------------------------------------- module helpers
def _tampered_link(key: str) -> ValidationError:
    return ValidationError("link", "the stored scenario does not match the link", code="tampered_link",
                           params={"key": key})


def _hash_of(scenario: Scenario, region_json: str | None) -> str:
    return snapshot_hash(scenario, None if region_json is None else parse_region(json.loads(region_json), "region"))
