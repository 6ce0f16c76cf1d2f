"""Indonesian outputs speak Indonesian (issue 13): the deck, the brief and the workbook a Bappeda analyst takes to
the DPRD quote their sources and assumptions in Indonesian, and the fan chart's CSV names its series in Indonesian.

A source is kept in ``data/`` as it was published (``source``), with its rendering in the other language beside it
(``source_id`` / ``source_en``, simulation/sourced.py); the exports quote ``source_in(lang)``. The check is a list of
common English words, matched as whole words, in the text a reader sees (python-pptx for the deck, poppler's
pdftotext for the brief, openpyxl for every sheet of the workbook), after taking out the proper nouns and titles that
stay English (ALLOWED), addresses (web addresses, file paths) and identifiers (``rt_heads``: the workbook's id columns).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from presentation import charts, exports, labels
from simulation.data import load_region, parse_region, region_ids
from simulation.errors import DataFileError
from simulation.parameters import load_parameters
from simulation.scenario import default_scenario, scenario_from_region
from ui import model

# common English words that have no place in an Indonesian sentence (not "data", "total", "formal", "median", "per", "target":
# Indonesian uses them too)
ENGLISH = frozenset("""
the of and or not with from about to by for is are was were be this that which each here see own
assumption assumptions assumed derived estimate estimated published figure figures enter share workers heads
decree pending retrieved amended discount people year years month million billion city province scheme
source sources coverage baseline history scenario policy claim claims contribution contributions
""".split())
# names and titles that stay as they were published
ALLOWED = ("Paritrana Award", "CIA World Factbook", "World Factbook", "GoodStats", "MoU",
           "Universal Coverage Jaminan", "Universal Coverage Jamsostek")   # the programme's name (UCJ)
ADDRESS = re.compile(r"https?://\S+|\b\S+\.(?:com|id|org|net|py|csv|yaml|md)\b\S*|\S+/\S+/\S+")
CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")   # an identifier column (rt_heads, city_2026): codes, not words
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def english_words(text: str) -> list[str]:
    """The English words of ``ENGLISH`` in ``text`` (whole words, any case), proper nouns and addresses left out."""
    for name in ALLOWED:
        text = text.replace(name, " ")
    text = CODE.sub(" ", ADDRESS.sub(" ", text))
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH]


def offending_lines(lines: list[str]) -> list[str]:
    return [f"{line[:160]!r}: {', '.join(sorted(set(english_words(line))))}" for line in lines if english_words(line)]


def test_the_word_list_finds_english_and_leaves_indonesian_and_names():
    assert english_words("derived from public claim and participant figures") == [
        "derived", "from", "claim", "and", "figures"]
    assert english_words("assumption") == ["assumption"]
    assert not english_words("asumsi: pemerintah kota mendaftarkan sendiri daftar anggotanya; data hingga Juli 2025")
    assert not english_words("Paritrana Award 2025 Kalbar (harianberkat.com 2025-09-24; data/calibration/README.md)")
    assert not english_words("https://data.goodstats.id/statistic/angka-kematian-the-of-and")
    assert not english_words("CIA World Factbook 2024 (perkiraan pertengahan tahun)")
    assert not english_words("rt_heads city_2026") and english_words("heads of the city") == ["heads", "of", "the", "city"]


# --------------------------------------------------------------------------- the three files, read as a reader would


def _scenario(region_id: str, lang: str):
    if region_id == "pontianak":
        return default_scenario(lang)
    return scenario_from_region(region_id, name="Kesepakatan Kalbar" if lang == "id" else "Kalbar agreement",
                                lang=lang)


@cache
def _report(region_id: str, lang: str):
    region = load_region(region_id)
    scenario = _scenario(region_id, lang)
    others = tuple(labels.presets(scenario, region, lang)[1:3])
    return model.report(scenario, region, lang, sensitivity=True, compare=(scenario, *others))


def deck_lines(report) -> list[str]:
    out = []
    for slide in Presentation(io.BytesIO(exports.council_deck_pptx(report))).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            out += slide.notes_slide.notes_text_frame.text.splitlines()
    return [line for line in out if line.strip()]


def brief_lines(report) -> list[str]:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "the brief is read with poppler's pdftotext: apt-get install poppler-utils (scripts/renderers.sh)"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "brief.pdf"
        pdf.write_bytes(exports.brief_pdf(report))
        text = subprocess.run([pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [line for line in text.splitlines() if line.strip()]


def workbook_lines(projection, lang: str) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(projection, lang)))
    return [f"[{ws.title}] {cell}" for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
            for cell in row if isinstance(cell, str)]


REGIONS = ["pontianak", "kalbar", "kota_singkawang"]   # a city, the province, a starter region with defaults


@pytest.mark.parametrize("region_id", REGIONS)
def test_the_indonesian_deck_has_no_english_source_text(region_id):
    lines = deck_lines(_report(region_id, "id"))
    assert any(line.startswith("Sumber") for line in lines)   # the source lines were read
    assert not offending_lines(lines), "\n".join(offending_lines(lines))


@pytest.mark.parametrize("region_id", REGIONS)
def test_the_indonesian_brief_has_no_english_source_text(region_id):
    lines = brief_lines(_report(region_id, "id"))
    assert any("Sumber" in line for line in lines)
    assert not offending_lines(lines), "\n".join(offending_lines(lines))


@pytest.mark.parametrize("region_id", REGIONS)
def test_every_sheet_of_the_indonesian_workbook_has_no_english_text(region_id):
    lines = workbook_lines(_report(region_id, "id").projection, "id")
    assert sum("[Asumsi & sumber]" in line for line in lines) > 50   # the sources sheet was read
    assert not offending_lines(lines), "\n".join(offending_lines(lines))


def test_the_english_files_quote_the_sources_as_published():
    """The other way round: an English reader gets the citation as it was published (or its English rendering)."""
    lines = workbook_lines(_report("pontianak", "en").projection, "en")
    assert any("derived from public claim and participant figures" in line for line in lines)
    assert any("Pontianak city government & BPJS Ketenagakerjaan Pontianak" in line for line in lines)
    assert not any("diturunkan dari angka klaim" in line for line in lines)


def test_no_internal_note_reaches_a_reader():
    for lang in ("id", "en"):
        text = "\n".join(deck_lines(_report("pontianak", lang)) + brief_lines(_report("pontianak", lang)))
        assert "DOMAIN" not in text and "DOMAIN.md" not in text


# --------------------------------------------------------------------------- the data carry both languages


def _sourced(region):
    yield from region.coverage_history
    yield from region.potential_workers
    yield from (region.worker_growth_pct, region.formal_share, region.formal_coverage, region.apbd_growth_pct)
    yield from region.min_wage
    yield from region.apbd
    yield from region.targets
    yield from region.scheme_record
    for g in region.groups:
        yield from (g.members, g.already_covered, g.take_up, g.dropout)


def test_every_shipped_source_reads_in_indonesian():
    """Every source in data/ that is written in English carries its Indonesian rendering (``source_id``)."""
    bad = [f"parameters.yaml {pid} since {v.since}: {v.source[:80]!r}" for pid, p in load_parameters().items.items()
           for v in p.values if english_words(v.source_in("id"))]
    for rid in region_ids():
        bad += [f"regions/{rid}.yaml: {s.source[:80]!r}" for s in _sourced(load_region(rid))
                if english_words(s.source_in("id"))]
    assert not bad, "sources without source_id:\n" + "\n".join(bad)


def _region_dict(**target):
    region = load_region("pontianak").to_dict()
    region["targets"] = [{**region["targets"][0], **target}]
    return region


def test_a_source_may_come_in_both_languages_and_is_read_strictly():
    r = parse_region(_region_dict(source="RKP 2026", source_id="RKP 2026 (nasional)", source_en="RKP 2026 (national)"),
                     "x.yaml")
    tg = r.targets[0]
    assert (tg.source_in("id"), tg.source_in("en"), tg.source) == ("RKP 2026 (nasional)", "RKP 2026 (national)",
                                                                    "RKP 2026")
    only = parse_region(_region_dict(source="RKP 2026"), "x.yaml").targets[0]
    only = type(only)(**{**only.__dict__, "source_id": None, "source_en": None})
    assert only.source_in("id") == only.source_in("en") == "RKP 2026"   # no rendering: the source as published
    assert parse_region(r.to_dict(), "x.yaml") == r   # a snapshot keeps both renderings
    with pytest.raises(DataFileError, match=r"targets\[0\].source_id"):
        parse_region(_region_dict(source_id=42), "x.yaml")
    with pytest.raises(DataFileError, match="source_fr"):
        parse_region(_region_dict(source_fr="RKP"), "x.yaml")


# --------------------------------------------------------------------------- the fan chart's CSV


@pytest.mark.parametrize("lang, names, codes", [
    ("id", {"Data tercatat", "Tanpa kebijakan baru", "Skenario"}, {"history", "baseline", "scenario"}),
    ("en", {"Recorded", "No new policy", "Scenario"}, {"history", "baseline", "scenario"}),
])
def test_the_fan_chart_csv_names_its_series_in_the_readers_language(lang, names, codes):
    """The CSV behind the Overview's fan chart (the chart object itself, as the download menu passes it)."""
    p = _report("pontianak", lang).projection
    raw = exports.chart_data_csv(charts.fan_chart(p, lang), lang).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";" if lang == "id" else ","))
    header = rows[0]
    series = {row[header.index("Seri" if lang == "id" else "Series")] for row in rows[1:]}
    assert series == names
    assert not series & codes and "Label" not in header
