"""Going back to a shipped region's file, and deleting a region saved only in the app (issue 12 follow-up).

Storage (storage/regions.py), on a SQLite file and on a real PostgreSQL server (``backend``;
tests/storage_backends.py): nothing is removed or updated, a closing row ends the id's versions; the earlier
versions stay readable for the scenarios and links that recorded them; the audit log records who did it.
The Data page (AppTest), in both languages: each action behind a confirmation, refused to a visitor who is not an
editor of the region when ``PBI_EDITORS=required``, and a session whose open scenario's region was deleted
elsewhere gets a clear message and the default region, not a traceback."""

from __future__ import annotations

import dataclasses

import pytest
from storage_backends import raw
from streamlit.testing.v1 import AppTest

from simulation.data import load_region
from simulation.errors import ValidationError
from simulation.scenario import default_scenario
from storage.editors import EditorStore
from storage.regions import RegionStore
from ui import regions, state


@pytest.fixture
def store(new_db) -> RegionStore:
    return RegionStore(new_db())


def _edit(rid: str = "pontianak", workers: int = 300_000, **changes):
    base = load_region("pontianak")
    r = dataclasses.replace(base, id=rid, **changes) if rid != "pontianak" or changes else base
    return r.with_data(potential_workers=(dataclasses.replace(base.potential_workers[0], value=workers),))


def _refused(call) -> str:
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.code


def _rows(store: RegionStore, rid: str) -> list[tuple[int, str]]:
    with raw(store) as con:
        return [tuple(r) for r in con.execute(f"SELECT version, json FROM regions WHERE id = '{rid}' "
                                              "ORDER BY version").fetchall()]


# ---------------------------------------------------------------------------- storage
def test_back_to_the_shipped_file_keeps_the_saved_versions_in_the_history(store):
    first, second = _edit(workers=300_000), _edit(workers=310_000)
    assert store.save(first, owner="s1") == 1 and store.save(second, owner="s1", editor="ana") == 2
    assert store.revert_to_shipped("pontianak", owner="s1", editor="ana") == 2
    assert store.latest("pontianak") is None                     # the shipped file is used again
    assert store.list() == [] and store.ids() == ()
    assert store.get("pontianak", 1) == first and store.get("pontianak", 2) == second   # the history stays
    assert [e.version for e in store.versions("pontianak")] == [1, 2]
    rows = _rows(store, "pontianak")
    assert [v for v, _ in rows] == [1, 2, 3] and rows[2][1] == '{"closed":"revert"}'   # nothing removed
    assert _refused(lambda: store.get("pontianak", 3)) == "unknown_region_version"
    assert _refused(lambda: store.revert_to_shipped("pontianak")) == "unknown_region"   # already back
    assert store.save(second) == 4 and store.latest("pontianak") == (second, 4)        # saved again later
    audit = [(a.action, a.editor, a.target) for a in EditorStore(library=store.library).audit("pontianak")]
    assert audit[:2] == [("region_save", "anonim", "pontianak v4"), ("region_revert", "ana", "pontianak v2")]


def test_a_region_saved_only_here_is_deleted_and_its_versions_stay_for_links(store):
    own = _edit("kab_contoh", name="Kabupaten Contoh", kind="kabupaten")
    other = _edit("kab_lain", name="Kabupaten Lain", kind="kabupaten")
    store.save(own)
    store.save(other)
    key = store.library.share(default_scenario("pontianak").replace(region="kab_contoh"), own, region_version=1)
    assert store.delete("kab_contoh", editor="budi") == 1
    assert [e.id for e in store.list()] == ["kab_lain"] and store.ids() == ("kab_lain",)
    assert store.latest("kab_contoh") is None and store.get("kab_contoh", 1) == own
    assert store.library.resolve_region(key)[1] == own           # a link made before still opens its data
    assert _refused(lambda: store.delete("kab_contoh")) == "unknown_region"   # already deleted
    audit = EditorStore(library=store.library).audit("kab_contoh")
    assert (audit[0].action, audit[0].editor, audit[0].target, audit[0].name) == \
        ("region_delete", "budi", "kab_contoh v1", "Kabupaten Contoh")
    assert store.save(own) == 3 and store.ids() == ("kab_contoh", "kab_lain")   # the id may be used again


def test_each_action_only_where_it_applies(store):
    store.save(_edit("kab_contoh", name="Kabupaten Contoh", kind="kabupaten"))
    assert _refused(lambda: store.delete("pontianak")) == "region_shipped"            # shipped: go back instead
    assert _refused(lambda: store.revert_to_shipped("kab_contoh")) == "region_not_shipped"   # no file
    assert _refused(lambda: store.revert_to_shipped("kalbar")) == "unknown_region"    # never saved
    assert _refused(lambda: store.delete("kab_tidak_ada")) == "unknown_region"
    assert _refused(lambda: store.delete("../x")) == "unknown_region"
    assert store.latest("kab_contoh")[1] == 1 and len(_rows(store, "kab_contoh")) == 1   # refusals change nothing


# ---------------------------------------------------------------------------- the Data page
@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PBI_EDITORS", raising=False)
    state.library.clear()
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.run()
    yield app
    state.library.clear()


def _open_data(at: AppTest, lang: str, rid: str = "pontianak") -> AppTest:
    at.session_state["lang"] = lang
    at.session_state["region_id"] = rid
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at


def _messages(at: AppTest) -> str:
    return "\n".join(m.value for m in (*at.success, *at.warning, *at.error, *at.info)).replace("\\", "")


def _button(at: AppTest, key: str):
    return next((b for b in at.button if b.key == key), None)


WORDS = {"id": {"revert_done": "Kota Pontianak kembali memakai berkas bawaan; versi tersimpan terakhir (1)",
                "delete_done": "Wilayah Kabupaten Contoh dihapus; versi terakhirnya (1) tetap ada di riwayat. "
                               "Sekarang memakai Kota Pontianak.",
                "confirm": "Versi-versi tersimpan tetap ada di riwayat basis data",
                "gone": "Wilayah «Kabupaten Contoh» tidak tersedia lagi"},
         "en": {"revert_done": "Kota Pontianak uses its shipped file again; the last saved version (1)",
                "delete_done": "Region Kabupaten Contoh deleted; its last version (1) stays in the history. "
                               "Now using Kota Pontianak.",
                "confirm": "The saved versions stay in the database's history",
                "gone": "Region «Kabupaten Contoh» is no longer available"}}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_back_to_the_shipped_file_on_the_data_page(at, lang):
    _open_data(at, lang)
    assert _button(at, "w.setup.revert") is None                 # shipped data, never saved: nothing to go back from
    regions.region_store().save(_edit(workers=300_000))              # a saved edit of the shipped region
    at.run()
    assert at.session_state["region_id"] == "pontianak"
    assert WORDS[lang]["confirm"] in "\n".join(m.value for m in at.markdown)   # the confirmation says what happens
    assert _button(at, "w.setup.delete") is None                 # a shipped region is never deleted
    _button(at, "w.setup.revert").click().run()
    assert not at.exception
    assert WORDS[lang]["revert_done"] in _messages(at)
    assert regions.region_store().latest("pontianak") is None and regions.region_store().get("pontianak", 1)
    assert at.session_state["region_id"] == "pontianak" and "pontianak" not in at.session_state["regions"]
    assert _button(at, "w.setup.revert") is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_delete_a_region_saved_in_the_app_on_the_data_page(at, lang):
    regions.region_store().save(_edit("kab_contoh", name="Kabupaten Contoh", kind="kabupaten"))
    _open_data(at, lang, "kab_contoh")
    assert at.title[0].value.endswith("Kabupaten Contoh")
    assert _button(at, "w.setup.revert") is None                 # no shipped file to go back to
    _button(at, "w.setup.delete").click().run()
    assert not at.exception
    assert WORDS[lang]["delete_done"] in _messages(at)
    assert at.session_state["region_id"] == "pontianak" and "kab_contoh" not in at.session_state["scenarios"]
    assert "kab_contoh" not in [o for o in at.sidebar.selectbox(key="w.region").options]
    assert regions.region_store().latest("kab_contoh") is None
    audit = EditorStore(library=state.library()).audit("kab_contoh")
    assert audit[0].action == "region_delete"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_open_scenario_of_a_region_deleted_elsewhere_gets_a_message_not_a_traceback(at, lang):
    regions.region_store().save(_edit("kab_contoh", name="Kabupaten Contoh", kind="kabupaten"))
    _open_data(at, lang, "kab_contoh")
    at.switch_page("views/projection.py").run()
    assert "kab_contoh" in at.session_state["scenarios"]
    regions.region_store().delete("kab_contoh")                    # another session deletes it
    at.run()
    assert not at.exception
    assert WORDS[lang]["gone"] in _messages(at)
    assert at.session_state["region_id"] == "pontianak" and "kab_contoh" not in at.session_state["scenarios"]
    assert at.title[0].value.endswith("Kota Pontianak")
    at.run()                                                       # said once
    assert WORDS[lang]["gone"] not in _messages(at)


def _sign_in(at: AppTest, name: str) -> None:
    at.text_input(key=state.widget_key("signin", "name")).input(name)
    at.text_input(key=state.widget_key("signin", "password")).input(PASSWORD)
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert not at.exception


PASSWORD = "kata-sandi-panjang-1"


def test_with_sign_in_required_only_an_editor_of_the_region_goes_back_or_deletes(at, monkeypatch):
    monkeypatch.setenv("PBI_EDITORS", "required")
    editors = EditorStore(library=state.library())
    editors.add("siti", PASSWORD, "pontianak")
    editors.add("rina", PASSWORD, "kab_ketapang")
    regions.region_store().save(_edit(workers=300_000))
    _open_data(at, "id")
    for who in (None, "rina"):                                    # signed out; an editor of another region
        if who:
            _sign_in(at, who)
        revert = _button(at, "w.setup.revert")
        assert revert.disabled and "editor" in revert.help.lower(), who
    _button(at, state.widget_key("signin", "out")).click().run()
    _sign_in(at, "siti")
    _button(at, "w.setup.revert").click().run()
    assert not at.exception and regions.region_store().latest("pontianak") is None
    audit = editors.audit("pontianak")
    assert (audit[0].action, audit[0].editor) == ("region_revert", "siti")
