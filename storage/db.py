"""The one database of the library and the saved regions, through SQLAlchemy: one URL, two kinds of server.

* ``PBI_DATABASE_URL`` unset (a laptop, nothing to set up): the SQLite file ``$PBI_DATA_DIR/scenarios.sqlite3``
  (default ``<repo>/var/scenarios.sqlite3``), as before.
* ``PBI_DATABASE_URL=postgresql://user:password@host:5432/pbi`` (a shared server): PostgreSQL through psycopg 3
  (``postgresql://`` and ``postgresql+psycopg://`` are the same here).

:func:`transaction` gives the same guarantees on both. Writes are serialised (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: a transaction-level advisory lock taken first), so a write that counts rows and then inserts (the
limits) sees no other writer in between, across threads and processes; readers are never blocked (SQLite in
write-ahead-log mode, PostgreSQL's MVCC). Waiting longer than ``timeout`` seconds for another writer is refused
with code ``busy``; any other database error becomes code ``storage`` (``frozen`` when the database itself refused
to change a frozen entry). A transaction that returned has committed (SQLite ``synchronous=FULL``).

The schema is made and upgraded by Alembic (``storage/migrations``; :func:`upgrade`, ``python -m storage upgrade``).
SQLite files made before Alembic (``PRAGMA user_version`` 1 to 3) are recognised and upgraded in place; the SQLite
migrations keep setting ``user_version`` so that the file says its version to any tool.

This module does not import Streamlit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from simulation.errors import ValidationError

REPO = Path(__file__).resolve().parents[1]
DB_FILE_NAME = "scenarios.sqlite3"
URL_ENV = "PBI_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0005"                       # the newest migration (tests/test_storage_migrations.py checks it is Alembic's head)
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}   # SQLite user_version before Alembic -> its revision
WRITE_LOCK = 0x5042_4931            # PostgreSQL advisory lock key of the library's writers ("PBI1")
_engines: dict[tuple[str, float], Engine] = {}
_engines_lock = threading.Lock()


def default_path() -> Path:
    """``$PBI_DATA_DIR/scenarios.sqlite3``, else ``<repo>/var/scenarios.sqlite3``."""
    base = os.environ.get("PBI_DATA_DIR", "").strip()
    return (Path(base).expanduser() if base else REPO / "var") / DB_FILE_NAME


def database_url(target: str | Path | None = None) -> URL:
    """The URL of ``target``: a URL (``postgresql://...``, ``sqlite:///...``), a file path (SQLite), or None:
    ``$PBI_DATABASE_URL``, else the default SQLite file (:func:`default_path`)."""
    if target is None:
        target = os.environ.get(URL_ENV, "").strip() or default_path()
    if isinstance(target, Path) or "://" not in str(target):
        return URL.create("sqlite", database=str(Path(target).expanduser()))
    try:
        url = make_url(str(target))
    except Exception as exc:    # noqa: BLE001 - SQLAlchemy raises ArgumentError/ValueError for a malformed URL
        raise ValidationError("database", f"the database address is malformed ({URL_ENV})", code="storage",
                              params={"problem": f"{URL_ENV}: {type(exc).__name__}"}) from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite":
        return url
    raise ValidationError("database", f"unsupported database {url.drivername!r}: use sqlite or postgresql",
                          code="storage", params={"problem": f"driver {url.drivername}"})


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def engine(url: URL, timeout: float = 10.0) -> Engine:
    """One engine per database and timeout in this process (thread-safe; PostgreSQL connections are pooled)."""
    key = (url.render_as_string(hide_password=False), float(timeout))
    with _engines_lock:
        eng = _engines.get(key)
        if eng is None:
            eng = _engines[key] = _make_engine(url, float(timeout))
        return eng


def dispose_all() -> None:
    """Close every pooled connection of this process (tests; a server that forks)."""
    with _engines_lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()


def _make_engine(url: URL, timeout: float) -> Engine:
    if url.get_backend_name() == "sqlite":
        # A short-lived connection per operation, as before SQLAlchemy (a file is cheap to open; nothing stale).
        eng = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": timeout})

        @event.listens_for(eng, "connect")
        def _sqlite_connect(dbapi_con, _record):
            dbapi_con.isolation_level = None             # transactions are begun below, not by the driver
            dbapi_con.execute("PRAGMA synchronous=FULL")
            dbapi_con.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(eng, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("pbi_write") else "BEGIN")
        return eng
    return sa.create_engine(url, pool_size=4, max_overflow=8, pool_pre_ping=True, pool_recycle=1800,
                            connect_args={"connect_timeout": max(1, int(round(timeout)))})


@contextmanager
def transaction(eng: Engine, timeout: float, write: bool = False) -> Iterator[Connection]:
    """One transaction on a connection of ``eng``, committed when the block ends, rolled back on any error.

    ``write``: serialised with every other writer of the database (see the module's doc)."""
    try:
        with eng.connect() as con:
            if write:
                con.execution_options(pbi_write=True)
            with con.begin():
                if write and con.dialect.name == "postgresql":
                    con.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(timeout * 1000))}")
                    con.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                yield con
    except sa.exc.SQLAlchemyError as exc:
        raise translate(exc) from None


def translate(exc: BaseException) -> ValidationError:
    """A database error as the refusal the app shows (codes ``frozen``, ``busy``, ``storage``)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    state = getattr(orig, "sqlstate", None) or ""
    if isinstance(exc, sa.exc.IntegrityError) and "frozen" in text:
        return ValidationError("entry", "this \"as presented\" copy cannot be changed", code="frozen")
    if state in ("55P03", "40001", "40P01") or (
            isinstance(exc, sa.exc.OperationalError) and ("locked" in text or "busy" in text) and not state):
        return ValidationError("library", "the library is busy; try again in a moment", code="busy")
    return ValidationError("library", f"the scenario library cannot be used: {text}", code="storage",
                           params={"problem": text[:200]})


# --------------------------------------------------------------------------- schema
def prepare_sqlite_file(path: Path, timeout: float) -> None:
    """Create the folder and switch the file to WAL (a lasting property of the file; needs a moment alone with it,
    and SQLite does not always wait for it: a second process creating the same new file gets "database is locked"
    at once, so retry until ``timeout``)."""
    import sqlite3
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError("library", f"cannot create the data folder: {exc.strerror}", code="storage",
                              params={"problem": str(exc.strerror)}) from None
    deadline = time.monotonic() + timeout
    while True:
        con = None
        try:
            con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise _sqlite_error(exc) from None
        except sqlite3.Error as exc:
            raise _sqlite_error(exc) from None
        finally:
            if con is not None:
                con.close()
        time.sleep(0.05)
    if str(mode).lower() != "wal":
        raise ValidationError("library", f"the database cannot use a write-ahead log (mode {mode})",
                              code="storage", params={"problem": f"journal_mode={mode}"})


def _sqlite_error(exc: Exception) -> ValidationError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return ValidationError("library", "the library is busy; try again in a moment", code="busy")
    return ValidationError("library", f"the scenario library cannot be used: {text}", code="storage",
                           params={"problem": text[:200]})


def revision(con: Connection) -> str | None:
    """The schema revision of the database (None: empty); a SQLite file made before Alembic by its user_version."""
    insp = sa.inspect(con)
    if insp.has_table("alembic_version"):
        rows = [r[0] for r in con.exec_driver_sql("SELECT version_num FROM alembic_version")]
        return rows[0] if len(rows) == 1 else ",".join(rows) or None
    if con.dialect.name == "sqlite":
        version = con.exec_driver_sql("PRAGMA user_version").scalar()
        if version == 0:
            return None
        if version in LEGACY_REVISIONS:
            return f"legacy:{version}"
        raise ValidationError("library", f"database schema version {version} is not supported "
                              f"(expected {len(LEGACY_REVISIONS)})", code="storage",
                              params={"problem": f"user_version={version}"})
    return None


def _alembic_config(con: Connection):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = con
    return cfg


def upgrade_in(con: Connection) -> tuple[str | None, str]:
    """Bring the database of ``con`` (inside a write transaction) to :data:`HEAD`; returns (before, after).

    Refused with code ``storage`` for a database of a newer version of the app (a revision this code does not
    know): it is left untouched."""
    before = revision(con)
    if before == HEAD:
        return before, HEAD
    from alembic import command
    from alembic.script import ScriptDirectory
    cfg = _alembic_config(con)
    known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
    if before is not None and before.startswith("legacy:"):
        command.stamp(cfg, LEGACY_REVISIONS[int(before.split(":")[1])])
    elif before is not None and before not in known:
        raise ValidationError("library", f"database schema revision {before} is not supported (expected {HEAD})",
                              code="storage", params={"problem": f"revision={before}"})
    command.upgrade(cfg, "head")
    return before, revision(con) or ""


# --------------------------------------------------------------------------- checks
GUARDS = {"trigger": ("scenarios_frozen_no_update", "regions_versions_kept", "audit_no_update", "audit_no_delete"),
          "index": ("scenarios_one_baseline",)}


def missing_guards(con: Connection) -> list[str]:
    """The database's own guards (triggers, the one-baseline index) that are missing or disabled."""
    if con.dialect.name == "sqlite":
        have = {(t, n) for t, n in con.exec_driver_sql(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index')")}
    else:
        have = {("trigger", r[0]) for r in con.exec_driver_sql(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace")}
        have |= {("index", r[0]) for r in con.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    return [f"{kind} {name} is missing or disabled" for kind, names in GUARDS.items() for name in names
            if (kind, name) not in have]


def engine_check(con: Connection) -> list[str]:
    """The database engine's own check of its storage: SQLite's ``PRAGMA integrity_check``; on PostgreSQL
    ``amcheck``'s ``bt_index_check`` of the library's indexes when the extension is installed (nothing otherwise)."""
    if con.dialect.name == "sqlite":
        lines = [r[0] for r in con.exec_driver_sql("PRAGMA integrity_check")]
        return [] if lines == ["ok"] else lines
    if con.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").first() is None:
        return []
    problems = []
    indexes = con.exec_driver_sql(
        "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = c.relam JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE am.amname = 'btree' AND t.relnamespace = current_schema()::regnamespace "
        "AND t.relname IN ('scenarios', 'snapshots', 'writes', 'regions') ORDER BY c.relname").all()
    for oid, name in indexes:
        try:
            with con.begin_nested():
                con.exec_driver_sql(f"SELECT bt_index_check({int(oid)}, true)")
        except sa.exc.DBAPIError as exc:
            problems.append(f"index {name}: {str(exc.orig).strip().splitlines()[0]}")
    return problems
