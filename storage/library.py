"""Saved scenarios: the scenario library (table ``scenarios``) in the app's database.

Library entries: save, update, rename, duplicate, delete, mark one entry per region as the baseline, and freeze an
"as presented" copy that can no longer change (enforced in Python *and* by a database trigger, on SQLite and
PostgreSQL alike). Import/export as a scenario JSON file. Entries record the ``region_version`` of a region saved
in the app (:mod:`storage.regions`) their region data are.

:class:`Library` is the app's one handle on its database: it extends :class:`storage.links.ShareLinks` (share
links, table ``snapshots``), itself a :class:`storage.store.Store` (opening and upgrading the database, one
transaction per operation, the per-session write log, the checks every table shares);
:class:`storage.regions.RegionStore` and :class:`storage.editors.EditorStore` work through a library.

Nothing read from the database is trusted: stored JSON is validated again with
:meth:`Scenario.from_json` / :func:`parse_region`, and its hash is compared with the stored one.

Every refusal is a :class:`simulation.errors.ValidationError` whose ``code`` the app translates:
``unknown_entry``, ``frozen``, ``bad_name``, ``too_many``, ``region_mismatch``, ``tampered_entry``,
``unknown_region``, ``busy``, ``storage``, ``session_rate``, ``session_full``, ``region_full`` (plus the codes of
:meth:`Scenario.from_json` for an imported file, and those of the share links, :mod:`storage.links`).

Limits, so that no one (a script, a stuck browser) can fill the shared library and stop everyone's saves:
the whole library holds at most ``MAX_ENTRIES``; one region at most ``REGION_SHARE`` of that; and a writer
that says who it is (``owner=``: the app passes one id per browser session) at most ``MAX_PER_SESSION``
entries and ``MAX_WRITES_PER_MINUTE`` writes a minute (:mod:`storage.store`). They are counted in the database
(the ``owner`` column and the ``writes`` table), so they hold across reruns, restarts and server processes. Old
unfrozen entries can be removed by an operator: ``python -m storage prune --older-than 90`` (:meth:`Library.prune`).

This module does not import Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from simulation.data import Region
from simulation.errors import ValidationError
from simulation.scenario import Scenario
from storage.db import DB_FILE_NAME, default_path  # noqa: F401 - part of this module's API since version 1
from storage.editors import record
from storage.links import (
    MAX_SNAPSHOTS,
    ShareLinks,
    _as_scenario,
    _check_version,
    _hash_of,
    _load_region,
    _region_json,
    snapshot_hash,
)
from storage.store import (
    MAX_NAME,
    MAX_WRITES_PER_MINUTE,
    WRITE_LOG_KEEP,
    _check_owner,
    _now,
    _x,
    _xmany,
    check_name,
)

REPO = Path(__file__).resolve().parents[1]
SCHEMA_VERSION = 5                 # PRAGMA user_version of a SQLite file at the newest schema (Alembic's head: db.HEAD)
MAX_ENTRIES = 1_000                # library entries per database (bounds growth)
REGION_SHARE = 0.5                 # one region holds at most this share of MAX_ENTRIES (the others can still save)
MAX_PER_SESSION = 200              # entries one session (``owner``) may hold; an office keeps a handful
ENTRY_RE = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Entry:
    """One saved scenario as listed (without its content)."""

    id: str
    name: str
    region: str
    content_hash: str
    created_at: dt.datetime      # UTC, timezone-aware
    updated_at: dt.datetime      # UTC, timezone-aware
    frozen: bool                 # an "as presented" copy: cannot be changed (and not deleted without force)
    is_baseline: bool            # at most one per region
    has_region_data: bool = False  # carries its own (edited) region data
    owner: str | None = None       # the session that created it (no accounts: an id per browser session)
    region_version: int | None = None  # the saved version of the region it was made with (storage/regions.py)


_ENTRY_COLS = "id, name, region, content_hash, created_at, updated_at, frozen, is_baseline, " \
              "region_json IS NOT NULL, owner, region_version"


def _entry(row: tuple) -> Entry:
    return Entry(id=row[0], name=row[1], region=row[2], content_hash=row[3],
                 created_at=dt.datetime.fromisoformat(row[4]), updated_at=dt.datetime.fromisoformat(row[5]),
                 frozen=bool(row[6]), is_baseline=bool(row[7]), has_region_data=bool(row[8]), owner=row[9],
                 region_version=row[10])


# --------------------------------------------------------------------------- the library
class Library(ShareLinks):
    """Saved scenarios, and the share links of :class:`storage.links.ShareLinks`, in the app's database. Cheap to
    create; safe to share between threads.

    Parameters
    ----------
    path : the SQLite database file (created with its folder if missing) or a database URL (``postgresql://...``,
        ``sqlite:///...``); default ``$PBI_DATABASE_URL``, else the file :func:`default_path`.
    timeout : seconds to wait for another writer before refusing with code ``busy``.
    max_entries, max_snapshots : growth bounds (refused with code ``too_many``).
    max_per_region : entries of one region (code ``region_full``); default ``REGION_SHARE`` of ``max_entries``.
    max_per_session, max_writes_per_minute : for writes that name an ``owner`` (codes ``session_full``,
        ``session_rate``).

    ``url`` is the database's URL, ``path`` its file (None for PostgreSQL). Opening a database made by an older
    version of the app upgrades its schema (Alembic, in one transaction); a newer one is refused (code ``storage``).
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 10.0, max_entries: int = MAX_ENTRIES,
                 max_snapshots: int = MAX_SNAPSHOTS, max_per_region: int | None = None,
                 max_per_session: int = MAX_PER_SESSION, max_writes_per_minute: int = MAX_WRITES_PER_MINUTE):
        self.max_entries = int(max_entries)
        self.max_per_region = max(1, int(self.max_entries * REGION_SHARE)) if max_per_region is None \
            else int(max_per_region)
        self.max_per_session = int(max_per_session)
        super().__init__(path, timeout=timeout, max_snapshots=max_snapshots,
                         max_writes_per_minute=max_writes_per_minute)

    # ---------------------------------------------------------------- plumbing
    @staticmethod
    def _check_id(entry_id: object) -> str:
        if not isinstance(entry_id, str) or not ENTRY_RE.fullmatch(entry_id):
            raise ValidationError("entry", "no such saved scenario", code="unknown_entry",
                                  params={"id": str(entry_id)[:40]})
        return entry_id

    @staticmethod
    def _row(con: Connection, entry_id: str) -> tuple:
        row = _x(con, "SELECT name, region, json, region_json, content_hash, frozen, is_baseline "
                          "FROM scenarios WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise ValidationError("entry", "no such saved scenario", code="unknown_entry", params={"id": entry_id})
        return row

    @staticmethod
    def _region_version(con: Connection, entry_id: str) -> int | None:
        row = _x(con, "SELECT region_version FROM scenarios WHERE id = ?", (entry_id,)).fetchone()
        return None if row is None else row[0]

    def _insert(self, con: Connection, scenario: Scenario, region_json: str | None,
                frozen: bool = False, owner: str | None = None, region_version: int | None = None) -> str:
        (count,) = _x(con, "SELECT count(*) FROM scenarios").fetchone()
        if count >= self.max_entries:
            raise ValidationError("library", f"the library is full ({self.max_entries} scenarios); delete some "
                                  "first", code="too_many", params={"max": self.max_entries})
        (in_region,) = _x(con, "SELECT count(*) FROM scenarios WHERE region = ?", (scenario.region,)).fetchone()
        if in_region >= self.max_per_region:
            raise ValidationError("library", f"region {scenario.region!r} already has {self.max_per_region} "
                                  "saved scenarios; delete some first", code="region_full",
                                  params={"max": self.max_per_region, "region": scenario.region})
        if owner is not None:
            (mine,) = _x(con, "SELECT count(*) FROM scenarios WHERE owner = ?", (owner,)).fetchone()
            if mine >= self.max_per_session:
                raise ValidationError("library", f"this session already saved {self.max_per_session} scenarios; "
                                      "delete some first", code="session_full", params={"max": self.max_per_session})
        self._written(con, owner)
        entry_id = uuid.uuid4().hex
        now = _now()
        _x(con, "INSERT INTO scenarios (id, name, region, json, region_json, content_hash, created_at, "
                    "updated_at, frozen, owner, region_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (entry_id, scenario.name, scenario.region, scenario.to_json(indent=None), region_json,
                     _hash_of(scenario, region_json), now, now, int(frozen), owner,
                     None if region_json is None else _check_version(region_version)))
        return entry_id

    # ---------------------------------------------------------------- entries
    def save(self, scenario: Scenario, name: str | None = None, *, region: Region | None = None,
             owner: str | None = None, region_version: int | None = None, editor: str | None = None) -> str:
        """Save a new entry (named ``name``, else the scenario's name); returns its id.

        ``region``: the region data the user edited on the Data page, or a region saved in the app, kept with the
        entry (optional); ``region_version``: its saved version (storage/regions.py), recorded with it.
        ``owner``: who saves (the app's session id); counted against the per-session limits.
        ``editor``: the signed-in editor, for the audit log (None: sign-in is off, recorded as "anonim"); the same
        in every method that changes the library.
        """
        owner = _check_owner(owner)
        scenario = _as_scenario(scenario, name)
        region_json = _region_json(scenario, region, "region")
        with self._db(write=True) as con:
            entry_id = self._insert(con, scenario, region_json, owner=owner, region_version=region_version)
            record(con, editor, "save", entry_id, scenario.name, scenario.region)
            return entry_id

    def update(self, entry_id: str, scenario: Scenario, *, region: Region | None = None,
               name: str | None = None, owner: str | None = None, region_version: int | None = None,
               editor: str | None = None) -> None:
        """Replace an entry's content and region data (``region=None``: none kept); keeps its name unless
        ``name`` is given. Refused for frozen entries (``frozen``) and for another region (``region_mismatch``)."""
        entry_id = self._check_id(entry_id)
        owner = _check_owner(owner)
        scenario = _as_scenario(scenario)
        with self._db(write=True) as con:
            old_name, old_region, *_rest, frozen, _b = self._row(con, entry_id)
            if frozen:
                raise _frozen(entry_id)
            self._written(con, owner)
            if scenario.region != old_region:
                raise ValidationError("scenario.region", f"the saved scenario is for {old_region!r}, not "
                                      f"{scenario.region!r}", code="region_mismatch",
                                      params={"region": scenario.region, "expected": old_region})
            scenario = _as_scenario(scenario, old_name if name is None else name)
            region_json = _region_json(scenario, region, "region")
            _x(con, "UPDATE scenarios SET name = ?, json = ?, region_json = ?, content_hash = ?, "
                        "updated_at = ?, region_version = ? WHERE id = ?",
                        (scenario.name, scenario.to_json(indent=None), region_json,
                         _hash_of(scenario, region_json), _now(),
                         None if region_json is None else _check_version(region_version), entry_id))
            record(con, editor, "update", entry_id, scenario.name, old_region)

    def rename(self, entry_id: str, name: str, *, owner: str | None = None, editor: str | None = None) -> None:
        """Rename an entry (the stored scenario's name changes with it). Refused for frozen entries."""
        entry_id = self._check_id(entry_id)
        owner = _check_owner(owner)
        name = check_name(name)
        with self._db(write=True) as con:
            _n, _r, text, region_json, _h, frozen, _b = self._row(con, entry_id)
            if frozen:
                raise _frozen(entry_id)
            self._written(con, owner)
            scenario = _load_entry(entry_id, text, region_json, _h).replace(name=name)
            _x(con, "UPDATE scenarios SET name = ?, json = ?, content_hash = ?, updated_at = ? WHERE id = ?",
                        (name, scenario.to_json(indent=None), _hash_of(scenario, region_json), _now(), entry_id))
            record(con, editor, "rename", entry_id, name, _r)

    def duplicate(self, entry_id: str, new_name: str | None = None, *, owner: str | None = None,
                  editor: str | None = None) -> str:
        """A new, unfrozen, non-baseline copy (of any entry, frozen ones included); returns its id."""
        entry_id = self._check_id(entry_id)
        owner = _check_owner(owner)
        with self._db(write=True) as con:
            name, _r, text, region_json, stored_hash, _f, _b = self._row(con, entry_id)
            scenario = _load_entry(entry_id, text, region_json, stored_hash)
            scenario = scenario.replace(name=check_name(name if new_name is None else new_name))
            new_id = self._insert(con, scenario, region_json, owner=owner,
                                  region_version=self._region_version(con, entry_id))
            record(con, editor, "duplicate", new_id, scenario.name, scenario.region)
            return new_id

    def freeze(self, entry_id: str, name: str | None = None, *, region: Region | None = None,
               on: dt.date | None = None, owner: str | None = None, region_version: int | None = None,
               editor: str | None = None) -> str:
        """A frozen "as presented" copy; returns its id. The original stays editable.

        ``name`` defaults to ``"<name> (as presented <YYYY-MM-DD>)"`` (the app should pass a translated one).
        ``region``: region data to pin in the copy (default: the entry's own, if any). Passing the region in
        use pins the numbers even if the shipped data are updated later.
        """
        entry_id = self._check_id(entry_id)
        owner = _check_owner(owner)
        with self._db(write=True) as con:
            old_name, _r, text, region_json, stored_hash, _f, _b = self._row(con, entry_id)
            scenario = _load_entry(entry_id, text, region_json, stored_hash)
            if name is None:
                suffix = f" (as presented {(on or dt.date.today()).isoformat()})"
                name = old_name[: MAX_NAME - len(suffix)].rstrip() + suffix
            scenario = scenario.replace(name=check_name(name))
            version = self._region_version(con, entry_id)
            if region is not None:
                region_json, version = _region_json(scenario, region, "region"), region_version
            new_id = self._insert(con, scenario, region_json, frozen=True, owner=owner, region_version=version)
            record(con, editor, "freeze", new_id, scenario.name, scenario.region)
            return new_id

    def delete(self, entry_id: str, *, force: bool = False, editor: str | None = None) -> None:
        """Delete an entry. A frozen "as presented" copy is refused (code ``frozen``) unless ``force=True``."""
        entry_id = self._check_id(entry_id)
        with self._db(write=True) as con:
            name, region, *_rest, frozen, _b = self._row(con, entry_id)
            if frozen and not force:
                raise _frozen(entry_id)
            _x(con, "DELETE FROM scenarios WHERE id = ?", (entry_id,))
            record(con, editor, "delete", entry_id, name, region)

    def set_baseline(self, entry_id: str, *, editor: str | None = None) -> None:
        """Mark an entry as its region's baseline (the others of that region lose the mark, atomically).

        Allowed for frozen entries: the mark is not part of the content."""
        entry_id = self._check_id(entry_id)
        with self._db(write=True) as con:
            name, region, *_rest = self._row(con, entry_id)
            _x(con, "UPDATE scenarios SET is_baseline = 0 WHERE region = ? AND is_baseline = 1 AND id <> ?",
                        (region, entry_id))
            _x(con, "UPDATE scenarios SET is_baseline = 1 WHERE id = ?", (entry_id,))
            record(con, editor, "set_baseline", entry_id, name, region)

    def clear_baseline(self, entry_id: str, *, editor: str | None = None) -> None:
        """Remove the baseline mark from an entry (no-op when it has none)."""
        entry_id = self._check_id(entry_id)
        with self._db(write=True) as con:
            name, region, *_rest = self._row(con, entry_id)
            _x(con, "UPDATE scenarios SET is_baseline = 0 WHERE id = ?", (entry_id,))
            record(con, editor, "clear_baseline", entry_id, name, region)

    def baseline(self, region: str) -> Entry | None:
        """The region's baseline entry, if any."""
        with self._db() as con:
            row = _x(con, f"SELECT {_ENTRY_COLS} FROM scenarios WHERE region = ? AND is_baseline = 1",
                              (region,)).fetchone()
        return None if row is None else _entry(row)

    def list(self, region: str | None = None) -> list[Entry]:
        """Entries (of one region, or all), oldest first."""
        sql = f"SELECT {_ENTRY_COLS} FROM scenarios"
        args: tuple = ()
        if region is not None:
            sql += " WHERE region = ?"
            args = (region,)
        with self._db() as con:
            rows = _x(con, sql + " ORDER BY created_at, id", args).fetchall()
        return [_entry(r) for r in rows]

    def entry(self, entry_id: str) -> Entry:
        """One entry's listing data."""
        entry_id = self._check_id(entry_id)
        with self._db() as con:
            row = _x(con, f"SELECT {_ENTRY_COLS} FROM scenarios WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise ValidationError("entry", "no such saved scenario", code="unknown_entry", params={"id": entry_id})
        return _entry(row)

    def get(self, entry_id: str) -> Scenario:
        """The saved scenario, validated again (code ``tampered_entry`` if the stored content was altered)."""
        return self.open(entry_id)[0]

    def open(self, entry_id: str) -> tuple[Scenario, Region | None]:
        """The saved scenario and its own region data (None = use the shipped/session region data)."""
        entry_id = self._check_id(entry_id)
        with self._db() as con:
            _n, _r, text, region_json, stored_hash, _f, _b = self._row(con, entry_id)
        scenario = _load_entry(entry_id, text, region_json, stored_hash)
        self._check_region_available(scenario, "entry", region_json is not None)
        return scenario, _load_region(region_json, scenario, "entry", "tampered_entry", entry_id)

    def count(self) -> int:
        with self._db() as con:
            return _x(con, "SELECT count(*) FROM scenarios").fetchone()[0]

    def prune(self, older_than_days: float, *, dry_run: bool = False, now: dt.datetime | None = None) -> list[Entry]:
        """Remove the entries not changed for ``older_than_days`` days (oldest first); returns them.

        Frozen "as presented" copies and baselines are never removed. ``dry_run``: only list them. Also drops
        the rate-limit log's old rows. For the operator (``python -m storage prune``), not for the pages."""
        days = float(older_than_days)
        if not (days >= 0 and days < 100_000):       # also refuses NaN
            raise ValidationError("older_than", f"expected a number of days from 0 to 100000, not {older_than_days}",
                                  code="out_of_range", params={"min": 0, "max": 100_000, "value": older_than_days})
        now = now or dt.datetime.now(dt.UTC)
        cutoff = (now - dt.timedelta(days=days)).isoformat(timespec="microseconds")
        with self._db(write=not dry_run) as con:
            rows = _x(con, f"SELECT {_ENTRY_COLS} FROM scenarios WHERE frozen = 0 AND is_baseline = 0 "
                               "AND updated_at < ? ORDER BY updated_at, id", (cutoff,)).fetchall()
            if not dry_run:
                _xmany(con, "DELETE FROM scenarios WHERE id = ? AND frozen = 0 AND is_baseline = 0",
                                [(r[0],) for r in rows])
                for r in rows:
                    record(con, "operator", "prune", r[0], r[1], r[2])
                _x(con, "DELETE FROM writes WHERE at < ?",
                            ((now - WRITE_LOG_KEEP).isoformat(timespec="microseconds"),))
        return [_entry(r) for r in rows]

    # ---------------------------------------------------------------- files
    def export_json(self, entry_id: str) -> str:
        """The entry as a scenario JSON file (the same format :meth:`import_json` and the CLI read).

        Region data kept with the entry are not part of the file."""
        return self.get(entry_id).to_json()

    def import_json(self, text: str | bytes, name: str | None = None, *, owner: str | None = None,
                    editor: str | None = None) -> str:
        """Validate a scenario JSON file (size, depth, unknown fields, ranges: :meth:`Scenario.from_json`)
        and save it as a new entry; returns its id."""
        return self.save(Scenario.from_json(text), name, owner=owner, editor=editor)


# --------------------------------------------------------------------------- module helpers
def _frozen(entry_id: str) -> ValidationError:
    return ValidationError("entry", "this \"as presented\" copy cannot be changed", code="frozen",
                           params={"id": entry_id})


def _load_entry(entry_id: str, text: str, region_json: str | None, stored_hash: str) -> Scenario:
    """A stored entry validated again; its hash must equal the stored one."""
    try:
        scenario = Scenario.from_json(text)
    except ValidationError:
        raise ValidationError("entry", "the saved scenario was altered outside the app", code="tampered_entry",
                              params={"id": entry_id}) from None
    region = _load_region(region_json, scenario, "entry", "tampered_entry", entry_id)
    if snapshot_hash(scenario, region) != stored_hash:
        raise ValidationError("entry", "the saved scenario was altered outside the app", code="tampered_entry",
                              params={"id": entry_id})
    return scenario
