"""The storage tests' two databases: a SQLite file in the test's folder, and a real PostgreSQL server.

``backend`` (``sqlite`` / ``postgresql``) parametrises every test that uses it (or ``new_db``, ``lib``, ``store``).
The PostgreSQL server is a throwaway cluster made once per test run: Debian's ``postgresql`` package
(``scripts/postgresql.sh`` installs it; ``./test.sh`` runs that), ``initdb`` and ``pg_ctl`` from
``/usr/lib/postgresql/<version>/bin`` on a temporary folder and a free port on 127.0.0.1, as the current user (as
``postgres`` when that is root, which PostgreSQL refuses to run as). No mock: the library talks to that server.
Durability is not what these tests ask of the server itself, so it runs with ``fsync=off`` (faster).
Each test gets databases of its own with no rows, at the newest schema: copies of one template database that the
library upgraded (so the migrations run on PostgreSQL once per run, and from scratch in the tests that ask for an
empty database), given back after the test and emptied for the next one unless that test changed their schema.

Use: ``from storage_backends import backend, new_db, raw  # noqa: F401`` in a test module.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from storage import db

BACKENDS = ("sqlite", "postgresql")
TEMPLATE = "pbi_template"
_counter = itertools.count(1)


def pg_bin() -> Path:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail("PostgreSQL is not installed: run scripts/postgresql.sh (./test.sh does) "
                    "or apt-get install -y postgresql")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL server of its own on a temporary folder; stopped and removed at the end of the run."""

    def __init__(self) -> None:
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="pbi-pg-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.port = 0
        self.free: list[str] = []            # databases at the newest schema that tests gave back
        self._stopped = False
        atexit.register(self.stop)
        self._run("initdb", "-D", str(self.data), "-U", "pbi", "--auth=trust", "-E", "UTF8", "--no-sync")
        for attempt in range(3):
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            try:
                self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "server.log"), "-w",
                          "-t", "60", "start")
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    log = (self.dir / "server.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"the test PostgreSQL server did not start:\n{log}") from None
        self.admin(f"CREATE DATABASE {TEMPLATE}")
        with sa.create_engine(self.url(TEMPLATE), poolclass=NullPool).connect() as con:
            con.exec_driver_sql("CREATE EXTENSION amcheck")     # so that integrity_check runs its index checks
            con.commit()
        from storage.library import Library
        Library(self.url(TEMPLATE))                              # the migrations, on PostgreSQL
        db.dispose_all()

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin / program), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, cwd=self.dir)

    def url(self, name: str) -> str:
        return f"postgresql://pbi@127.0.0.1:{self.port}/{name}"

    def admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=pbi dbname=postgres", autocommit=True) as con:
            con.execute(sql)

    def database(self, empty: bool = False) -> str:
        """A new database (a copy of the upgraded template, or ``empty``); returns its URL."""
        name = f"t{os.getpid()}_{next(_counter)}"
        self.admin(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}"))
        return self.url(name)

    def checkout(self) -> str:
        """A database at the newest schema with no rows: one a finished test gave back, emptied (TRUNCATE is much
        cheaper than a new database), unless that test changed its schema (a dropped or disabled trigger, another
        revision): then a new copy of the template."""
        while self.free:
            url = self.free.pop()
            try:
                with sa.create_engine(url, poolclass=NullPool).begin() as con:
                    con.exec_driver_sql("SET LOCAL session_replication_role = replica")   # past the audit's guard
                    con.exec_driver_sql("TRUNCATE scenarios, snapshots, writes, regions, editors, audit")
                    intact = db.revision(con) == db.HEAD and not db.missing_guards(con)
            except sa.exc.SQLAlchemyError:
                intact = False
            if intact:
                return url
            self.drop(url)
        return self.database()

    def drop(self, url: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {sa.make_url(url).database} WITH (FORCE)")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster()
    yield cluster
    db.dispose_all()
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_db(backend, request, tmp_path):
    """``new_db(name="lib")``: a new, empty library database of the test's backend (a SQLite path or a URL);
    ``new_db(name, empty=True)`` on PostgreSQL: a database without the schema."""
    made: list[str] = []
    cluster = request.getfixturevalue("pg_cluster") if backend == "postgresql" else None

    def make(name: str = "lib", empty: bool = False):
        if cluster is None:
            return tmp_path / f"{name}.sqlite3"
        made.append((cluster.database(empty=True) if empty else cluster.checkout(), empty))
        return made[-1][0]
    yield make
    db.dispose_all()
    for url, empty in made:
        if empty:
            cluster.drop(url)
        else:
            cluster.free.append(url)


class Raw:
    """A connection to the library's database that bypasses the library (what someone with the file or the
    database password can do): statements with ``?`` placeholders, each committed at once."""

    def __init__(self, url) -> None:
        self.engine = sa.create_engine(db.database_url(url), poolclass=NullPool)
        self.con = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self.kind = self.engine.dialect.name

    def execute(self, sql: str, args: tuple = ()):
        from storage.store import _bind
        stmt, params = _bind(sql, args)
        return self.con.execute(stmt, params)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        """One statement once per row, in one transaction."""
        from storage.store import _bind
        with self.engine.begin() as con:
            con.execute(_bind(sql, rows[0])[0], [_bind(sql, r)[1] for r in rows])

    def drop_trigger(self, name: str, table: str) -> None:
        self.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if self.kind == "postgresql" else ""))

    @contextmanager
    def holding_the_write_lock(self):
        """Another writer in the middle of a write (SQLite ``BEGIN IMMEDIATE``; PostgreSQL the writers' lock)."""
        if self.kind == "sqlite":
            self.con.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            self.con.exec_driver_sql(f"SELECT pg_advisory_lock({db.WRITE_LOCK})")
        try:
            yield
        finally:
            self.con.exec_driver_sql("ROLLBACK" if self.kind == "sqlite" else
                                     f"SELECT pg_advisory_unlock({db.WRITE_LOCK})")

    def close(self) -> None:
        self.con.close()
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def raw(lib_or_store) -> Raw:
    return Raw(lib_or_store.url)

