"""Scenario library and share links (storage/library.py, links.py, store.py): CRUD, freeze, baseline, links, limits,
durability.

Every test that takes ``backend`` (directly or through ``lib``/``new_db``) runs twice: on a SQLite file and on a
real PostgreSQL server (tests/storage_backends.py).

The durability tests start real child processes: two processes saving at once (on a new database: both upgrade
its schema at once), and a process SIGKILLed again and again while it saves (its confirmed saves must all be there
afterwards, in a sound database).
The children skip ``simulation/__init__`` (which loads statsmodels, ~2 s) so that each starts in ~0.1 s.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from storage_backends import Raw, raw

from simulation.data import load_region, parse_region
from simulation.errors import ValidationError
from simulation.scenario import Scenario, default_scenario
from storage import db as db_module
from storage import library as library_module
from storage import store as store_module
from storage.library import Library
from storage.links import snapshot_hash
from storage.store import check_name

REPO = Path(__file__).resolve().parents[1]
HEX32 = re.compile(r"[0-9a-f]{32}")

# A child process: saves scenarios in a loop and prints each confirmed entry id (flushed) to stdout.
# argv: database (SQLite path or URL), number of saves (0 = forever), label. Output "streamlit-loaded" if that happened.
CHILD = r"""
import sys, types
repo = sys.argv[4]
pkg = types.ModuleType("simulation")          # skip simulation/__init__ (statsmodels) for a fast start
pkg.__path__ = [repo + "/simulation"]
sys.modules["simulation"] = pkg
sys.path.insert(0, repo)
from storage.library import Library
from simulation.scenario import default_scenario
if "streamlit" in sys.modules:
    print("streamlit-loaded", flush=True)
db, count, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lib = Library(db, max_entries=10**9)
s = default_scenario()
i = 0
while count == 0 or i < count:
    i += 1
    entry_id = lib.save(s, f"{label} {i}")
    sys.stdout.write(entry_id + "\n")
    sys.stdout.flush()
"""


@pytest.fixture
def lib(new_db) -> Library:
    return Library(new_db())


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return default_scenario()


@pytest.fixture(scope="module")
def child_script(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("child") / "saver.py"
    path.write_text(CHILD, encoding="utf-8")
    return path


def _code(exc_info) -> str:
    return exc_info.value.code


def _edited_region():
    r = load_region("pontianak")
    hist = list(r.coverage_history)
    hist[-1] = dataclasses.replace(hist[-1], value=hist[-1].value + 1.5, source="Edited on the Data page")
    return r.with_history(tuple(hist))


# --------------------------------------------------------------------------- entries
def test_crud_round_trip(lib, scenario):
    a = lib.save(scenario, "Rencana A")
    assert HEX32.fullmatch(a)
    got = lib.get(a)
    assert got == scenario.replace(name="Rencana A")
    [e] = lib.list()
    assert (e.id, e.name, e.region, e.frozen, e.is_baseline) == (a, "Rencana A", "pontianak", False, False)
    assert e.content_hash == got.content_hash and e.created_at == e.updated_at and e.created_at.tzinfo

    changed = scenario.replace(city_share=0.5)
    lib.update(a, changed)
    assert lib.get(a) == changed.replace(name="Rencana A")       # the entry keeps its name
    assert lib.entry(a).updated_at > lib.entry(a).created_at

    lib.rename(a, "  Rencana A – 50 %  ")
    assert lib.entry(a).name == "Rencana A – 50 %" and lib.get(a).name == "Rencana A – 50 %"

    b = lib.duplicate(a, "Salinan")
    assert b != a and lib.get(b) == changed.replace(name="Salinan")
    assert [e.id for e in lib.list()] == [a, b] and [e.id for e in lib.list("kalbar")] == []

    lib.delete(a)
    assert [e.id for e in lib.list()] == [b]
    for call in (lambda: lib.get(a), lambda: lib.rename(a, "x"), lambda: lib.delete(a),
                 lambda: lib.get("not-an-id"), lambda: lib.get("' OR 1=1 --")):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "unknown_entry"

    # export → import is the same scenario; the file is the plain scenario JSON the CLI reads
    text = lib.export_json(b)
    assert Scenario.from_json(text) == lib.get(b)
    c = lib.import_json(text)
    assert lib.get(c) == lib.get(b) and lib.count() == 2
    d = lib.import_json(text.encode("utf-8"), name="Dari berkas")
    assert lib.get(d).name == "Dari berkas"


def test_region_of_an_entry_cannot_change(lib, scenario):
    a = lib.save(scenario)
    kalbar = Scenario.from_dict({**scenario.to_dict(), "region": "kalbar", "groups": [], "targets": []})
    with pytest.raises(ValidationError) as err:
        lib.update(a, kalbar)
    assert _code(err) == "region_mismatch" and lib.get(a) == scenario


def test_survives_restart(new_db, backend, scenario):
    path = new_db("restart")
    lib = Library(path)
    a = lib.save(scenario, "Dasar")
    lib.set_baseline(a)
    f = lib.freeze(a, on=__import__("datetime").date(2026, 11, 20))
    key = lib.share(scenario.replace(city_share=0.6))
    region = _edited_region()
    r = lib.save(scenario, "Dengan data Bappeda", region=region)
    before = lib.list()
    del lib                                                        # "server restart": a new object, same file
    lib2 = Library(path)
    assert lib2.list() == before
    assert lib2.get(a).name == "Dasar" and lib2.baseline("pontianak").id == a
    assert lib2.entry(f).frozen and lib2.entry(f).name == "Dasar (as presented 2026-11-20)"
    assert lib2.resolve(key)[0] == scenario.replace(city_share=0.6)
    s2, r2 = lib2.open(r)
    assert r2 == region and lib2.entry(r).has_region_data
    con = raw(lib2)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(db_module.HEAD,)]
    if backend == "sqlite":
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == library_module.SCHEMA_VERSION
    con.close()


def test_frozen_copy_cannot_change(lib, scenario):
    a = lib.save(scenario, "Paparan DPRD")
    f = lib.freeze(a, "Paparan DPRD (dipaparkan 20-11-2026)")
    e = lib.entry(f)
    assert e.frozen and not lib.entry(a).frozen and lib.get(f) == scenario.replace(name=e.name)
    for call in (lambda: lib.update(f, scenario.replace(city_share=0.1)), lambda: lib.rename(f, "lain"),
                 lambda: lib.delete(f)):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "frozen"
    assert lib.entry(f) == e and lib.get(f) == scenario.replace(name=e.name)
    lib.update(a, scenario.replace(city_share=0.1))                # the original stays editable
    assert lib.get(f).city_share == scenario.city_share

    # defence in depth: the database itself refuses to change a frozen row
    con = raw(lib)
    with pytest.raises(sa.exc.IntegrityError, match="frozen"):
        con.execute("UPDATE scenarios SET json = '{}' WHERE id = ?", (f,))
    with pytest.raises(sa.exc.IntegrityError, match="frozen"):
        con.execute("UPDATE scenarios SET frozen = 0 WHERE id = ?", (f,))
    con.close()

    d = lib.duplicate(f, "Lanjutan")                               # a copy of a frozen one is editable
    assert not lib.entry(d).frozen
    lib.update(d, scenario.replace(city_share=0.2))
    lib.set_baseline(f)                                            # the mark is not content: allowed
    assert lib.baseline("pontianak").id == f
    lib.delete(f, force=True)
    assert f not in {x.id for x in lib.list()}


def test_freeze_default_name_fits(lib, scenario):
    a = lib.save(scenario, "N" * 120)
    f = lib.freeze(a)
    name = lib.entry(f).name
    assert len(name) <= 120 and name.endswith(")") and "(as presented " in name


def test_baseline_unique_per_region(lib, scenario):
    kalbar = Scenario.from_dict({**scenario.to_dict(), "region": "kalbar", "groups": [], "targets": []})
    a, b, k = lib.save(scenario, "A"), lib.save(scenario, "B"), lib.save(kalbar, "K")
    assert lib.baseline("pontianak") is None
    lib.set_baseline(a)
    lib.set_baseline(k)
    lib.set_baseline(b)
    flags = {e.id: e.is_baseline for e in lib.list()}
    assert flags == {a: False, b: True, k: True}
    assert lib.baseline("pontianak").id == b and lib.baseline("kalbar").id == k
    lib.clear_baseline(b)
    assert lib.baseline("pontianak") is None and lib.baseline("kalbar").id == k
    con = raw(lib)                                                # the database refuses two baselines too
    con.execute("UPDATE scenarios SET is_baseline = 1 WHERE id = ?", (a,))
    with pytest.raises(sa.exc.IntegrityError):
        con.execute("UPDATE scenarios SET is_baseline = 1 WHERE id = ?", (b,))
    con.close()


@pytest.mark.parametrize("name", ["", "   ", "a" * 121, "baris\nbaru", "tab\there", "\u202eevil.exe",
                                  "zero\u200bwidth", "nul\x00", "del\x7f", "csi\x9b", "line\u2028sep", 123])
def test_bad_names_refused(lib, scenario, name):
    a = lib.save(scenario, "Baik")
    for call in (lambda: lib.save(scenario, name), lambda: lib.rename(a, name), lambda: lib.duplicate(a, name),
                 lambda: lib.freeze(a, name), lambda: lib.update(a, scenario, name=name)):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "bad_name"
    assert lib.entry(a).name == "Baik" and lib.count() == 1


def test_names_are_plain_text(lib, scenario):
    html = "<script>alert('x')</script> & **bold**"
    a = lib.save(scenario, html)
    assert lib.entry(a).name == html == lib.get(a).name            # stored verbatim, never escaped or rendered
    assert check_name("  Kesepakatan 2026  ") == "Kesepakatan 2026"


def test_limits_on_growth(new_db, scenario):
    lib = Library(new_db("small"), max_entries=3, max_snapshots=2, max_per_region=3)
    ids = [lib.save(scenario, f"S{i}") for i in range(3)]
    for call in (lambda: lib.save(scenario), lambda: lib.duplicate(ids[0]), lambda: lib.freeze(ids[0])):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "too_many" and err.value.params == {"max": 3}
    assert lib.count() == 3
    lib.share(scenario)
    lib.share(scenario.replace(city_share=0.5))
    lib.share(scenario)                                            # already stored: no new row, no refusal
    with pytest.raises(ValidationError) as err:
        lib.share(scenario.replace(city_share=0.4))
    assert _code(err) == "too_many"
    assert library_module.MAX_ENTRIES == 1000


# --------------------------------------------------------------------------- limits per region and per session
def _kalbar(scenario: Scenario) -> Scenario:
    return Scenario.from_dict({**scenario.to_dict(), "region": "kalbar", "groups": [], "targets": []})


def _says(exc: ValidationError, *numbers: int) -> None:
    """The refusal reads as a sentence in both languages, with its numbers and without a raw placeholder."""
    from presentation.i18n import t
    texts = {lang: t(f"errors.{exc.code}", lang, **exc.params) for lang in ("id", "en")}
    assert texts["id"] != texts["en"], texts
    for text in texts.values():
        assert text != f"errors.{exc.code}" and "{" not in text, text
        assert all(str(n) in text for n in numbers), text


def test_default_limits_are_far_above_an_office_and_far_below_the_whole_library():
    lib_defaults = Library.__init__.__kwdefaults__
    assert lib_defaults["max_per_session"] == library_module.MAX_PER_SESSION == 200
    assert lib_defaults["max_writes_per_minute"] == store_module.MAX_WRITES_PER_MINUTE == 30
    assert library_module.MAX_ENTRIES * library_module.REGION_SHARE == 500


def test_one_region_cannot_fill_the_library_for_the_others(new_db, scenario):
    lib = Library(new_db("regions"), max_entries=6)             # a region may hold half: 3
    assert lib.max_per_region == 3
    ids = [lib.save(scenario, f"P{i}") for i in range(3)]
    for call in (lambda: lib.save(scenario, "P3"), lambda: lib.duplicate(ids[0]), lambda: lib.freeze(ids[0]),
                 lambda: lib.import_json(scenario.to_json())):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "region_full" and err.value.params == {"max": 3, "region": "pontianak"}
    _says(err.value, 3)
    k = lib.save(_kalbar(scenario), "K")                                   # the other region still saves
    assert lib.entry(k).region == "kalbar" and lib.count() == 4
    lib.update(ids[0], scenario.replace(city_share=0.5))                   # changing an entry is not growth
    lib.delete(ids[1])
    assert lib.save(scenario, "P again")                                   # room made: saving works again


def test_one_session_cannot_fill_the_library_for_the_others(new_db, scenario):
    lib = Library(new_db("session"), max_per_session=3)
    ids = [lib.save(scenario, f"A{i}", owner="session-a") for i in range(2)]
    ids.append(lib.duplicate(ids[0], owner="session-a"))
    assert [e.owner for e in lib.list()] == ["session-a"] * 3
    for call in (lambda: lib.save(scenario, "A3", owner="session-a"),
                 lambda: lib.duplicate(ids[0], owner="session-a"), lambda: lib.freeze(ids[0], owner="session-a"),
                 lambda: lib.import_json(scenario.to_json(), owner="session-a")):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "session_full" and err.value.params == {"max": 3}
    _says(err.value, 3)
    assert lib.count() == 3
    b = lib.save(scenario, "B", owner="session-b")                         # another session is not stopped
    assert lib.entry(b).owner == "session-b" and lib.save(scenario, "no owner (CLI, tests)")
    lib.delete(ids[2])
    assert lib.save(scenario, "A again", owner="session-a")
    for bad in ("", "x" * 65, "a b", "ä", "a\n", 7):
        with pytest.raises(ValidationError) as err:
            lib.save(scenario, "bad owner", owner=bad)
        assert _code(err) == "invalid"


def test_one_session_cannot_write_faster_than_the_minute_limit(new_db, scenario):
    lib = Library(new_db("rate"), max_writes_per_minute=5)
    a = lib.save(scenario, "A", owner="fast")                              # each kind of write counts once
    lib.rename(a, "A2", owner="fast")
    lib.update(a, scenario.replace(city_share=0.5), owner="fast")
    lib.share(scenario.replace(city_share=0.45), owner="fast")
    lib.share(scenario.replace(city_share=0.45), owner="fast")             # the same link again: no new row, not counted
    lib.duplicate(a, owner="fast")
    for call in (lambda: lib.save(scenario, "B", owner="fast"), lambda: lib.rename(a, "A3", owner="fast"),
                 lambda: lib.update(a, scenario, owner="fast"), lambda: lib.freeze(a, owner="fast"),
                 lambda: lib.share(scenario.replace(city_share=0.4), owner="fast")):
        with pytest.raises(ValidationError) as err:
            call()
        assert _code(err) == "session_rate" and err.value.params == {"max": 5}
    _says(err.value, 5)
    assert lib.count() == 2 and lib.entry(a).name == "A2"                  # a refused write changed nothing
    assert lib.save(scenario, "other", owner="slow")                       # another session is not stopped
    con = raw(lib)                                                        # a minute later (counted in the file,
    con.execute("UPDATE writes SET at = ? WHERE owner = 'fast'", ("2000-01-01T00:00:00.000000+00:00",))
    con.close()                                                            # so it holds across reruns)
    assert lib.save(scenario, "B", owner="fast")
    assert Library(lib.url, max_writes_per_minute=2).save(scenario, "C", owner="fast")
    with pytest.raises(ValidationError) as err:                            # a new Library object (a restart) counts
        Library(lib.url, max_writes_per_minute=2).save(scenario, "D", owner="fast")
    assert _code(err) == "session_rate"


def test_the_library_page_says_a_limit_in_the_users_language(tmp_path, new_db, backend, monkeypatch, scenario):
    """The page on either database: PBI_DATA_DIR names the folder of the SQLite file, PBI_DATABASE_URL a PostgreSQL
    database (the app's one setting for a shared server)."""
    from streamlit.testing.v1 import AppTest

    from ui import state
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    if backend == "postgresql":
        monkeypatch.setenv(db_module.URL_ENV, new_db())
    else:
        monkeypatch.delenv(db_module.URL_ENV, raising=False)
    state.library.clear()                                                  # the page's library: in tmp_path
    try:
        lib = Library()
        assert lib.kind == backend
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.run()
        at.switch_page("views/library.py")
        at.run()
        [save] = [b for b in at.button if b.label == "Simpan"]
        save.click()                                                       # the page saves as this session
        at.run()
        assert not at.exception and not at.error
        [first] = lib.list()
        assert HEX32.fullmatch(first.owner) and first.owner == at.session_state["library_owner"]
        first = first.id
        con = raw(lib)                                                    # fill the region to its share (500)
        con.executemany("INSERT INTO scenarios (id, name, region, json, region_json, content_hash, created_at, "
                        "updated_at) SELECT ?, name, region, json, region_json, content_hash, created_at, "
                        "updated_at FROM scenarios WHERE id = ?",
                        [(f"{i:032x}", first) for i in range(1, lib.max_per_region)])
        con.close()
        assert lib.count() == 500
        [save] = [b for b in at.button if b.label == "Simpan"]
        save.click()
        at.run()
        assert not at.exception
        [error] = [e.value for e in at.error]
        assert "wilayah ini sudah memiliki 500 skenario tersimpan" in error, error
        assert lib.count() == 500 and not at.success
        at.session_state["lang"] = "en"
        at.run()
        [save] = [b for b in at.button if b.label == "Save"]
        save.click()
        at.run()
        assert "this region already has 500 saved scenarios" in at.error[0].value
    finally:
        state.library.clear()


# --------------------------------------------------------------------------- pruning old entries (operator)
def _age(lib: Library, entry_id: str, days: float) -> None:
    import datetime as dt
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="microseconds")
    con = raw(lib)
    con.execute("UPDATE scenarios SET updated_at = ? WHERE id = ?", (when, entry_id))  # created_at: frozen
    con.close()


def _prunable(lib: Library, scenario: Scenario) -> dict[str, str]:
    e = {"old": lib.save(scenario, "Lama"), "recent": lib.save(scenario, "Baru"),
         "old_baseline": lib.save(scenario, "Dasar lama"), "old_k": lib.save(_kalbar(scenario), "Lama K")}
    e["old_frozen"] = lib.freeze(e["old"], "Dipaparkan lama")
    lib.set_baseline(e["old_baseline"])
    for key in ("old", "old_baseline", "old_k", "old_frozen"):
        _age(lib, e[key], 120)
    _age(lib, e["recent"], 30)
    return e


def test_prune_removes_old_unfrozen_entries_only(lib, scenario):
    e = _prunable(lib, scenario)
    would = lib.prune(90, dry_run=True)
    assert [x.id for x in would] == [e["old"], e["old_k"]] and lib.count() == 5     # a dry run removes nothing
    removed = lib.prune(90)
    assert [x.id for x in removed] == [e["old"], e["old_k"]]
    assert {x.id for x in lib.list()} == {e["recent"], e["old_baseline"], e["old_frozen"]}
    assert lib.prune(90) == []
    assert [x.id for x in lib.prune(10)] == [e["recent"]]                  # baseline and frozen: never
    assert {x.id for x in lib.prune(0)} == set() and lib.count() == 2
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            lib.prune(bad)


def test_prune_command(lib, backend, scenario, capsys):
    """``python -m storage prune`` on a database named by URL; on PostgreSQL run in this process (the command line
    is the same code; a second start of Python and the engine would only add time)."""
    from storage.__main__ import main
    e = _prunable(lib, scenario)
    url = lib.url.render_as_string(hide_password=False)
    args = ["prune", "--older-than", "90", "--db", url]
    if backend == "sqlite":
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        dry = subprocess.run([sys.executable, "-m", "storage", *args, "--dry-run"], capture_output=True, text=True,
                             env=env, cwd=REPO, timeout=60)
        assert dry.returncode == 0, dry.stderr
        dry_out = dry.stdout
    else:
        assert main([*args, "--dry-run"]) == 0
        dry_out = capsys.readouterr().out
    assert [line.split()[2] for line in dry_out.splitlines()[:-1]] == [e["old"], e["old_k"]]
    assert "'Lama'" in dry_out and "would remove 2 entries" in dry_out and lib.count() == 5
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("removed 2 entries") and "3 left" in out
    where = str(lib.path) if backend == "sqlite" else lib.url.render_as_string(hide_password=True)
    assert f"from {where};" in out
    assert {x.id for x in lib.list()} == {e["recent"], e["old_baseline"], e["old_frozen"]}
    assert main(["prune", "--older-than", "-5", "--db", url]) == 2
    assert "older_than" in capsys.readouterr().err and lib.count() == 3


# --------------------------------------------------------------------------- schema versions
V1_SCHEMA = """
CREATE TABLE scenarios (id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, json TEXT NOT NULL,
    region_json TEXT NULL, content_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
    is_baseline INTEGER NOT NULL DEFAULT 0 CHECK (is_baseline IN (0, 1)), owner TEXT NULL);
CREATE INDEX scenarios_region ON scenarios(region, created_at);
CREATE UNIQUE INDEX scenarios_one_baseline ON scenarios(region) WHERE is_baseline = 1;
CREATE TRIGGER scenarios_frozen_no_update
    BEFORE UPDATE OF name, region, json, region_json, content_hash, frozen, created_at ON scenarios
    WHEN OLD.frozen = 1 BEGIN SELECT RAISE(ABORT, 'frozen'); END;
CREATE TABLE snapshots (content_hash TEXT PRIMARY KEY, json TEXT NOT NULL, region_json TEXT NULL,
    created_at TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def test_a_version_1_database_opens_and_is_migrated(tmp_path, scenario):
    path = tmp_path / "v1.sqlite3"
    con = sqlite3.connect(path)                                            # as the released version 1 made it
    con.executescript(V1_SCHEMA)
    named = scenario.replace(name="Dari versi 1")
    con.execute("INSERT INTO scenarios (id, name, region, json, content_hash, created_at, updated_at, frozen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1)", ("a" * 32, named.name, named.region, named.to_json(indent=None),
                                                   named.content_hash, "2026-01-05T00:00:00.000000+00:00",
                                                   "2026-01-05T00:00:00.000000+00:00"))
    con.commit()
    con.close()
    lib = Library(path)
    con = raw(lib)
    assert con.execute("PRAGMA user_version").fetchone()[0] == library_module.SCHEMA_VERSION == 5
    assert con.execute("SELECT count(*) FROM writes").fetchone()[0] == 0
    con.close()
    [old] = lib.list()
    assert (old.id, old.name, old.frozen, old.owner) == ("a" * 32, "Dari versi 1", True, None)
    assert lib.get(old.id) == named                                        # the old entry still opens
    with pytest.raises(ValidationError) as err:                            # and is still protected
        lib.rename(old.id, "x")
    assert _code(err) == "frozen"
    b = lib.save(scenario, "Baru", owner="s1")
    assert lib.entry(b).owner == "s1" and lib.integrity_check() == "ok"
    assert Library(path).count() == 2                                      # opening again: no second migration
    assert lib.prune(90) == []                                             # the old entry is frozen: kept


def test_a_newer_database_is_refused_not_damaged(new_db, backend, tmp_path):
    if backend == "sqlite":                                        # a file of a newer app from before Alembic
        path = tmp_path / "v9.sqlite3"
        con = sqlite3.connect(path)
        con.execute("PRAGMA user_version = 9")
        con.close()
        with pytest.raises(ValidationError) as err:
            Library(path)
        assert _code(err) == "storage" and "user_version=9" in err.value.params["problem"]
    url = new_db("newer")                                          # a database of a newer app (Alembic revision)
    Library(url).save(default_scenario(), "Dari versi baru")
    with raw(Library(url)) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(ValidationError) as err:
        Library(url)
    assert _code(err) == "storage" and err.value.params["problem"] == "revision=0099"
    with Raw(url) as con:
        assert con.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 1     # nothing changed
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]


def test_busy_database(new_db, scenario):
    lib = Library(new_db("busy"), timeout=0.2)
    a = lib.save(scenario)
    other = raw(lib)
    with other.holding_the_write_lock():                           # another writer in the middle of a write
        t0 = time.monotonic()
        with pytest.raises(ValidationError) as err:
            lib.save(scenario)
        assert _code(err) == "busy" and time.monotonic() - t0 < 5
        assert [e.id for e in lib.list()] == [a]                   # readers are not blocked
    other.close()
    lib.save(scenario)
    assert lib.count() == 2


def test_not_a_database(tmp_path, backend, request):
    if backend == "sqlite":
        path = tmp_path / "junk.sqlite3"
        path.write_bytes(b"this is not a database" * 100)
        targets = [path]
    else:
        cluster = request.getfixturevalue("pg_cluster")
        targets = [cluster.url("no_such_database"), f"postgresql://pbi@127.0.0.1:{cluster.port}/"]
    for target in [*targets, "mysql://x@localhost/pbi", "postgresql://x@:notaport/pbi"]:
        with pytest.raises(ValidationError) as err:
            Library(target, timeout=2)
        assert _code(err) == "storage", target


def test_default_path_from_environment(tmp_path, monkeypatch, scenario):
    monkeypatch.delenv(db_module.URL_ENV, raising=False)
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path / "data" / "nested"))
    lib = Library()
    assert lib.path == tmp_path / "data" / "nested" / "scenarios.sqlite3" and lib.path.exists()
    assert lib.kind == "sqlite"
    monkeypatch.delenv("PBI_DATA_DIR")
    assert library_module.default_path() == REPO / "var" / "scenarios.sqlite3"


def test_the_database_url_from_the_environment(new_db, backend, monkeypatch, tmp_path, scenario):
    """``PBI_DATABASE_URL`` chooses the database (both kinds); ``PBI_DATA_DIR`` then no longer matters."""
    target = new_db("from_env")
    url = f"sqlite:///{target}" if backend == "sqlite" else target
    monkeypatch.setenv(db_module.URL_ENV, url)
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path / "not_used"))
    a = Library().save(scenario, "Lewat URL")
    assert Library().kind == backend and not (tmp_path / "not_used").exists()
    assert [e.id for e in Library(target).list()] == [a]           # the same database, named directly
    if backend == "postgresql":                                    # psycopg 3 whichever way the URL names it
        assert Library(url.replace("postgresql://", "postgresql+psycopg://")).count() == 1
        assert Library().url.drivername == "postgresql+psycopg" and Library().path is None


def test_tampered_entry_detected(lib, scenario):
    a = lib.save(scenario, "Asli")
    con = raw(lib)
    tampered = json.loads(lib.export_json(a))
    tampered["city_share"] = 0.25                                  # valid, but not what was saved
    con.execute("UPDATE scenarios SET json = ? WHERE id = ?", (json.dumps(tampered), a))
    con.close()
    with pytest.raises(ValidationError) as err:
        lib.get(a)
    assert _code(err) == "tampered_entry"


# --------------------------------------------------------------------------- import
@pytest.mark.parametrize("text, code", [
    ("{" + '"name": "x",' * 30_000 + '"region": "pontianak"}', "too_large"),
    ("[" * 100_001 + "]" * 100_001, "too_large"),
    ("[" * 50_000 + "]" * 50_000, "bad_json"),
    ("not json", "bad_json"),
    (b"\xff\xfe\x00garbage", "not_text"),
    ('{"name": "x", "__proto__": {"admin": true}}', "unknown_field"),
    ('{"name": "x", "groups": [{"id": "a", "name": "A", "members": 1e400}]}', "expected_number"),
    ('{"name": "x", "city_share": 7}', "out_of_range"),
    ('{"name": "x\\u001b[31m"}', "bad_text"),
    ('{"name": "\\u202eevil"}', "bad_text"),   # the scenario refuses invisible characters as the library does
    ("[]", "expected_object"),
])
def test_import_refuses_bad_files(lib, text, code):
    with pytest.raises(ValidationError) as err:
        lib.import_json(text)
    assert _code(err) == code
    assert lib.count() == 0


# --------------------------------------------------------------------------- share links
def test_share_and_resolve(lib, scenario):
    key = lib.share(scenario)
    assert key == scenario.content_hash and re.fullmatch(r"[0-9a-f]{12}", key)
    assert lib.share(scenario) == key                              # idempotent
    s, region = lib.resolve(key)
    assert s == scenario and s.content_hash == key and region is None

    edited = _edited_region()
    key2 = lib.share(scenario, edited)
    assert key2 != key and key2 == snapshot_hash(scenario, edited)
    s2, region2 = lib.resolve(key2)
    assert s2 == scenario and region2 == edited.to_dict()
    assert parse_region(region2, "link") == edited                 # a colleague sees the same numbers
    assert lib.resolve_region(key2)[1] == edited
    con = raw(lib)
    assert con.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 2
    con.close()

    with pytest.raises(ValidationError) as err:                    # region data of another region
        lib.share(scenario, load_region("kalbar"))
    assert _code(err) == "region_mismatch"


def test_region_data_round_trip():
    for rid in ("pontianak", "kalbar"):
        r = load_region(rid)
        assert parse_region(r.to_dict(), "x") == r
    e = _edited_region()
    assert parse_region(json.loads(json.dumps(e.to_dict())), "x") == e


@pytest.mark.parametrize("key", ["../../etc", "ZZZ", "0123456789abc", "0123456789a", "' OR 1=1 --",
                                 "0123456789AB", "0123456789ab\n", " 0123456789ab", "0123456789ab' --", "",
                                 "d5e29d11162c%00", None, 123456789012, ["d5e29d11162c"]])
def test_malformed_link(lib, scenario, key):
    lib.share(scenario)
    with pytest.raises(ValidationError) as err:
        lib.resolve(key)
    assert _code(err) == "bad_link"


def test_unknown_link(lib, scenario):
    lib.share(scenario)
    with pytest.raises(ValidationError) as err:
        lib.resolve("0123456789ab")
    assert _code(err) == "unknown_link"


def test_link_to_unavailable_region(lib, scenario):
    gone = Scenario.from_dict({**scenario.to_dict(), "region": "atlantis"})
    key = lib.share(gone)
    with pytest.raises(ValidationError) as err:
        lib.resolve(key)
    assert _code(err) == "unknown_region" and err.value.params == {"region": "atlantis"}


@pytest.mark.parametrize("column, value", [
    ("json", "city_share=0.25"),            # another valid scenario under the old key
    ("json", "{not json"),
    ("json", '{"name": "x", "evil": 1}'),
    ("region_json", "edited"),               # region numbers changed behind the key
    ("region_json", "[]"),
])
def test_tampered_link(lib, scenario, column, value):
    edited = _edited_region()
    key = lib.share(scenario, edited)
    if value == "city_share=0.25":
        value = scenario.replace(city_share=0.25).to_json(indent=None)
    elif value == "edited":
        d = edited.to_dict()
        d["apbd"][0]["value"] *= 2
        value = json.dumps(d)
    con = raw(lib)
    con.execute(f"UPDATE snapshots SET {column} = ? WHERE content_hash = ?", (value, key))
    con.close()
    with pytest.raises(ValidationError) as err:
        lib.resolve(key)
    assert _code(err) == "tampered_link"
    assert lib.share(scenario, edited) == key                      # sharing again repairs the row
    assert lib.resolve(key)[0] == scenario


# --------------------------------------------------------------------------- concurrency and durability
def test_two_threads_saving_at_once_lose_nothing(lib, scenario):
    results: dict[str, list[str]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(label):
        try:
            start.wait()
            for i in range(200):
                results[label].append(lib.save(scenario, f"{label}{i}"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(x,)) for x in results]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors
    saved = results["a"] + results["b"]
    assert len(saved) == len(set(saved)) == 400
    stored = {e.id: e.name for e in lib.list()}
    assert set(stored) == set(saved)
    assert sorted(stored.values()) == sorted([f"a{i}" for i in range(200)] + [f"b{i}" for i in range(200)])


def test_two_processes_saving_at_once_lose_nothing(tmp_path, new_db, child_script):
    db = str(new_db("procs", empty=True))                         # a new database: both create the schema at once
    procs, outs = [], []
    for label in ("p1", "p2"):
        out = tmp_path / f"{label}.out"
        outs.append(out)
        with open(out, "wb") as fh:
            procs.append(subprocess.Popen([sys.executable, str(child_script), db, "100", label, str(REPO)],
                                          stdout=fh, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode(errors="replace")
    printed = [line for out in outs for line in out.read_text().split()]
    assert "streamlit-loaded" not in printed                       # storage/library.py must not import Streamlit
    assert len(printed) == len(set(printed)) == 200
    lib = Library(db)
    assert {e.id for e in lib.list()} == set(printed)
    assert lib.integrity_check() == "ok"


def test_sigkill_while_saving_keeps_confirmed_saves(tmp_path, new_db, backend, child_script):
    """SIGKILL a saving process at random moments, again and again; every confirmed save survives.

    PostgreSQL: the server rolls back the killed client's open transaction; fewer rounds (each child also connects
    over TCP), the same checks."""
    db = str(new_db("kill"))
    rounds = 20 if backend == "sqlite" else 8
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    confirmed: list[str] = []
    kills = 0
    deadline = time.monotonic() + 120            # a guard against a hang only: the rounds are what is checked
    while kills < rounds and time.monotonic() < deadline:
        out = tmp_path / f"kill{kills}.out"
        errf = tmp_path / f"kill{kills}.err"
        with open(out, "wb") as fh, open(errf, "wb") as eh:
            p = subprocess.Popen([sys.executable, str(child_script), db, "0", f"k{kills}", str(REPO)],
                                 stdout=fh, stderr=eh)
        if kills % 5 == 4:                       # now and then during start-up / opening the database
            time.sleep(rng.uniform(0.0, 0.15))
        else:                                    # usually while saving: after its first confirmed save
            t0 = time.monotonic()
            while out.stat().st_size == 0 and p.poll() is None and time.monotonic() - t0 < 10:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.2))
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        assert p.returncode == -signal.SIGKILL, errf.read_text()   # killed, not crashed
        kills += 1
        text = out.read_text()
        confirmed += [line for line in text.split("\n")[:-1] if HEX32.fullmatch(line)]  # whole lines only

    lib = Library(db)                                              # restart
    assert lib.integrity_check() == "ok"
    stored = {e.id for e in lib.list()}
    missing = set(confirmed) - stored
    print(f"\nkill test (seed {seed}): {kills} SIGKILLs, {len(confirmed)} confirmed saves, "
          f"{len(confirmed) - len(missing)} found, {len(stored)} rows")
    assert kills == rounds
    assert len(confirmed) >= rounds - 2
    assert not missing, f"lost confirmed saves (seed {seed}): {sorted(missing)[:5]}"
    assert len(stored) - len(confirmed) <= kills                  # at most one unconfirmed commit per kill
    for entry_id in rng.sample(sorted(stored), min(50, len(stored))):
        lib.get(entry_id)                                          # content intact and valid
    for entry_id in sorted(stored)[: max(0, len(stored) - lib.max_per_region + 1)]:
        lib.delete(entry_id)                                       # a fast machine can fill the region: make room
    lib.save(default_scenario(), "after the kills")                # and the database still takes writes
