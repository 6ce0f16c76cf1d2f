"""Everything follows the region (issue 12): every page and every file made for a region other than Pontianak,
and of another kind than a city, names that region and its own targets, and never Pontianak or a city.

The region is "Kabupaten Contoh": Pontianak's data with the words of its sources rewritten (its sources are the
region's own data, quoted as given: a regency's sources name the regency), kind ``kabupaten`` and a target of its
own, id ``kab_contoh``: a new region of the session (as the Data page's setup makes one), not saved yet.

Allowed, and left out of the text checked: the region selector in the sidebar lists the shipped regions by name
(Kota Pontianak among them); the sources of national parameters (data/parameters.yaml) are citations quoted as
published; phrases that name every kind at once (``bupati dan wali kota`` in the legal note, the minimum wage
``Upah Minimum Kabupaten/Kota``, ``regency/city``, ``regency or city`` in the glossary).
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
import zipfile
import zlib

import pytest
from apptest_helpers import DATA_TABS, REPO, open_data_tab
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from presentation import exports, labels
from presentation.i18n import t
from simulation import io as uploads
from simulation.data import Target, load_region, region_ids
from simulation.parameters import load_parameters
from ui import model

NAME = "Kabupaten Contoh"
OWN = Target(id="regency_2027", name_id="Target Bupati Contoh 2027", name_en="Contoh regency target 2027",
             year=2027, coverage_pct=48.0, source="RPJMD Kabupaten Contoh", certainty="M")
FORBIDDEN = re.compile(r"Pontianak|\bkota\b|\bKota\b|\bcity\b|\bCity\b|\bcities\b|Pemkot")
SHIPPED = tuple(load_region(rid).name for rid in region_ids())
BOTH_KINDS = ("wali kota", "Kabupaten/Kota", "kabupaten/kota", "regency/city", "regency or city")
PAGES = sorted(p.name for p in (REPO / "views").glob("*.py"))


def _reword(obj):
    """``obj`` (a region's dataclasses, tuples, strings) with Pontianak and its city words rewritten."""
    if isinstance(obj, str):
        for a, b in (("Pontianak", "Contoh"), ("Pemkot", "Pemkab"), ("kota", "kabupaten"), ("Kota", "Kabupaten"),
                     ("city", "regency"), ("City", "Regency"), ("cities", "regencies")):
            obj = re.sub(rf"\b{a}\b", b, obj)
        return obj
    if isinstance(obj, tuple):
        return tuple(_reword(x) for x in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _reword(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                                           if f.init and f.name != "extra"})
    return obj


def contoh():
    base = _reword(load_region("pontianak"))
    targets = tuple(x for x in base.targets if x.id != "city_2026") + (OWN,)
    return dataclasses.replace(base, id="kab_contoh", name=NAME, kind="kabupaten", targets=targets)


REGION = contoh()


def _citations() -> list[str]:
    """Sources of the national parameters, quoted as published (allowed)."""
    out = []
    for p in load_parameters().items.values():
        for v in p.values:
            out += [s for s in (v.source, v.source_id, v.source_en) if s]
    return sorted(set(out), key=len, reverse=True)


CITATIONS = _citations()


def leaks(text: str) -> list[str]:
    """Each forbidden word in ``text`` with 60 characters around it (national citations left out)."""
    for c in (*CITATIONS, *BOTH_KINDS):
        text = text.replace(c, "")
    return [text[max(0, m.start() - 60):m.end() + 60] for m in FORBIDDEN.finditer(text)]


# --------------------------------------------------------------------------- pages


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _lists_regions_or_kinds(proto) -> bool:
    """A chooser of regions (the sidebar's selector, the Data page's "copy from") or of a region's kind: it lists
    the shipped regions or every kind by name, allowed."""
    options = [o if isinstance(o, str) else str(getattr(o, "label", o)) for o in getattr(proto, "options", ())]
    kinds = {"Kota", "Kabupaten", "Provinsi", "City", "Regency", "Province"}
    return any(o.startswith(SHIPPED) for o in options) or len(kinds & set(options)) >= 3


def page_text(at: AppTest) -> str:
    """Everything the page says: element protos as text, tables and chart data as CSV; the choosers of a region
    or a kind left out (allowed: they list the shipped regions and every kind)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    out = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or _lists_regions_or_kinds(proto):
            continue
        if node.type == "vega_lite_chart":
            out.append(proto.spec)
            out += [convert_arrow_bytes_to_pandas_df(d.data.data).to_csv() for d in proto.datasets]
        elif node.type in ("arrow_data_frame", "dataframe", "table"):
            out.append(node.value.to_csv())
        else:
            out.append(text_format.MessageToString(proto, as_utf8=True))
    return "\n".join(out)


def open_for_contoh(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.session_state["lang"] = lang
    at.session_state["regions"] = {REGION.id: REGION}   # a new region of this session, not saved yet
    at.session_state["region_id"] = REGION.id
    at.session_state["scenarios"] = {}
    at.switch_page(f"views/{page}")
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_follows_the_region(page, lang):
    at = open_for_contoh(page, lang)
    text = page_text(at)
    if page == "data.py":   # every tab, opened in turn (only the open one is built)
        text += "\n".join(page_text(open_data_tab(at, tab)) for tab in DATA_TABS)
    assert not leaks(text), leaks(text)[:8]
    if page not in ("about.py", "library.py", "data.py"):
        assert NAME in text or "Contoh" in text
    if page in ("overview.py", "projection.py", "present.py", "goalseek.py", "data.py"):
        assert OWN.name(lang) in text


def test_the_starting_scenario_is_the_regions():
    """Groups and targets come from the session's region, its name says which region (or none)."""
    for lang in ("id", "en"):
        s = labels.starting_scenario(REGION, lang)
        assert [x.id for x in s.targets] == [x.id for x in REGION.targets]
        assert not leaks(s.name) and not leaks(labels.scenario_label(s, "en" if lang == "id" else "id"))
    # a region with a signed agreement starts with it, named after the region and translated by pattern
    s = labels.starting_scenario(REGION, "id")
    assert s.name == "Kesepakatan 2026 (Contoh)" and labels.scenario_label(s, "en") == "2026 agreement (Contoh)"
    assert labels.scenario_label(s.replace(name="Kesepakatan 2026 (Contoh) baru"), "en") == \
        "Kesepakatan 2026 (Contoh) baru"   # a name of the user's own is never translated
    kalbar = load_region("kalbar")   # no agreement: every group, named after the region
    assert labels.starting_scenario(kalbar, "en").name == "Scenario Provinsi Kalimantan Barat"
    assert all(g.in_scope for g in labels.starting_scenario(kalbar, "id").groups)


# --------------------------------------------------------------------------- files


def _report(lang: str):
    s = labels.starting_scenario(REGION, lang)
    other = labels.presets(s, REGION, lang)[2]
    return model.report(s, REGION, lang, sensitivity=True, compare=(s, other))


def _office_text(raw: bytes) -> str:
    """The words of an Office file (PPTX, XLSX): its XML parts, tags removed."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    return re.sub(r"<[^>]+>", " ", "\n".join(parts))


def _pdf_text(pdf: bytes) -> str:
    """Text of the PDF's streams (ASCII85 and Flate undone, string escapes undone), enough to find words."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = m.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        try:
            data = zlib.decompress(data)
        except zlib.error:
            pass
        out.append(data.decode("latin-1"))
    return re.sub(r"\\([()\\])", r"\1", "\n".join(out)).replace("\xa0", " ")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_file_follows_the_region(lang):
    rep = _report(lang)
    p = rep.projection
    tables, names = exports.projection_tables(p, lang)
    files = {
        "deck": _office_text(exports.council_deck_pptx(rep)),
        "brief": _pdf_text(exports.brief_pdf(rep)),
        "workbook": _office_text(exports.projection_workbook(p, lang)),
        "csv": "\n".join(exports.table_csv(df, lang, names=names).decode("utf-8-sig") for df in tables.values()),
        "report": json.dumps([rep.coverage.title, rep.coverage.sentence, rep.spoken, rep.situation.title,
                              *rep.situation.bullets, rep.scenario.title, *rep.scenario.facts, rep.cost.title,
                              rep.cost.sentence, rep.footer], ensure_ascii=False),
    }
    notes = [t(f"data.template_note_{i}", lang) for i in range(1, 6)]   # as the Data page passes them
    files["template_xlsx"] = _office_text(uploads.template_xlsx(REGION, lang, notes))
    files["template_csv"] = "\n".join(uploads.template_csv(REGION, kind, lang).decode("utf-8-sig")
                                      for kind in uploads.KINDS)
    for what, text in files.items():
        assert not leaks(text), (what, leaks(text)[:8])
    assert OWN.name(lang) in files["template_xlsx"] and OWN.name(lang) in files["template_csv"]
    for what in ("deck", "brief", "report"):
        assert "Contoh" in files[what], what
    for what in ("deck", "report"):
        assert OWN.name(lang) in files[what], what


def test_who_pays_is_named_by_the_regions_kind():
    kalbar, pontianak = load_region("kalbar"), load_region("pontianak")
    assert labels.region_words(kalbar, "id") == {"gov": "Pemprov", "Gov": "Pemprov", "apbd": "APBD provinsi",
                                                 "wage": "UMP"}
    assert labels.region_words(REGION, "en")["Gov"] == "The regency"
    assert labels.region_words(pontianak, "id")["apbd"] == "APBD kota"
    assert labels.region_words(None, "en")["gov"] == "the local government"
    frame = exports.assumptions_frame(kalbar, "id")
    assert "Upah minimum (UMP) 2025" in set(frame["item"])
