"""Who may change what (issue 15; ui/auth.py): with ``PBI_EDITORS=required`` a signed-out visitor cannot save or
delete, an editor of the region can, an editor of another region cannot; without the setting nothing changes."""

from __future__ import annotations

import pytest
from apptest_helpers import REPO
from streamlit.testing.v1 import AppTest

from presentation.i18n import t
from simulation.scenario import default_scenario
from storage import db as db_module
from storage.editors import ANONYMOUS, EditorStore
from storage.library import Library
from ui import auth, state

PASSWORD = "kata-sandi-panjang-1"
NEED = "Masuk sebagai editor wilayah ini untuk menyimpan"


@pytest.fixture
def lib(tmp_path, new_db, backend, monkeypatch):
    """The app's library on the test's database (SQLite in tmp_path, or a PostgreSQL database), with two editors."""
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    if backend == "postgresql":
        monkeypatch.setenv(db_module.URL_ENV, new_db())
    else:
        monkeypatch.delenv(db_module.URL_ENV, raising=False)
    state.library.clear()
    lib = Library()
    EditorStore(library=lib).add("siti", PASSWORD, "pontianak")
    EditorStore(library=lib).add("rina", PASSWORD, "kab_ketapang")
    yield lib
    state.library.clear()


def _app(page: str = "views/library.py") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def _button(at, label: str):
    [b] = [b for b in at.button if b.label == label]
    return b


def _sign_in(at, name: str, password: str = PASSWORD) -> None:
    at.text_input(key=state.widget_key("signin", "name")).input(name)
    at.text_input(key=state.widget_key("signin", "password")).input(password)
    _button(at, t("signin.submit", "id")).click()
    at.run()
    assert not at.exception


def _told(at) -> bool:
    """The page says what is needed (above the disabled buttons, or as the refusal of a click)."""
    return any(NEED in x.value for x in [*at.error, *at.info])


def _saved_names(lib) -> list[str]:
    return [e.name for e in lib.list("pontianak")]


def test_signed_out_visitors_cannot_save_or_delete_and_an_editor_of_the_region_can(lib, monkeypatch):
    monkeypatch.setenv(auth.ENV, "required")
    kept = lib.save(default_scenario(), "Sudah ada")
    at = _app()
    assert any(e.label == "Masuk sebagai editor" for e in at.sidebar.expander)
    assert any(NEED in i.value for i in at.info)                        # says what is needed, above the buttons
    at.checkbox(key=state.widget_key("library", "sure", kept)).check()   # "Ya, hapus": still not for a visitor
    at.run()
    assert _button(at, "Simpan").disabled and _button(at, "Hapus").disabled
    assert _button(at, "Jadikan acuan").disabled and _button(at, "Gandakan").disabled
    assert not [e for e in at.expander if e.label.startswith("Riwayat perubahan")]   # the audit: editors only

    _sign_in(at, "siti", "salah-sandi-panjang")
    assert "Nama editor atau kata sandi salah." in [e.value for e in at.error]
    assert _button(at, "Simpan").disabled
    _sign_in(at, "siti")
    assert not at.error, [e.value for e in at.error]
    assert any("**siti**" in c.value for c in at.sidebar.caption)
    assert not _button(at, "Simpan").disabled and not any("🔒" in i.value for i in at.info)
    _button(at, "Simpan").click()
    at.run()
    assert not at.error and len(_saved_names(lib)) == 2
    at.selectbox(key=state.widget_key("library", "entry")).select(kept)
    at.run()
    at.checkbox(key=state.widget_key("library", "sure", kept)).check()
    at.run()
    _button(at, "Hapus").click()
    at.run()
    assert not at.error and "Sudah ada" not in _saved_names(lib)
    audit = EditorStore(library=lib).audit("pontianak")
    assert [(r.editor, r.action) for r in audit] == [("siti", "delete"), ("siti", "save"), (ANONYMOUS, "save")]
    assert [e for e in at.expander if e.label.startswith("Riwayat perubahan")]

    _button(at, "Keluar").click()
    at.run()
    assert _button(at, "Simpan").disabled and at.session_state["editor"] == ""


def test_a_click_that_reaches_the_server_without_a_right_is_refused(lib, monkeypatch):
    """An editor removed by the operator while their page was open: the click on the button still drawn enabled
    saves and deletes nothing, and the page says what is needed (Streamlit drops a click on a button that is
    disabled in the new run; the page also asks again before each change)."""
    monkeypatch.setenv(auth.ENV, "required")
    kept = lib.save(default_scenario(), "Sudah ada")
    at = _app()
    _sign_in(at, "siti")
    at.checkbox(key=state.widget_key("library", "sure", kept)).check()
    at.run()
    EditorStore(library=lib).remove("siti")
    _button(at, "Simpan").click()
    at.run()
    assert _told(at) and _saved_names(lib) == ["Sudah ada"]
    EditorStore(library=lib).add("siti", PASSWORD, "pontianak")
    _sign_in(at, "siti")
    at.checkbox(key=state.widget_key("library", "sure", kept)).check()
    at.run()
    EditorStore(library=lib).remove("siti")
    _button(at, "Hapus").click()
    at.run()
    assert _told(at) and _saved_names(lib) == ["Sudah ada"]
    assert [r.action for r in EditorStore(library=lib).audit("pontianak")] == ["save"]


def test_an_editor_of_another_region_cannot_save_here(lib, monkeypatch):
    monkeypatch.setenv(auth.ENV, "required")
    at = _app()
    _sign_in(at, "rina")                                                  # kab_ketapang's editor, on Pontianak
    assert any("**rina**" in c.value for c in at.sidebar.caption)
    assert _button(at, "Simpan").disabled
    assert any("rina bukan editor wilayah ini" in i.value for i in at.info)
    assert not [e for e in at.expander if e.label.startswith("Riwayat perubahan")]
    at.session_state["region_id"] = "kab_ketapang"                       # her own region: she may
    at.run()
    assert not _button(at, "Simpan").disabled and not any("🔒" in i.value for i in at.info)


def test_the_region_save_button_needs_an_editor_of_that_region(lib, monkeypatch):
    monkeypatch.setenv(auth.ENV, "required")
    at = _app("views/data.py")
    assert at.button(key=state.widget_key("setup", "save")).disabled
    _sign_in(at, "rina")
    assert at.button(key=state.widget_key("setup", "save")).disabled      # kab_ketapang's editor, on Pontianak
    _button(at, "Keluar").click()
    at.run()
    _sign_in(at, "siti")
    save = at.button(key=state.widget_key("setup", "save"))
    assert not save.disabled
    save.click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert [(r.editor, r.action) for r in EditorStore(library=lib).audit("pontianak")] == [("siti", "region_save")]


@pytest.mark.parametrize("setting", [None, "", "off"])
def test_without_the_setting_nothing_changes(lib, monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv(auth.ENV, raising=False)
    else:
        monkeypatch.setenv(auth.ENV, setting)
    lib.save(default_scenario(), "Sudah ada")
    at = _app()
    assert not [e for e in at.sidebar.expander if e.label == "Masuk sebagai editor"]
    assert not [b for b in at.button if b.label == "Keluar"] and not any("🔒" in i.value for i in at.info)
    assert not [e for e in at.expander if e.label.startswith("Riwayat perubahan")]
    assert not _button(at, "Simpan").disabled
    assert not _button(at, "Jadikan acuan").disabled
    _button(at, "Simpan").click()
    at.run()
    assert not at.error and len(_saved_names(lib)) == 2
    assert {r.editor for r in EditorStore(library=lib).audit("pontianak")} == {ANONYMOUS}


def test_after_five_wrong_passwords_the_sidebar_says_the_name_is_locked(lib, monkeypatch):
    monkeypatch.setenv(auth.ENV, "required")
    at = _app()
    for _ in range(5):
        _sign_in(at, "siti", "tebakan-yang-salah")
    _sign_in(at, "siti")
    assert any("terlalu banyak kata sandi salah untuk nama ini; coba lagi dalam 15 menit" in e.value
               for e in at.error), [e.value for e in at.error]
    assert at.session_state["editor"] == "" and _button(at, "Simpan").disabled
