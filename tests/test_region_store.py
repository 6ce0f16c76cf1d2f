"""Regions saved in the app (storage/regions.py; issue 12): versions in the library's database, validated on the
way in and out, bounded, kept across a restart; scenarios and share links keep the region version they used; and
the session functions of ui/regions.py that the Data page calls (catalogue, new region, save).

The storage tests run on a SQLite file and on a real PostgreSQL server (``backend``; tests/storage_backends.py)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from storage_backends import raw

from simulation import project
from simulation.data import load_region, parse_region, region_data
from simulation.errors import ValidationError
from simulation.scenario import default_scenario
from storage.regions import RegionStore

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(new_db) -> RegionStore:
    return RegionStore(new_db())


def _region(rid: str = "kab_contoh", name: str = "Kabupaten Contoh", **changes):
    return dataclasses.replace(load_region("pontianak"), id=rid, name=name, kind="kabupaten", **changes)


def _code(err) -> str:
    return err.value.code


# ---------------------------------------------------------------------------- versions
def test_every_save_is_a_new_version_and_the_same_data_is_not_saved_twice(store):
    r1 = _region()
    assert store.latest("kab_contoh") is None
    assert store.save(r1, owner="s1") == 1
    assert store.save(r1, owner="s1") == 1                      # nothing changed: the same version
    r2 = r1.with_data(potential_workers=(dataclasses.replace(r1.potential_workers[0], value=300_000),))
    assert store.save(r2) == 2
    assert store.latest("kab_contoh") == (r2, 2)
    assert store.get("kab_contoh", 1) == r1 and store.get("kab_contoh", 2) == r2
    assert [(e.version, e.owner) for e in store.versions("kab_contoh")] == [(1, "s1"), (2, None)]
    with pytest.raises(ValidationError) as err:
        store.get("kab_contoh", 3)
    assert _code(err) == "unknown_region_version"


def test_list_gives_the_latest_version_of_each_region_by_province_then_name(store):
    store.save(_region("kota_b", "Kota B", province="Kalimantan Barat"))
    store.save(_region("kota_b", "Kota B baru", province="Kalimantan Barat"))
    store.save(_region("kab_a", "Kabupaten A", province="Kalimantan Barat"))
    store.save(_region("kab_z", "Kabupaten Z", province="Aceh"))
    blank = parse_region({"id": "kab_kosong", "name": "Kabupaten Kosong", "kind": "kabupaten",
                          "province": "Kalimantan Barat"}, "x")
    store.save(blank)
    listed = store.list()
    assert [(e.id, e.name, e.version) for e in listed] == [
        ("kab_z", "Kabupaten Z", 1), ("kab_a", "Kabupaten A", 1), ("kab_kosong", "Kabupaten Kosong", 1),
        ("kota_b", "Kota B baru", 2)]
    assert [e.ready for e in listed] == [True, True, False, True]
    assert store.latest("kab_kosong")[0] == blank and store.ids() == ("kab_a", "kab_kosong", "kab_z", "kota_b")


def test_a_version_stores_the_regions_own_data_and_gets_its_defaults_when_read(store):
    blank = parse_region({"id": "kab_kosong", "name": "Kabupaten Kosong", "kind": "kabupaten",
                          "province": "Kalimantan Barat"}, "x")
    store.save(blank)
    with raw(store) as con:
        (text,) = con.execute("SELECT json FROM regions").fetchone()
    assert json.loads(text) == json.loads(json.dumps(region_data(blank)))
    assert "default" not in text
    assert store.latest("kab_kosong")[0].defaulted == blank.defaulted


def test_a_saved_region_survives_a_restart(new_db, backend):
    path = str(new_db())
    RegionStore(path).save(_region(), owner="s1")
    if backend == "postgresql":    # the server keeps it: a new store on new connections (a new process: sqlite below)
        from storage import db
        db.dispose_all()
        r, v = RegionStore(path).latest("kab_contoh")
        assert (v, r.name, r.potential_workers[0].value) == (1, "Kabupaten Contoh", 244236.0)
        return
    code = ("import sys; from storage.regions import RegionStore; r, v = RegionStore(sys.argv[1]).latest('kab_contoh');"
            " print(v, r.name, r.potential_workers[0].value)")
    run = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, cwd=REPO,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["1", "Kabupaten", "Contoh", "244236.0"]


# ---------------------------------------------------------------------------- nothing read is trusted
def test_a_version_cannot_be_changed_in_place(store):
    store.save(_region())
    with raw(store) as con, pytest.raises(sa.exc.IntegrityError, match="cannot be changed"):
        con.execute("UPDATE regions SET name = 'x'")


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace("244236", "999999"),                     # a number changed: the hash no longer matches
    lambda t: "{not json",
    lambda t: t.replace('"kab_contoh"', '"kota_lain"'),          # another region's id
])
def test_a_tampered_version_is_refused_with_a_clear_error(store, tamper):
    store.save(_region())
    with raw(store) as con:
        con.drop_trigger("regions_versions_kept", "regions")         # someone edits the file outside the app
        (text,) = con.execute("SELECT json FROM regions").fetchone()
        con.execute("UPDATE regions SET json = ?", (tamper(text),))
    for read in (lambda: store.latest("kab_contoh"), lambda: store.get("kab_contoh", 1)):
        with pytest.raises(ValidationError) as err:
            read()
        assert _code(err) == "tampered_region" and err.value.params == {"region": "kab_contoh", "version": 1}


def test_a_consistent_but_invalid_row_is_refused_too(store):
    store.save(_region())
    bad = json.dumps({"id": "kab_contoh", "name": "x", "kind": "desa", "province": "p"})
    from storage.regions import text_hash
    with raw(store) as con:
        con.drop_trigger("regions_versions_kept", "regions")
        con.execute("UPDATE regions SET json = ?, content_hash = ?", (bad, text_hash(bad)))
    with pytest.raises(ValidationError) as err:
        store.latest("kab_contoh")
    assert _code(err) == "tampered_region"


@pytest.mark.parametrize(("value", "code"), [
    ("not a region", "invalid"),
    (_region(name="Kabupaten\u202eContoh"), "bad_name"),
    (_region(province="Kalimantan\x00Barat"), "bad_name"),
])
def test_bad_input_is_refused_on_the_way_in(store, value, code):
    with pytest.raises(ValidationError) as err:
        store.save(value)
    assert _code(err) == code
    assert store.list() == []


@pytest.mark.parametrize("rid", ["../x", "", None, "A B", "x" * 41])
def test_a_bad_id_is_an_unknown_region(store, rid):
    with pytest.raises(ValidationError) as err:
        store.latest(rid)
    assert _code(err) == "unknown_region"


# ---------------------------------------------------------------------------- limits
def test_limits_per_region_per_database_and_per_session(new_db):
    path = new_db()
    few = RegionStore(path, max_versions=2, max_rows=3, max_per_session=2)
    workers = load_region("pontianak").potential_workers[0]

    def version(n):
        return _region().with_data(potential_workers=(dataclasses.replace(workers, value=1000 + n),))
    few.save(version(1))
    few.save(version(2))
    with pytest.raises(ValidationError) as err:
        few.save(version(3))
    assert _code(err) == "region_versions_full" and err.value.params["max"] == 2
    few.save(_region("kab_b"), owner="s1")
    with pytest.raises(ValidationError) as err:
        few.save(_region("kab_c"), owner="s2")
    assert _code(err) == "too_many"
    mine = RegionStore(path, max_per_session=1)
    with pytest.raises(ValidationError) as err:
        mine.save(_region("kab_d"), owner="s1")
    assert _code(err) == "session_full"
    fast = RegionStore(new_db("other"), max_writes_per_minute=2)
    fast.save(version(1), owner="s9")
    fast.save(version(2), owner="s9")
    with pytest.raises(ValidationError) as err:
        fast.save(version(3), owner="s9")
    assert _code(err) == "session_rate"
    assert [e.version for e in fast.versions("kab_contoh")] == [1, 2]


# ---------------------------------------------------------------------------- scenarios and links keep the version
def test_a_link_made_before_an_edit_still_shows_the_old_numbers(store):
    lib = store.library
    v1 = _region()
    store.save(v1)
    s = default_scenario().replace(region="kab_contoh")
    key = lib.share(s, v1, region_version=1)
    entry = lib.save(s, "Skenario kabupaten", region=v1, region_version=1, owner="s1")
    more = v1.with_data(potential_workers=(dataclasses.replace(v1.potential_workers[0], value=122_118),))
    assert store.save(more) == 2
    linked_scenario, linked_region = lib.resolve_region(key)
    assert linked_region == v1 and lib.link_region_version(key) == 1
    opened, kept = lib.open(entry)
    assert kept == v1 and lib.entry(entry).region_version == 1
    old = project(linked_scenario, linked_region).table
    new = project(s, store.latest("kab_contoh")[0]).table
    assert old["coverage_pct"].iloc[-1] != new["coverage_pct"].iloc[-1]       # the edit moved the numbers
    assert project(opened, kept).table["coverage_pct"].iloc[-1] == old["coverage_pct"].iloc[-1]
    copy_id = lib.freeze(entry, "Dipresentasikan")
    assert lib.entry(copy_id).region_version == 1 and lib.entry(lib.duplicate(entry)).region_version == 1


def test_a_scenario_of_a_saved_region_opens_only_while_its_region_exists(store):
    lib = store.library
    s = default_scenario().replace(region="kab_contoh")
    entry = lib.save(s, "Tanpa data wilayah")                     # no region data kept with it
    with pytest.raises(ValidationError) as err:
        lib.open(entry)
    assert _code(err) == "unknown_region"
    store.save(_region())
    assert lib.open(entry) == (s.replace(name="Tanpa data wilayah"), None)


def test_a_bad_region_version_is_refused(store):
    with pytest.raises(ValidationError) as err:
        store.library.share(default_scenario(), load_region("pontianak"), region_version=0)
    assert _code(err) == "invalid"


# ---------------------------------------------------------------------------- the session functions (ui/regions.py)
def _session_script():
    import os

    import streamlit as st

    from ui import address, regions, state
    state.init()
    action = os.environ.get("REGION_TEST_ACTION", "")
    if action == "link":
        address.open_shared_link()
    if action == "new" and "made" not in st.session_state:
        st.session_state["made"] = regions.new_region("Kabupaten Contoh Baru", "kabupaten", "Kalimantan Barat",
                                                      copy_of="pontianak").id
    if action == "blank" and "made" not in st.session_state:
        st.session_state["made"] = regions.new_region("Kota Kosong", "kota", "Kalimantan Barat").id
    if action == "blank":
        from simulation.errors import ValidationError
        try:
            regions.region().require_ready()
        except ValidationError as exc:
            st.session_state["error"] = state.error_text(exc)
    if action == "save":
        st.session_state["version"] = regions.save_region()
    st.session_state["catalogue"] = regions.region_catalogue()
    st.session_state["region"] = regions.region()
    st.session_state["region_version"] = regions.region_version()
    st.session_state["snapshot"] = regions.region_snapshot()


def _run(at, action: str, monkeypatch):
    monkeypatch.setenv("REGION_TEST_ACTION", action)
    at.run()
    assert not at.exception, at.exception
    return at.session_state


def test_a_new_region_is_made_saved_listed_and_opened_by_its_address(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import address, regions, state
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    try:
        at = AppTest.from_function(_session_script, default_timeout=30)
        ss = _run(at, "new", monkeypatch)
        rid = ss["made"]
        assert rid == "kab_contoh_baru" and ss["region_id"] == rid
        [entry] = [e for e in ss["catalogue"] if e.id == rid]
        assert (entry.unsaved, entry.saved, entry.version, entry.ready) == (True, False, None, True)
        assert ss["region"].name == "Kabupaten Contoh Baru" and ss["region_version"] is None
        ss = _run(at, "save", monkeypatch)
        assert ss["version"] == 1 and ss["region_version"] == 1 and rid not in ss["regions"]
        [entry] = [e for e in ss["catalogue"] if e.id == rid]
        assert (entry.unsaved, entry.saved, entry.shipped, entry.version) == (False, True, False, 1)
        assert ss["snapshot"] == ss["region"] == regions.region_store().latest(rid)[0]
        provinces = [(e.province, e.name) for e in ss["catalogue"]]
        assert provinces == sorted(provinces, key=lambda p: (p[0].casefold(), p[1].casefold()))
        # another session (a restart: nothing in memory) opens the saved region from a ?w= address
        work = address.encode_work(default_scenario().replace(region=rid))
        assert address.decode_work(work).region == rid
        fresh = AppTest.from_function(_session_script, default_timeout=30)
        fresh.session_state["region_id"] = rid
        ss2 = _run(fresh, "", monkeypatch)
        assert ss2["region"] == ss["region"] and ss2["region_version"] == 1
        # a name made of the same words gets another id
        again = AppTest.from_function(_session_script, default_timeout=30)
        assert _run(again, "new", monkeypatch)["made"] == "kab_contoh_baru_2"
    finally:
        state.library.clear()


def test_a_blank_region_is_not_ready_and_an_unknown_address_region_is_refused(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import address, state
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    try:
        at = AppTest.from_function(_session_script, default_timeout=30)
        ss = _run(at, "blank", monkeypatch)
        r = ss["region"]
        assert r.id == "kota_kosong" and not r.ready and r.needs[:2] == ("coverage_history", "potential_workers")
        assert ss["error"] == ("region: Data Kota Kosong belum cukup untuk proyeksi: belum ada riwayat cakupan "
                               "(minimal 2 tahun), pekerja potensial, anggaran daerah (APBD), kelompok pekerja. "
                               "Lengkapi di halaman Data")
        with pytest.raises(ValidationError) as err:
            address.decode_work(address.encode_work(default_scenario().replace(region="kab_tidak_ada")))
        assert _code(err) == "unknown_region"
    finally:
        state.library.clear()


def test_a_share_link_of_a_saved_region_opens_its_version_after_an_edit(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import regions, state
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    try:
        store = regions.region_store()
        v1 = _region()
        store.save(v1)
        s = default_scenario().replace(region="kab_contoh")
        key = store.library.share(s, v1, region_version=1)
        v2 = v1.with_data(potential_workers=(dataclasses.replace(v1.potential_workers[0], value=122_118),))
        assert store.save(v2) == 2
        at = AppTest.from_function(_session_script, default_timeout=30)
        at.query_params["s"] = key
        ss = _run(at, "link", monkeypatch)
        assert ss["region_id"] == "kab_contoh" and ss["scenarios"]["kab_contoh"] == s
        assert ss["region"] == v1 and ss["region_version"] == 1 and ss["snapshot"] == v1
        other = AppTest.from_function(_session_script, default_timeout=30)   # without the link: the latest
        other.session_state["region_id"] = "kab_contoh"
        ss2 = _run(other, "", monkeypatch)
        assert ss2["region"] == v2 and ss2["region_version"] == 2
    finally:
        state.library.clear()


def _marks_script():
    import dataclasses

    import streamlit as st

    from simulation.data import load_region, parse_region, region_data
    from ui import regions, state
    state.init()
    if "made" not in st.session_state:
        regions.new_region("Kabupaten Tanda", "kabupaten", "Kalimantan Barat")
        st.session_state["made"] = True
        r = regions.region()
        # a table replaces the defaulted UMK (dataclasses.replace keeps the stale marks)
        wages = (dataclasses.replace(load_region("pontianak").min_wage[0], year=2025, value=2_900_000),)
        regions.set_region_data(dataclasses.replace(r, min_wage=wages))
        # workers entered: the defaults that follow them (APBD, groups) are derived again and stay defaults
        workers = load_region("pontianak").potential_workers
        r = regions.region().with_data(potential_workers=workers)
        regions.set_region_data(parse_region(region_data(r), "region"))
    st.session_state["region"] = regions.region()


def test_a_table_that_replaces_a_default_makes_it_the_regions_own(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import state
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    try:
        at = AppTest.from_function(_marks_script, default_timeout=30)
        at.run()
        assert not at.exception, at.exception
        r = at.session_state["region"]
        assert "min_wage" not in r.missing and "min_wage" not in r.defaulted
        assert region_data(r)["min_wage"][0]["value"] == 2_900_000          # kept when saved or exported
        assert {"apbd", "groups"} <= set(r.defaulted) and r.needs == ("coverage_history",)
        assert "apbd" not in region_data(r) and "groups" not in region_data(r)
    finally:
        state.library.clear()


def test_the_stamp_changes_when_any_process_saves_a_region(store, backend):
    """ui/regions.py keys its caches of the saved regions on stamp(): it must change with every save, from any store."""
    first = store.stamp()
    assert store.stamp() == first                                # nothing saved: the caches stay valid
    other = RegionStore(store.url if backend == "postgresql" else store.path)
    other.save(_region())
    second = store.stamp()
    assert second != first
    other.save(_region(name="Kabupaten Contoh Baru"))
    assert store.stamp() not in (first, second)
