"""Regions saved in the app (issue 12), in the scenario library's database (table ``regions``; SQLite or PostgreSQL).

Every save of a region is a new version (1, 2, ...) that is never changed afterwards (a database trigger refuses
an UPDATE), so a scenario or share link that recorded the version, and keeps the region's data with it
(:mod:`storage.library`, :mod:`storage.links`, ``region_json``), reproduces its numbers after the region is edited
again. A saved region appears in the region selector of every session of every server process on the database
and survives a restart.

A saved region may carry the id of a shipped region: it is then an edit of that region, shown instead of the
shipped file (the shipped file stays).

Going back and deleting remove nothing: :meth:`RegionStore.revert_to_shipped` ("Kembali ke berkas bawaan": the
shipped file is used again) and :meth:`RegionStore.delete` ("Hapus wilayah", a region that exists only here) add a
closing row as the id's next version (its ``json`` one of :data:`CLOSED`), so the earlier versions stay in the
history, still readable by :meth:`get` for the scenarios and links that recorded them, and the rows are never
updated. The listing, :meth:`latest` and :meth:`ids` skip a closed id until it is saved again. Both are recorded
in the audit log (``region_revert``, ``region_delete``).

A version stores the region's own data (:func:`simulation.data.region_data`, the content of its YAML file):
the marked defaults are filled when it is read, never stored. Nothing read from the database is trusted: the
stored text must match its hash and is parsed again with :func:`simulation.data.parse_region` (code
``tampered_region``). Refusals are :class:`simulation.errors.ValidationError`s whose ``code`` the app translates:
``invalid``, ``bad_name``, ``region_too_large``, ``unknown_region``, ``unknown_region_version``,
``region_not_shipped`` (going back to a file that does not exist), ``region_shipped`` (deleting a shipped region),
``tampered_region``, ``too_many``, ``region_versions_full``, ``session_full``, ``session_rate`` (the same
per-session write log as the library's), ``busy``, ``storage``.

This module does not import Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from simulation.data import REGION_ID_RE, Region, parse_region, region_data, region_ids
from simulation.errors import ValidationError
from storage.editors import record
from storage.library import Library
from storage.store import MAX_WRITES_PER_MINUTE, _check_owner, _now, _x, check_name

MAX_REGION_ROWS = 5_000          # saved region versions per database (bounds growth)
MAX_VERSIONS = 200               # versions of one region (delete or prune old ones first)
MAX_REGIONS_PER_SESSION = 100    # versions one session (``owner``) may save
MAX_REGION_JSON = 400_000        # characters of one region's stored JSON (a few hundred groups and years)


@dataclass(frozen=True)
class RegionEntry:
    """One saved version of a region, as listed (without its data)."""

    id: str
    name: str
    kind: str
    province: str
    version: int
    saved_at: dt.datetime        # UTC, timezone-aware
    ready: bool                  # enough data for a first projection (Region.ready)
    content_hash: str            # of the stored text (not Region.content_hash: defaults are filled when read)
    owner: str | None = None


_COLS = "id, name, kind, province, version, saved_at, ready, content_hash, owner"
#: the stored text of a closing row (no region's JSON reads like these: a region has an id, a name, ...):
#: "revert" = back to the shipped file, "delete" = a region saved only here, deleted
CLOSED = {"revert": '{"closed":"revert"}', "delete": '{"closed":"delete"}'}
_OPEN = f"json NOT IN ('{CLOSED['revert']}', '{CLOSED['delete']}')"   # constants, not user text


def _entry(row: tuple) -> RegionEntry:
    return RegionEntry(id=row[0], name=row[1], kind=row[2], province=row[3], version=row[4],
                       saved_at=dt.datetime.fromisoformat(row[5]), ready=bool(row[6]), content_hash=row[7],
                       owner=row[8])


def region_json(region: Region) -> str:
    """A region as stored: its own data (no defaults), normalised through :func:`parse_region`, canonical JSON."""
    return json.dumps(region_data(_normalised(region)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def text_hash(text: str) -> str:
    """The stored hash of a version's text: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _normalised(region: Region, where: str = "region") -> Region:
    return parse_region(json.loads(json.dumps(region.to_dict())), where)


class RegionStore:
    """Saved regions, versioned, in the library's database. Cheap to create; safe to share between threads.

    Parameters
    ----------
    path : the database URL or SQLite file (default: the library's, ``$PBI_DATABASE_URL`` or
        :func:`storage.library.default_path`).
    library : use this library's database and connection settings instead of ``path``.
    max_rows, max_versions, max_per_session : growth bounds (codes ``too_many``, ``region_versions_full``,
        ``session_full``); writes that name an ``owner`` also count against the library's per-minute limit.
    """

    def __init__(self, path: Path | str | None = None, *, library: Library | None = None, timeout: float = 10.0,
                 max_rows: int = MAX_REGION_ROWS, max_versions: int = MAX_VERSIONS,
                 max_per_session: int = MAX_REGIONS_PER_SESSION,
                 max_writes_per_minute: int = MAX_WRITES_PER_MINUTE):
        self.library = library if library is not None else Library(
            path, timeout=timeout, max_writes_per_minute=max_writes_per_minute)
        self.path = self.library.path
        self.url = self.library.url
        self.max_rows = int(max_rows)
        self.max_versions = int(max_versions)
        self.max_per_session = int(max_per_session)

    # ---------------------------------------------------------------- writing
    def save(self, region: Region, *, owner: str | None = None, editor: str | None = None) -> int:
        """Save ``region`` as its id's next version and return the version (1 for a new id); ``editor``: the
        signed-in editor for the audit log (None: sign-in is off).

        Saving the same data as the latest version again returns that version (no new row)."""
        owner = _check_owner(owner)
        if not isinstance(region, Region):
            raise ValidationError("region", "expected region data", code="invalid")
        region = _normalised(region)
        check_name(region.name, "region.name")
        check_name(region.province, "region.province")
        text = region_json(region)
        if len(text) > MAX_REGION_JSON:
            raise ValidationError("region", f"the region's data are too large ({len(text):,} characters; at most "
                                  f"{MAX_REGION_JSON:,})", code="region_too_large", params={"max": MAX_REGION_JSON})
        with self.library._db(write=True) as con:
            last = _x(con, "SELECT version, content_hash FROM regions WHERE id = ? ORDER BY version DESC "
                               "LIMIT 1", (region.id,)).fetchone()
            if last is not None and last[1] == text_hash(text):
                return last[0]
            (rows,) = _x(con, "SELECT count(*) FROM regions").fetchone()
            if rows >= self.max_rows:
                raise ValidationError("regions", f"too many saved regions ({self.max_rows} versions)",
                                      code="too_many", params={"max": self.max_rows})
            version = 1 if last is None else last[0] + 1
            if version > self.max_versions:
                raise ValidationError("regions", f"region {region.id!r} already has {self.max_versions} saved "
                                      "versions", code="region_versions_full",
                                      params={"max": self.max_versions, "region": region.name})
            if owner is not None:
                (mine,) = _x(con, "SELECT count(*) FROM regions WHERE owner = ?", (owner,)).fetchone()
                if mine >= self.max_per_session:
                    raise ValidationError("regions", f"this session already saved {self.max_per_session} region "
                                          "versions", code="session_full", params={"max": self.max_per_session})
            self.library._written(con, owner)
            _x(con, "INSERT INTO regions (id, version, name, kind, province, ready, json, content_hash, "
                        "saved_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (region.id, version, region.name, region.kind, region.province, int(region.ready), text,
                         text_hash(text), _now(), owner))
            record(con, editor, "region_save", f"{region.id} v{version}", region.name, region.id)
        return version

    def revert_to_shipped(self, region_id: str, *, owner: str | None = None, editor: str | None = None) -> int:
        """"Kembali ke berkas bawaan": the shipped file of ``region_id`` is used again instead of its saved versions,
        which stay in the history. Returns the last saved version. Codes ``region_not_shipped`` (no such file),
        ``unknown_region`` (no saved version to go back from)."""
        region_id = _check_id(region_id)
        if region_id not in region_ids():
            raise ValidationError("region", f"region {region_id!r} has no shipped file to go back to",
                                  code="region_not_shipped", params={"region": region_id})
        return self._close(region_id, "revert", owner, editor)

    def delete(self, region_id: str, *, owner: str | None = None, editor: str | None = None) -> int:
        """"Hapus wilayah": a region saved only here leaves the listing (its versions stay in the history, for the
        scenarios and links that recorded them). Returns its last version. Codes ``region_shipped`` (a shipped
        region: go back to its file instead), ``unknown_region`` (not saved here, or already deleted)."""
        region_id = _check_id(region_id)
        if region_id in region_ids():
            raise ValidationError("region", f"region {region_id!r} is shipped with the app and cannot be deleted",
                                  code="region_shipped", params={"region": region_id})
        return self._close(region_id, "delete", owner, editor)

    def _close(self, region_id: str, how: str, owner: str | None, editor: str | None) -> int:
        owner = _check_owner(owner)
        with self.library._db(write=True) as con:
            last = _x(con, "SELECT version, name, kind, province, json FROM regions WHERE id = ? "
                      "ORDER BY version DESC LIMIT 1", (region_id,)).fetchone()
            if last is None or last[4] in CLOSED.values():
                raise ValidationError("region", f"region {region_id!r} has no saved version", code="unknown_region",
                                      params={"region": region_id})
            self.library._written(con, owner)
            text = CLOSED[how]
            _x(con, "INSERT INTO regions (id, version, name, kind, province, ready, json, content_hash, "
                    "saved_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (region_id, last[0] + 1, last[1], last[2], last[3], 0, text, text_hash(text), _now(), owner))
            record(con, editor, f"region_{how}", f"{region_id} v{last[0]}", last[1], region_id)
        return last[0]

    # ---------------------------------------------------------------- reading
    def latest(self, region_id: str) -> tuple[Region, int] | None:
        """The newest saved version of a region and its number (None: never saved)."""
        region_id = _check_id(region_id)
        with self.library._db() as con:
            row = _x(con, "SELECT json, content_hash, version FROM regions WHERE id = ? ORDER BY version DESC "
                              "LIMIT 1", (region_id,)).fetchone()
        if row is None or row[0] in CLOSED.values():   # never saved, or gone back to the file / deleted
            return None
        return _load(region_id, row[2], row[0], row[1]), row[2]

    def get(self, region_id: str, version: int) -> Region:
        """One saved version (code ``unknown_region_version`` when there is none)."""
        region_id = _check_id(region_id)
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValidationError("region_version", "expected a version number", code="unknown_region_version",
                                  params={"region": region_id, "version": str(version)[:20]})
        with self.library._db() as con:
            row = _x(con, "SELECT json, content_hash FROM regions WHERE id = ? AND version = ?",
                              (region_id, version)).fetchone()
        if row is None or row[0] in CLOSED.values():
            raise ValidationError("region_version", f"region {region_id!r} has no saved version {version}",
                                  code="unknown_region_version", params={"region": region_id, "version": version})
        return _load(region_id, version, row[0], row[1])

    def list(self) -> list[RegionEntry]:
        """The latest version of every saved region, by province then name."""
        with self.library._db() as con:
            rows = _x(con, f"SELECT {_COLS} FROM regions r WHERE version = "
                      f"(SELECT max(version) FROM regions WHERE id = r.id) AND {_OPEN}").fetchall()
        # sorted here, not by the database: PostgreSQL's order of text follows its locale, Python's is the same anywhere
        return sorted((_entry(r) for r in rows), key=lambda e: (e.province, e.name, e.id))

    def versions(self, region_id: str) -> list[RegionEntry]:
        """Every saved version of a region, oldest first (also those before a revert or deletion; not the closing
        rows)."""
        region_id = _check_id(region_id)
        with self.library._db() as con:
            rows = _x(con, f"SELECT {_COLS} FROM regions WHERE id = ? AND {_OPEN} ORDER BY version",
                               (region_id,)).fetchall()
        return [_entry(r) for r in rows]

    def ids(self) -> tuple[str, ...]:
        """The ids of the saved regions (not those gone back to their file or deleted)."""
        return tuple(sorted(e.id for e in self.list()))

    def stamp(self) -> tuple:
        """What changes when any process saves a region (a key for caches of :meth:`list` and :meth:`latest`).

        SQLite: the file and its write-ahead log (size, time), no query. PostgreSQL: the number of saved versions
        and the newest save time (versions are never changed or removed)."""
        import os
        path = self.path
        if path is not None:
            out: list = [str(path)]
            for f in (path, path.with_name(path.name + "-wal")):
                try:
                    info = os.stat(f)
                    out.append((info.st_mtime_ns, info.st_size))
                except OSError:
                    out.append(None)
            return tuple(out)
        with self.library._db() as con:
            count, newest = _x(con, "SELECT count(*), max(saved_at) FROM regions").fetchone()
        return (self.url.render_as_string(), count, newest)


def _check_id(region_id: object) -> str:
    if not isinstance(region_id, str) or not REGION_ID_RE.fullmatch(region_id):
        raise ValidationError("region", "no such region", code="unknown_region",
                              params={"region": str(region_id)[:40]})
    return region_id


def _load(region_id: str, version: int, text: str, stored_hash: str) -> Region:
    """A stored version parsed again (defaults filled now); its text must match the stored hash and its id."""
    try:
        region = None if text_hash(text) != stored_hash else parse_region(json.loads(text),
                                                                           f"regions[{region_id} v{version}]")
    except (ValidationError, ValueError, RecursionError, TypeError, AttributeError):
        region = None
    if region is None or region.id != region_id:
        raise ValidationError("region", f"the saved region {region_id!r} (version {version}) was altered outside "
                              "the app", code="tampered_region", params={"region": region_id, "version": version})
    return region
