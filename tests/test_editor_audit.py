"""The operator's changes of the editor list are audited, and the audit log is append-only (issue 15; migration
0005), on SQLite and on PostgreSQL.

``python -m storage editor add/remove`` records who ran it (``--by``, else the operating-system account, which is
recorded in both cases), when, which editor and what rights. The database refuses ``UPDATE`` and ``DELETE`` of an
audit row (and ``TRUNCATE`` of the table on PostgreSQL), for the app and for anyone with the database's password.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import subprocess
import sys

import pytest
import sqlalchemy as sa
from storage_backends import raw

from simulation.errors import ValidationError
from storage import db
from storage.editors import EditorStore, os_user
from storage.library import Library

PASSWORD = "kata-sandi-panjang-1"
ACCOUNT = pwd.getpwuid(os.geteuid()).pw_name            # the account running these tests


@pytest.fixture
def lib(new_db):
    return Library(new_db())


def _editor_rows(store):
    return [(r.editor, r.action, r.target, r.name, r.region)
            for r in store.audit(actions=("editor_add", "editor_remove"))]


def test_adding_and_removing_an_editor_records_who_when_and_what(lib):
    store = EditorStore(library=lib)
    before = dt.datetime.now(dt.UTC)
    store.add("siti", PASSWORD, "kab_ketapang,pontianak", email="siti@kota.example.go.id", by="kepala")
    store.add("admin", PASSWORD, "", admin=True)                      # no --by: the operating-system account
    store.remove("siti", by="kepala")
    after = dt.datetime.now(dt.UTC)
    assert os_user() == ACCOUNT
    assert _editor_rows(store) == [
        ("kepala", "editor_remove", "siti",
         f"regions kab_ketapang,pontianak; e-mail siti@kota.example.go.id; OS user {ACCOUNT}", ""),
        (ACCOUNT, "editor_add", "admin", f"admin (every region); OS user {ACCOUNT}", ""),
        ("kepala", "editor_add", "siti",
         f"regions kab_ketapang,pontianak; e-mail siti@kota.example.go.id; OS user {ACCOUNT}", "")]
    assert all(before <= r.at <= after for r in store.audit())
    assert store.audit("pontianak") == []                    # not a change of a region's scenarios


def test_a_refused_editor_change_leaves_no_row_and_a_bad_by_is_refused(lib):
    store = EditorStore(library=lib)
    store.add("siti", PASSWORD, "pontianak", by="kepala")
    for call in (lambda: store.add("siti", PASSWORD, "pontianak", by="kepala"),       # exists
                 lambda: store.remove("budi", by="kepala"),                            # no such editor
                 lambda: store.add("budi", PASSWORD, "pontianak", by="ke pala; --")):  # not a name
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.code in ("editor_exists", "unknown_editor", "bad_editor")
    assert [(r.action, r.target) for r in store.audit()] == [("editor_add", "siti")]
    assert [e.name for e in store.list()] == ["siti"]


def test_the_cli_records_the_operator_and_prints_the_log(new_db):
    target = str(new_db("cli"))
    run = lambda *args, text="": subprocess.run(  # noqa: E731
        [sys.executable, "-m", "storage", "editor", *args, "--db", target], input=text, capture_output=True,
        text=True, timeout=120)
    assert run("add", "siti", "--regions", "pontianak", "--by", "kepala", text=PASSWORD + "\n").returncode == 0
    assert run("remove", "siti").returncode == 0
    bad = run("remove", "siti", "--by", "x y")
    assert bad.returncode == 2 and "--by" in bad.stderr
    log = run("log")
    assert log.returncode == 0, log.stderr
    lines = [line.split("\t") for line in log.stdout.splitlines()]
    assert [line[1:] for line in lines] == [
        ["editor_remove", "siti", f"by {ACCOUNT}", f"regions pontianak; OS user {ACCOUNT}"],
        ["editor_add", "siti", "by kepala", f"regions pontianak; OS user {ACCOUNT}"]]
    assert all(line[0].endswith(" UTC") for line in lines)


def test_audit_rows_cannot_be_changed_or_removed(lib, make_scenario, backend):
    store = EditorStore(library=lib)
    store.add("siti", PASSWORD, "pontianak", by="kepala")
    lib.save(make_scenario(), "Rencana A", editor="siti")
    kept = store.audit()
    with raw(lib) as con:                                    # someone with the database's password
        for sql in ("UPDATE audit SET editor = 'orang-lain'", "UPDATE audit SET name = 'x' WHERE action = 'save'",
                    "DELETE FROM audit", "DELETE FROM audit WHERE action = 'editor_add'"):
            with pytest.raises(sa.exc.IntegrityError, match="append-only"):
                con.execute(sql)
        if backend == "postgresql":
            with pytest.raises(sa.exc.IntegrityError, match="append-only"):
                con.execute("TRUNCATE audit")
        con.execute("INSERT INTO audit (at, editor, action, target, name, region) VALUES (?, ?, ?, ?, ?, ?)",
                    ("2026-12-04T00:00:00+00:00", "x", "note", "t", "n", ""))       # adding stays possible
    assert store.audit()[1:] == kept
    with pytest.raises(ValidationError) as err, lib._db(write=True) as con:           # through the app's own path
        con.execute(sa.text("DELETE FROM audit"))
    assert err.value.code == "storage" and "append-only" in err.value.message
    assert len(store.audit()) == 3


def test_integrity_check_reports_a_dropped_audit_guard_and_then_rows_can_go(lib):
    store = EditorStore(library=lib)
    store.add("siti", PASSWORD, "pontianak", by="kepala")
    assert lib.integrity_check() == "ok"
    with raw(lib) as con:
        con.drop_trigger("audit_no_delete", "audit")
        con.execute("DELETE FROM audit")                     # the trigger was what refused it
    assert lib.integrity_check() == "trigger audit_no_delete is missing or disabled"
    assert store.audit() == []


def test_a_database_at_revision_0004_is_upgraded_keeping_its_audit_rows(new_db, backend):
    from alembic import command
    url = db.database_url(new_db("old", empty=True) if backend == "postgresql" else new_db("old"))
    path = db.sqlite_path(url)
    if path is not None:
        db.prepare_sqlite_file(path, 10.0)
    with db.transaction(db.engine(url), 10.0, write=True) as con:
        command.upgrade(db._alembic_config(con), "0004")
        con.execute(sa.text("INSERT INTO audit (at, editor, action, target, name, region) "
                            "VALUES ('2026-12-01T08:00:00+00:00', 'siti', 'save', 'abc', 'Rencana', 'pontianak')"))
    with db.transaction(db.engine(url), 10.0) as con:
        assert db.revision(con) == "0004"
    lib = Library(url.render_as_string(hide_password=False))        # opening it upgrades it
    assert lib.integrity_check() == "ok"
    [row] = EditorStore(library=lib).audit()
    assert (row.editor, row.action, row.region) == ("siti", "save", "pontianak")
    with raw(lib) as con, pytest.raises(sa.exc.IntegrityError, match="append-only"):
        con.execute("DELETE FROM audit")
