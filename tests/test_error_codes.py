"""Every error code the engine, storage and pages raise has a sentence, and every raise site fills it in.

Pages translate a ValidationError/DataFileError through ``t(f"errors.{code}", lang, **params)``: a code without a
sentence shows the engine's English message on an Indonesian page, and a site that does not pass a parameter its
sentence names shows a literal ``{value}``.  The raise sites are found with ``ast`` (calls with a literal
``code="..."``); sites whose ``params`` is not a dict literal are checked for the sentence only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from presentation.i18n import catalogue, placeholders

ROOT = Path(__file__).resolve().parent.parent
WINGS = ("simulation", "storage", "presentation", "ui", "views")


def _sites() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, params given or None when not a dict literal) of every call with a literal code=."""
    found = []
    for wing in WINGS:
        for path in sorted((ROOT / wing).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                kw = {k.arg: k.value for k in node.keywords if k.arg}
                code = kw.get("code")
                if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
                    continue
                params: set[str] | None
                if "params" not in kw:
                    params = set()
                elif isinstance(kw["params"], ast.Dict) and None not in kw["params"].keys:
                    params = {k.value for k in kw["params"].keys if isinstance(k, ast.Constant)}
                else:
                    params = None
                found.append((str(path.relative_to(ROOT)), node.lineno, code.value, params))
    return found


SITES = _sites()
CODES = sorted({code for _f, _l, code, _p in SITES})


def test_sites_found():
    """The walk sees the engine's raise sites (guards the walk itself)."""
    assert len(SITES) > 100
    assert {"out_of_range", "expected_number", "missing_field"} <= set(CODES)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_code_has_a_sentence(lang):
    cat = catalogue(lang)
    missing = [code for code in CODES if f"errors.{code}" not in cat]
    assert not missing, f"{len(missing)} codes without errors.<code> in the {lang} catalogue: {missing}"


def test_sentences_share_placeholders():
    id_cat, en_cat = catalogue("id"), catalogue("en")
    differ = [code for code in CODES if f"errors.{code}" in id_cat and f"errors.{code}" in en_cat
              and placeholders(id_cat[f"errors.{code}"]) != placeholders(en_cat[f"errors.{code}"])]
    assert not differ, f"Indonesian and English sentences name different placeholders: {differ}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_site_passes_its_placeholders(lang):
    cat = catalogue(lang)
    gaps = []
    for file, line, code, params in SITES:
        text = cat.get(f"errors.{code}")
        if text is None or params is None:
            continue
        lacking = placeholders(text) - params
        if lacking:
            gaps.append(f"{file}:{line} {code} lacks {sorted(lacking)}")
    assert not gaps, f"{len(gaps)} raise sites do not pass what their sentence needs:\n" + "\n".join(gaps)


# ---------------------------------------------------------------------------- numbers in the sentences
def _raised(call):
    from simulation.errors import ValidationError
    with pytest.raises(ValidationError) as err:
        call()
    return err.value


def _sentences():
    """(error raised by the engine or storage, {lang: what the reader sees}) for codes with numeric params."""
    from simulation.scenario import default_scenario
    from simulation.units import percent_value
    from storage.regions import MAX_REGION_JSON
    s = default_scenario("pontianak")
    return [
        (_raised(lambda: s.replace(takeup_elasticity=1.05)),                       # a share: decimals
         {"id": "harus di antara 0 dan 1 (1,05)", "en": "must be between 0 and 1 (1.05)"}),
        (_raised(lambda: percent_value(0.05, "coverage_pct")),                         # a percentage read as a share
         {"id": "0,05 terbaca sebagai 0,05 %: maksudnya 5 %?", "en": "0.05 reads as 0.05 %: did you mean 5 %?"}),
        (_raised(lambda: s.replace(budget_cap_idr=1_234_567_891_234_567)),          # a field in rupiah: money
         {"id": "harus di antara Rp 0 dan Rp 1.000.000.000.000.000 (Rp 1.234.567.891.234.567)",
          "en": "must be between Rp 0 and Rp 1,000,000,000,000,000 (Rp 1,234,567,891,234,567)"}),
        (_raised(lambda: s.replace(horizon_year=2070)),                              # years stay years
         {"id": "harus di antara 2020 dan 2060 (2070)", "en": "must be between 2020 and 2060 (2070)"}),
        (type("E", (), {"code": "region_too_large", "field": "region", "params": {"max": MAX_REGION_JSON}})(),
         {"id": "paling banyak 400.000 karakter", "en": "at most 400,000 characters"}),  # a count: grouped
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_error_sentences_write_numbers_the_readers_way(lang):
    from presentation.i18n import t
    from presentation.problems import error_params
    for exc, want in _sentences():
        got = t(f"errors.{exc.code}", lang, **error_params(exc.code, exc.field, exc.params, lang))
        assert want[lang] in got, (exc.code, exc.params, got)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_pages_error_text_writes_numbers_the_readers_way(lang, monkeypatch):
    from ui import state
    monkeypatch.setattr(state, "lang", lambda: lang)          # the session's language, without a session
    exc, want = _sentences()[0]
    assert state.error_text(exc) == f"takeup_elasticity: {want[lang]}"
    exc, want = _sentences()[2]
    assert want[lang] in state.error_text(exc)
