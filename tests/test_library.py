"""Scenario library and share links (storage/library.py): CRUD, freeze, baseline, links, limits, durability.

The durability tests start real child processes: two processes saving at once, and a process SIGKILLed
again and again while it saves (its confirmed saves must all be there afterwards, in a sound database).
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

from simulation.data import load_region, parse_region
from simulation.errors import ValidationError
from simulation.scenario import Scenario, default_scenario
from storage import library as library_module
from storage.library import Library, check_name, snapshot_hash

REPO = Path(__file__).resolve().parents[1]
HEX32 = re.compile(r"[0-9a-f]{32}")

# A child process: saves scenarios in a loop and prints each confirmed entry id (flushed) to stdout.
# argv: database path, number of saves (0 = forever), label. Output "streamlit-loaded" if that happened.
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
def lib(tmp_path) -> Library:
    return Library(tmp_path / "lib.sqlite3")


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


def _raw(lib: Library) -> sqlite3.Connection:
    return sqlite3.connect(lib.path, isolation_level=None)


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


def test_survives_restart(tmp_path, scenario):
    path = tmp_path / "restart.sqlite3"
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
    con = _raw(lib2)
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
    con = _raw(lib)
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        con.execute("UPDATE scenarios SET json = '{}' WHERE id = ?", (f,))
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
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
    con = _raw(lib)                                                # the database refuses two baselines too
    con.execute("UPDATE scenarios SET is_baseline = 1 WHERE id = ?", (a,))
    with pytest.raises(sqlite3.IntegrityError):
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


def test_limits_on_growth(tmp_path, scenario):
    lib = Library(tmp_path / "small.sqlite3", max_entries=3, max_snapshots=2)
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


def test_busy_database(tmp_path, scenario):
    lib = Library(tmp_path / "busy.sqlite3", timeout=0.2)
    a = lib.save(scenario)
    other = _raw(lib)
    other.execute("BEGIN IMMEDIATE")                               # another writer holds the lock
    try:
        t0 = time.monotonic()
        with pytest.raises(ValidationError) as err:
            lib.save(scenario)
        assert _code(err) == "busy" and time.monotonic() - t0 < 5
        assert [e.id for e in lib.list()] == [a]                   # readers are not blocked (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    lib.save(scenario)
    assert lib.count() == 2


def test_not_a_database(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ValidationError) as err:
        Library(path)
    assert _code(err) == "storage"


def test_default_path_from_environment(tmp_path, monkeypatch, scenario):
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path / "data" / "nested"))
    lib = Library()
    assert lib.path == tmp_path / "data" / "nested" / "scenarios.sqlite3" and lib.path.exists()
    monkeypatch.delenv("PBI_DATA_DIR")
    assert library_module.default_path() == REPO / "var" / "scenarios.sqlite3"


def test_tampered_entry_detected(lib, scenario):
    a = lib.save(scenario, "Asli")
    con = _raw(lib)
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
    con = _raw(lib)
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
    con = _raw(lib)
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


def test_two_processes_saving_at_once_lose_nothing(tmp_path, child_script):
    db = tmp_path / "procs.sqlite3"                               # new file: both create the schema at once
    procs, outs = [], []
    for label in ("p1", "p2"):
        out = tmp_path / f"{label}.out"
        outs.append(out)
        with open(out, "wb") as fh:
            procs.append(subprocess.Popen([sys.executable, str(child_script), str(db), "100", label, str(REPO)],
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


def test_sigkill_while_saving_keeps_confirmed_saves(tmp_path, child_script):
    """SIGKILL a saving process at random moments, again and again; every confirmed save survives."""
    db = tmp_path / "kill.sqlite3"
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    confirmed: list[str] = []
    kills = 0
    deadline = time.monotonic() + 18
    while kills < 22 and time.monotonic() < deadline:
        out = tmp_path / f"kill{kills}.out"
        errf = tmp_path / f"kill{kills}.err"
        with open(out, "wb") as fh, open(errf, "wb") as eh:
            p = subprocess.Popen([sys.executable, str(child_script), str(db), "0", f"k{kills}", str(REPO)],
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
    assert kills >= 20
    assert len(confirmed) >= 20
    assert not missing, f"lost confirmed saves (seed {seed}): {sorted(missing)[:5]}"
    assert len(stored) - len(confirmed) <= kills                  # at most one unconfirmed commit per kill
    for entry_id in rng.sample(sorted(stored), min(50, len(stored))):
        lib.get(entry_id)                                          # content intact and valid
    if len(stored) >= library_module.MAX_ENTRIES:                  # a fast machine can fill the library: make room
        lib.delete(sorted(stored)[0])
    lib.save(default_scenario(), "after the kills")                # and the database still takes writes
