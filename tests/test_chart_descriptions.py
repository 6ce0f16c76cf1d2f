"""Every chart says what it shows in words, in the reader's language (issue 13): the Vega-Lite ``description``,
which Vega writes as the chart's aria-label for a screen reader (checked in Chromium by
tests/e2e/test_browser_a11y.py). Written from what the chart's structure holds (title, years, series, groups,
targets), never from numbers an edit moves, so an edited scenario keeps reusing the drawn chart."""

from __future__ import annotations

import pytest
from test_indonesian_outputs import english_words

from presentation import charts, labels
from presentation.i18n import t
from simulation.data import load_region
from simulation.scenario import default_scenario
from ui import model


def _charts(lang: str) -> dict:
    region = load_region("pontianak")
    s = default_scenario(lang)
    p = model.project(s, region)
    other = model.project(labels.presets(s, region, lang)[2], region)
    return {"fan": charts.fan_chart(p, lang), "baseline": charts.fan_chart(p, lang, include_scenario=False),
            "cost": charts.cost_by_group_chart(p, lang), "claims": charts.claims_chart(p, lang),
            "compare": charts.compare_chart([p, other], lang),
            "tornado": charts.tornado_chart(model.sensitivity(s, region), lang),
            "curve": charts.cost_curve_chart(model.cost_curve(s, region, 2026), 45.0, 2026, lang)}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_chart_has_a_description_in_the_readers_language(lang):
    for name, chart in _charts(lang).items():
        spec = chart.to_dict()
        desc, title = spec.get("description", ""), spec["title"]["text"]
        assert desc.startswith(title.rstrip(".?")) and len(desc) > len(title) + 40, (name, desc)
        if lang == "id":
            assert not english_words(desc), (name, desc)
        else:
            assert not {"grafik", "dan", "tahun"} & set(desc.lower().split()), (name, desc)


def test_the_fan_chart_says_its_years_series_and_targets():
    desc = _charts("id")["fan"].to_dict()["description"]
    assert "2023–2030" in desc and "Data tercatat, Tanpa kebijakan baru, dan Skenario" in desc
    assert "Target kota 2026 45,0 % tahun 2026" in desc.replace("\u00a0", " ")
    assert t("common.scenario", "id") not in _charts("id")["baseline"].to_dict()["description"].split(":")[1]


def test_an_edit_keeps_the_description_and_so_the_drawn_chart():
    region = load_region("pontianak")
    s = default_scenario("id")
    a = charts.fan_chart(model.project(s, region), "id")
    b = charts.fan_chart(model.project(s.replace(city_share=0.6), region), "id")
    assert a.template is b.template and not a.frames["coverage"].equals(b.frames["coverage"])   # one spec, built once
