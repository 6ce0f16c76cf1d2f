"""Rewrite presentation/chart_templates.json: the chart templates the first page draws after a server start.

The first page (Ringkasan) shows the fan chart of each shipped region's starting scenario, in Indonesian and in
English. Stored, those templates spare the server's first run the import of Altair (presentation/figures.py, "stored
templates"). They are built here exactly as the app builds them, each checked against the Vega-Lite schema.
Run after changing a chart, a title, a translation or Altair (tests/test_fastcharts.py fails until then):

    .venv/bin/python scripts/refresh_chart_templates.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["PBI_CHECK_CHARTS"] = "1"   # every stored template validated (set before ui is imported)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presentation import charts, figures, labels  # noqa: E402
from simulation.data import load_region, region_ids  # noqa: E402
from ui import model

LANGS = ("id", "en")


def first_page_templates() -> dict[str, dict]:
    """Store key → template of every chart the first page draws, for each shipped region and language, built
    afresh (no stored template used)."""
    saved = figures.USE_STORED_TEMPLATES
    figures.USE_STORED_TEMPLATES = False
    try:
        with figures._TEMPLATES_LOCK:
            figures._TEMPLATES.clear()
        charts.fan_chart.cache_clear()
        for rid in region_ids():
            region = load_region(rid)
            for lang in LANGS:
                shown = labels.localized(labels.starting_scenario(rid, lang), region, lang)
                charts.fan_chart(model.project(shown, region), lang)   # as views/overview.py draws it
        return figures.built_templates()
    finally:
        figures.USE_STORED_TEMPLATES = saved


def write() -> int:
    templates = first_page_templates()
    doc = {"about": "Written by scripts/refresh_chart_templates.py: see presentation/figures.py, stored templates.",
           "version": figures.code_version(), "templates": templates}
    figures.STORE_FILE.write_text(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                     + "\n", encoding="utf-8")
    figures.stored_templates.cache_clear()
    return len(templates)


if __name__ == "__main__":
    n = write()
    print(f"wrote {n} templates to {figures.STORE_FILE}")
