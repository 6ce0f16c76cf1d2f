"""Editors who sign in and the audit log (issue 15; storage/editors.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

import pytest
from storage_backends import raw

from simulation.data import load_region
from simulation.errors import ValidationError
from storage.editors import ANONYMOUS, EditorStore, check_password, hash_password
from storage.library import Library
from storage.regions import RegionStore

PASSWORD = "kata-sandi-panjang-1"


@pytest.fixture
def lib(new_db):
    return Library(new_db())


def test_an_editor_signs_in_with_their_password_only(lib):
    store = EditorStore(library=lib)
    added = store.add("siti", PASSWORD, "kab_ketapang, pontianak", email="Siti@Example.go.id")
    assert added.regions == ("kab_ketapang", "pontianak") and not added.is_admin
    assert added.email == "siti@example.go.id"
    assert store.verify("siti", PASSWORD) == added
    assert store.verify("siti", PASSWORD + "x") is None
    assert store.verify("budi", PASSWORD) is None
    assert store.verify("siti", None) is None
    assert store.by_email("SITI@example.go.id") == added
    assert added.may_edit("kab_ketapang") and not added.may_edit("kab_sambas")
    assert [e.name for e in store.list()] == ["siti"]


def test_no_password_is_stored_as_text_and_each_has_its_own_salt(lib):
    store = EditorStore(library=lib)
    store.add("siti", PASSWORD, "pontianak")
    store.add("budi", PASSWORD, "pontianak")
    with raw(lib) as con:
        rows = dict(con.execute("SELECT name, password_hash FROM editors").fetchall())
        everything = " ".join(str(v) for r in con.execute("SELECT * FROM editors").fetchall() for v in r)
    assert PASSWORD not in everything and PASSWORD.encode().hex() not in everything
    assert rows["siti"] != rows["budi"]                          # a salt of its own: same password, other hash
    assert rows["siti"].startswith("scrypt$") and check_password(PASSWORD, rows["siti"])
    assert all(PASSWORD not in repr(e) for e in store.list())


def test_hash_is_scrypt_of_the_password_and_salt():
    stored = hash_password(PASSWORD, b"s" * 16)
    assert stored == hash_password(PASSWORD, b"s" * 16) != hash_password(PASSWORD, b"t" * 16)
    assert check_password(PASSWORD, stored) and not check_password(PASSWORD[:-1], stored)
    assert not check_password(PASSWORD, "plain$" + PASSWORD)


def test_refusals_say_what_is_wrong(lib):
    store = EditorStore(library=lib)
    store.add("admin", PASSWORD, "", admin=True)
    cases = [(("admin", PASSWORD, "pontianak"), "editor_exists"), (("x y", PASSWORD, "pontianak"), "bad_editor"),
             (("budi", "short", "pontianak"), "weak_password"), (("budi", PASSWORD, "Pontianak!"), "bad_editor")]
    for args, code in cases:
        with pytest.raises(ValidationError) as err:
            store.add(*args)
        assert err.value.code == code, args
    with pytest.raises(ValidationError) as err:
        store.remove("nobody")
    assert err.value.code == "unknown_editor"
    assert store.get("admin").may_edit("kab_sambas")
    store.remove("admin")
    assert store.list() == [] and store.verify("admin", PASSWORD) is None


def test_every_change_is_in_the_audit_log_with_who_and_which_region(lib, make_scenario):
    store = EditorStore(library=lib)
    s = make_scenario()
    first = lib.save(s, "Rencana A", editor="siti")
    lib.rename(first, "Rencana B", editor="siti")
    copy = lib.duplicate(first, "Salinan")                       # sign-in off: no editor
    frozen = lib.freeze(first, "Beku", editor="budi")
    lib.set_baseline(first, editor="siti")
    lib.update(first, s.replace(horizon_year=2031), editor="siti")
    lib.delete(copy, editor="siti")
    region_version = RegionStore(library=lib).save(load_region("kab_ketapang"), editor="rina")
    rows = store.audit("pontianak")
    assert [(r.editor, r.action, r.target) for r in rows] == [
        ("siti", "delete", copy), ("siti", "update", first), ("siti", "set_baseline", first),
        ("budi", "freeze", frozen), (ANONYMOUS, "duplicate", copy), ("siti", "rename", first),
        ("siti", "save", first)]
    assert rows[-1].name == "Rencana A" and rows[-2].name == "Rencana B"
    assert {r.region for r in rows} == {"pontianak"}
    ketapang = store.audit("kab_ketapang")
    assert [(r.editor, r.action, r.target) for r in ketapang] == [("rina", "region_save", f"kab_ketapang v{region_version}")]
    assert len(store.audit()) == 8 and rows[0].at >= rows[-1].at


def test_a_refused_change_leaves_no_audit_row(lib, make_scenario):
    frozen = lib.freeze(lib.save(make_scenario(), "A"), "Beku")
    with pytest.raises(ValidationError):
        lib.rename(frozen, "Baru", editor="siti")
    assert [r.action for r in EditorStore(library=lib).audit("pontianak")] == ["freeze", "save"]


def test_the_cli_adds_lists_and_removes_editors_without_showing_a_password(new_db, tmp_path):
    target = str(new_db("cli"))
    run = lambda *args, text="": subprocess.run(  # noqa: E731
        [sys.executable, "-m", "storage", *args, "--db", target], input=text, capture_output=True, text=True,
        timeout=120)
    added = run("editor", "add", "siti", "--regions", "kab_ketapang,pontianak", text=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "kab_ketapang, pontianak" in added.stdout and PASSWORD not in added.stdout
    admin = run("editor", "add", "kepala", "--admin", text=PASSWORD + "\n")
    assert admin.returncode == 0, admin.stderr
    listed = run("editor", "list")
    assert listed.stdout.splitlines() == ["kepala\tadmin\t-", "siti\tkab_ketapang,pontianak\t-"]
    assert "scrypt" not in listed.stdout
    assert EditorStore(target).verify("siti", PASSWORD) is not None
    weak = run("editor", "add", "budi", "--regions", "pontianak", text="pendek\n")
    assert weak.returncode == 2 and "password" in weak.stderr
    assert run("editor", "add", "budi", text=PASSWORD + "\n").returncode == 2      # no region, not admin
    assert run("editor", "remove", "siti").returncode == 0
    assert run("editor", "remove", "siti").returncode == 2
    assert [e.name for e in EditorStore(target).list()] == ["kepala"]


def test_five_wrong_passwords_lock_the_name_for_a_while_across_processes(lib):
    import datetime as dt

    from storage.editors import LOCK_WINDOW, MAX_FAILED
    store = EditorStore(library=lib)
    store.add("siti", PASSWORD, "pontianak")
    now = dt.datetime.now(dt.UTC)
    for _ in range(MAX_FAILED):
        assert store.verify("siti", "tebakan-yang-salah", now=now) is None
    for password in ("tebakan-yang-salah", PASSWORD):                # the right one too, while it lasts
        with pytest.raises(ValidationError) as err:
            EditorStore(lib.url).verify("siti", password, now=now)   # another process: counted in the database
        assert err.value.code == "locked" and err.value.params == {"minutes": 15}
    assert store.verify("budi", PASSWORD, now=now) is None               # other names are not locked
    assert store.verify("siti", PASSWORD, now=now + LOCK_WINDOW + dt.timedelta(seconds=1)).name == "siti"
    assert [r.action for r in store.audit("pontianak")] == []            # failures are not a region's changes
    assert [(r.action, r.target) for r in store.audit()][:2] == [("sign_in_failed", "budi"),
                                                                  ("sign_in_failed", "siti")]
