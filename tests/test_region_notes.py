"""Why a region's field is missing, in the reader's language (issue 12 follow-up): a region file's ``missing:`` note
is ``{id: ..., en: ...}``; the Data page's guided checklist shows the Indonesian note on an Indonesian page and the
English one on an English page. A note written as one text (older files, saved regions) is still read, as written."""

from __future__ import annotations

import re

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from simulation.data import MissingNote, load_region, parse_region, region_data, region_ids, region_yaml
from simulation.errors import DataFileError
from ui import state

BLANK = {"id": "kab_catatan", "name": "Kabupaten Catatan", "kind": "kabupaten", "province": "Kalimantan Barat"}
ID_NOTE = "tidak ditemukan target cakupan daerah; dicari di berita RPJMD, 2026-12-04"
EN_NOTE = "no dated local coverage target found; searched RPJMD news, 2026-12-04"
#: words of an English note that an Indonesian sentence does not use
ENGLISH = re.compile(r"\b(no|the|found|searched|published|only|for|search tool|stored copies)\b")


def test_a_bilingual_note_is_read_in_each_language_and_written_back_as_it_was():
    r = parse_region({**BLANK, "missing": {"targets": {"id": ID_NOTE, "en": EN_NOTE}}}, "x")
    assert r.missing_note("targets", "id") == ID_NOTE
    assert r.missing_note("targets", "en") == EN_NOTE
    assert r.missing_note("apbd", "id") == ""            # missing, nothing said
    assert parse_region(region_data(r), "x") == r
    back = yaml.safe_load(region_yaml(r))
    assert back["missing"]["targets"] == {"id": ID_NOTE, "en": EN_NOTE}
    assert parse_region(back, "x") == r
    hash(r)                                               # the model's caches key on the region


def test_a_note_written_as_one_text_reads_the_same_in_both_languages():
    r = parse_region({**BLANK, "missing": {"targets": EN_NOTE}}, "x")
    assert r.missing_note("targets", "id") == r.missing_note("targets", "en") == EN_NOTE
    assert region_data(r)["missing"]["targets"] == EN_NOTE


@pytest.mark.parametrize(("note", "where", "code"), [
    ({"id": ID_NOTE}, "x.missing.targets.en", "missing_field"),
    ({"id": ID_NOTE, "en": EN_NOTE, "fr": "rien"}, "x.missing.targets.fr", "unknown_field"),
    ({"id": "", "en": EN_NOTE}, "x.missing.targets.id", "expected_text"),
    ({"id": ID_NOTE, "en": "x" * 501}, "x.missing.targets.en", "too_long"),
    (42, "x.missing.targets", "expected_text"),
])
def test_a_bad_note_is_refused_with_the_field_named(note, where, code):
    with pytest.raises(DataFileError) as err:
        parse_region({**BLANK, "missing": {"targets": note}}, "x")
    assert (err.value.field, err.value.code) == (where, code)


@pytest.mark.parametrize("rid", sorted(region_ids()))
def test_every_shipped_note_has_an_indonesian_text_without_english(rid):
    r = load_region(rid)
    for field, note in r.missing_notes:
        if note == "":                        # left out, nothing said (a region made in the app)
            continue
        assert isinstance(note, MissingNote), f"{rid}.missing.{field}: {{id: ..., en: ...}}"
        assert not ENGLISH.search(note.id), f"{rid}.missing.{field}.id: {ENGLISH.search(note.id)[0]!r}"
        assert note.id != note.en


# ---------------------------------------------------------------------------- the Data page
@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.run()
    yield app
    state.library.clear()


def _note_column(at: AppTest, lang: str) -> list[str]:
    col = "Keterangan" if lang == "id" else "Note"
    frame = next(d.value for d in at.dataframe if col in d.value.columns)
    return frame[col].tolist()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_guided_checklist_shows_the_note_in_the_pages_language(at, lang):
    at.session_state["lang"] = lang
    at.session_state["region_id"] = "kab_sambas"        # not ready: the checklist is open, targets noted
    at.switch_page("views/data.py").run()
    assert not at.exception and not at.error
    notes = _note_column(at, lang)
    sambas = load_region("kab_sambas")
    other = "en" if lang == "id" else "id"
    assert sambas.missing_note("targets", lang) in notes
    assert not any(sambas.missing_note(f, other) in n for f in sambas.missing for n in notes if n)
    if lang == "id":
        assert not any(ENGLISH.search(n) for n in notes if n), notes
