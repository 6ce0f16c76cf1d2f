"""The library's schema and its migrations (storage/db.py, storage/migrations: Alembic).

SQLite files made by the released app before Alembic (schema versions 2 and 3, in tests/storage_legacy/, made by
that code: see make_legacy.py there) open and are upgraded in place with everything in them; a fresh database gets
the same schema from the migrations; ``python -m storage upgrade`` does it for an operator; a migration that fails
changes nothing; ``integrity_check`` finds a missing guard. On SQLite and on PostgreSQL where both apply.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from storage_backends import Raw, raw

from simulation.errors import ValidationError
from simulation.scenario import default_scenario
from storage import db
from storage.__main__ import main
from storage.library import SCHEMA_VERSION, Library
from storage.regions import RegionStore

REPO = Path(__file__).resolve().parents[1]
LEGACY = Path(__file__).resolve().parent / "storage_legacy"
# What make_legacy.py saved (ids are the files' own).
V2 = {"baseline": "9a43357db6124961915e2bef204b6c17", "frozen": "12eacd0b30ed4232a891e3e8033ae6a5",
      "other": "a6b134013450400eba7e78064fe5cbb4", "link": "0466f5781958"}
V3 = {"baseline": "3cd34d1918b643e9922bd97589a15ed4", "frozen": "00b2195ec7114eca8b4f801ee29f2626",
      "other": "8f6606d0d2e74a8180776111edf8fd4c", "link": "0466f5781958",
      "region_entry": "a38a7d9faafe4e3ab6daa73430647ee2", "region_link": "e1bd5966384a"}


def _legacy(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"v{version}.sqlite3"
    shutil.copyfile(LEGACY / f"library_v{version}.sqlite3", path)
    return path


def _schema(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    finally:
        con.close()


def test_head_is_alembics_head_and_the_sqlite_version_follows_it():
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_heads() == [db.HEAD]
    revisions = [s.revision for s in script.walk_revisions()]
    assert sorted(db.LEGACY_REVISIONS.values()) == ["0001", "0002", "0003"]   # before Alembic
    assert sorted(revisions) == ["0001", "0002", "0003", "0004", "0005"]
    assert SCHEMA_VERSION == len(revisions)


@pytest.mark.parametrize("version, ids", [(2, V2), (3, V3)])
def test_a_released_sqlite_file_is_upgraded_and_keeps_everything(tmp_path, version, ids):
    path = _legacy(tmp_path, version)
    before = _schema(path)
    lib = Library(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(db.HEAD,)]
    con.close()
    after = _schema(path)
    assert {r[1] for r in before} <= {r[1] for r in after}         # nothing of the old schema dropped
    if version == SCHEMA_VERSION:                                  # and at the newest version nothing changed
        assert [r for r in after if r[1] != "alembic_version"] == before
    assert [r for r in after if r[1] != "alembic_version"] == [r for r in _schema(_fresh(tmp_path))
                                                               if r[1] != "alembic_version"]
    entries = {e.id: e for e in lib.list()}
    assert {ids["baseline"], ids["frozen"], ids["other"]} <= set(entries)
    assert entries[ids["frozen"]].frozen and entries[ids["frozen"]].owner == "s1"
    assert lib.baseline("pontianak").id == ids["baseline"]
    assert lib.get(ids["other"]).city_share == 0.5
    assert lib.resolve(ids["link"])[0] == default_scenario().replace(city_share=0.6)
    with pytest.raises(ValidationError) as err:                    # a frozen copy stays frozen
        lib.rename(ids["frozen"], "x")
    assert err.value.code == "frozen"
    with Raw(path) as con, pytest.raises(sa.exc.IntegrityError, match="frozen"):
        con.execute("UPDATE scenarios SET json = '{}' WHERE id = ?", (ids["frozen"],))
    if version == 3:                                               # the saved region and what was made with it
        store = RegionStore(library=lib)
        [saved] = store.list()
        assert (saved.id, saved.version, saved.owner) == ("kab_contoh", 1, "s1")
        scenario, region = lib.open(ids["region_entry"])
        assert region == store.get("kab_contoh", 1) and lib.entry(ids["region_entry"]).region_version == 1
        assert lib.resolve_region(ids["region_link"])[1] == region and lib.link_region_version(ids["region_link"]) == 1
    else:                                                          # version 3's table arrived
        assert RegionStore(library=lib).save(_region()) == 1
    assert lib.save(default_scenario(), "Sesudah", owner="s2") and lib.integrity_check() == "ok"
    assert Library(path).count() == len(entries) + 1               # opening again: nothing to do


def _fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.sqlite3"
    Library(path)
    return path


def _region():
    import dataclasses

    from simulation.data import load_region
    return dataclasses.replace(load_region("pontianak"), id="kab_contoh", name="Kabupaten Contoh", kind="kabupaten")


def test_a_failed_migration_changes_nothing(tmp_path):
    path = _legacy(tmp_path, 2)
    con = sqlite3.connect(path)                                    # something in the way of version 3's new table
    con.execute("CREATE TABLE regions (x INTEGER)")
    con.commit()
    con.close()
    before = _schema(path)
    with pytest.raises(ValidationError) as err:
        Library(path)
    assert err.value.code == "storage" and "regions" in err.value.params["problem"]
    assert _schema(path) == before                                 # not half upgraded: all of it rolled back
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 3
    con.close()


def test_the_upgrade_command(tmp_path, new_db, backend, capsys):
    if backend == "sqlite":                                        # a laptop's file from before Alembic
        path = _legacy(tmp_path, 2)
        run = subprocess.run([sys.executable, "-m", "storage", "upgrade", "--db", str(path)], capture_output=True,
                             text=True, cwd=REPO, timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout == f"{path}: schema upgraded from schema version 2 (before Alembic) to revision {db.HEAD}\n"
        assert main(["upgrade", "--db", str(path)]) == 0
        assert capsys.readouterr().out == f"{path}: schema already at revision {db.HEAD}\n"
    empty = new_db("empty", empty=True)                            # an operator prepares a new database
    assert main(["upgrade", "--db", str(empty)]) == 0
    out = capsys.readouterr().out
    assert out.endswith(f"schema upgraded from an empty database to revision {db.HEAD}\n")
    assert "password" not in out
    lib = Library(empty)
    assert lib.integrity_check() == "ok" and lib.count() == 0
    assert main(["upgrade", "--db", "mysql://x@localhost/pbi"]) == 2
    assert "unsupported database" in capsys.readouterr().err


def test_integrity_check_finds_a_missing_guard(new_db, backend):
    lib = Library(new_db())
    assert lib.integrity_check() == "ok"
    with raw(lib) as con:
        con.drop_trigger("scenarios_frozen_no_update", "scenarios")
        con.execute("DROP INDEX scenarios_one_baseline")
    assert lib.integrity_check() == ("trigger scenarios_frozen_no_update is missing or disabled\n"
                                     "index scenarios_one_baseline is missing or disabled")
    with raw(lib) as con:
        con.execute("UPDATE alembic_version SET version_num = '0002'")
    assert lib.integrity_check().splitlines()[0] == f"schema revision 0002 (expected {db.HEAD})"


def test_integrity_check_runs_the_engines_own_check(new_db, backend):
    lib = Library(new_db())
    for i in range(3):
        lib.save(default_scenario(), f"A{i}")
    if backend == "sqlite":   # an index whose content no longer matches its definition: only the file check sees it
        con = sqlite3.connect(lib.path)
        con.execute("PRAGMA writable_schema = ON")
        con.execute("UPDATE sqlite_master SET sql = replace(sql, 'region, created_at', 'created_at, region') "
                    "WHERE name = 'scenarios_region'")
        con.commit()
        con.close()
        problems = lib.integrity_check()
        assert problems != "ok" and "scenarios_region" in problems
    else:   # amcheck is installed in the test databases: every B-tree index of the library's tables is checked
        with raw(lib) as con:
            assert con.execute("SELECT extname FROM pg_extension").fetchall() == [("plpgsql",), ("amcheck",)]
            con.execute("ALTER TABLE scenarios DISABLE TRIGGER scenarios_frozen_no_update")
        assert lib.integrity_check() == "trigger scenarios_frozen_no_update is missing or disabled"
