"""What the presentation wing says about engine numbers, checked against values worked out by hand.

Written for the mutants of the mutation sample of presentation/ (docs/TESTING.md, issue 16) that no other test
noticed: each test states what a reader of the page or file must be told.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from presentation.summaries import IMPLAUSIBLE_DEATH_MULTIPLE, record_death_level, verdict
from simulation.parameters import load_parameters


@pytest.mark.parametrize(("times", "level"), [
    (0.5, "within"),                                   # half the crude death rate: plausible
    (1.0, "within"),                                   # exactly the crude death rate: still within
    (1.5, "above_crude"),                              # above it, but not absurd
    (IMPLAUSIBLE_DEATH_MULTIPLE, "above_crude"),       # the edge of plausible
    (IMPLAUSIBLE_DEATH_MULTIPLE * 2, "implausible"),   # a claims record implying that many deaths is wrong
])
def test_a_claims_record_death_rate_is_judged_against_the_crude_death_rate(times, level):
    cdr = load_parameters().latest("mortality.crude_death_rate")
    got_level, got_times = record_death_level(times * cdr)
    assert got_level == level
    assert got_times == pytest.approx(times)


def test_a_target_the_trend_meets_exactly_is_met_by_the_trend(make_scenario):
    """Compare's verdict: when the trend alone gives exactly the target's coverage, the answer is "the trend
    reaches it", not a scenario to pay for."""
    from simulation.projection import project

    p = project(make_scenario())
    exact = float(p.row(2028)["baseline_coverage_pct"])
    assert verdict([p], SimpleNamespace(id="t", year=2028, coverage_pct=exact)).kind == "baseline"


# --------------------------------------------------------------------------- chart specs: what a reader sees


def _spec_words(chart) -> dict:
    """What a reader of a chart reads in its spec: title, subtitle lines joined, the axis titles, the tooltips
    (field, title, format) in order, and the legend's series (colour domain and colours)."""
    spec = chart.to_dict()
    axes, tips, colours, fieldless, labels = set(), [], [], [], []

    def walk(o):
        if isinstance(o, dict):
            enc = o.get("encoding") or {}
            mark = o.get("mark") if isinstance(o.get("mark"), dict) else {}
            if mark.get("type") == "text" and (enc.get("text") or {}).get("field") == "text":
                labels.append((enc["y"].get("field"), mark.get("dy")))   # a target's label
            for ch, e in enc.items():
                for x in e if isinstance(e, list) else [e]:
                    if ch in ("x", "y", "x2", "y2") and not ({"field", "datum", "value"} & set(x)):
                        fieldless.append(ch)
                    if ch == "tooltip":
                        tip = (x.get("field"), x.get("title"), x.get("format"))
                        if tip not in tips:
                            tips.append(tip)
                    elif ch in ("x", "y") and x.get("title"):
                        axes.add((ch, x["title"]))
                    elif ch == "color" and "field" in x and (x.get("scale") or {}).get("domain"):
                        colours.append((x["scale"]["domain"], x["scale"].get("range")))
            for k, v in o.items():
                if k not in ("datasets", "config"):
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(spec)
    title = spec["title"]
    return {"title": title["text"], "subtitle": " ".join(title.get("subtitle", [])).replace("\u00a0", " "),
            "axes": axes, "tips": tips, "colours": colours, "data": spec.get("datasets", {}), "fieldless": fieldless,
            "labels": labels, "description": spec.get("description", ""), "spec": spec}


@pytest.fixture(autouse=True)
def _charts_built_afresh():
    """Each test builds its charts from scratch: the memo of built charts and the figures' spec templates are
    emptied, so what is checked is what the builder makes now (under mutmut, a chart built before the fault was
    switched on would otherwise be answered from the cache)."""
    from presentation import charts, figures

    for builder in (charts.fan_chart, charts.cost_by_group_chart, charts.claims_chart, charts.compare_chart,
                    charts.tornado_chart, charts.cost_curve_chart):
        builder.cache_clear()
    figures._TEMPLATES.clear()   # the spec built once per structure (presentation/figures.py)


PONTIANAK_HISTORY = "Pemkot Pontianak & BPJS Ketenagakerjaan Pontianak, faktakalbar"
WORDS = {
    "id": {"year": "Tahun", "cov": "Cakupan (%)", "median": "Median (%)", "lo": "Rentang 80 % ↓",
           "hi": "Rentang 80 % ↑", "target": "Target", "scenario": "Skenario", "hist": "Data tercatat",
           "base": "Tanpa kebijakan baru", "group": "Kelompok pekerja", "part": "Peserta",
           "cost_y": "Biaya per tahun (Rp)", "bn": "Miliar Rp per tahun", "cost_bn": "Biaya (miliar Rp)",
           "kinds": ["Iuran dibayar", "Perkiraan klaim JKM (kematian)", "Perkiraan klaim JKK (kecelakaan kerja)"],
           "low": "Nilai rendah", "high": "Nilai tinggi", "added": "Kelompok ditambahkan"},
    "en": {"year": "Year", "cov": "Coverage (%)", "median": "Median (%)", "lo": "80% range ↓",
           "hi": "80% range ↑", "target": "Target", "scenario": "Scenario", "hist": "Recorded",
           "base": "No new policy", "group": "Worker group", "part": "Participants",
           "cost_y": "Cost per year (Rp)", "bn": "Rp billion per year", "cost_bn": "Cost (Rp billion)",
           "kinds": ["Contributions paid", "Expected JKM claims (death)", "Expected JKK claims (work accident)"],
           "low": "Low value", "high": "High value", "added": "Group added"},
}


@pytest.fixture(scope="module")
def shipped():
    from simulation.data import load_region
    from simulation.projection import project
    from simulation.scenario import default_scenario

    region = load_region("pontianak")
    return region, {lang: project(default_scenario(lang), region) for lang in ("id", "en")}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_fan_chart_titles_axes_tooltips_and_series(shipped, lang):
    from presentation import charts

    _, ps = shipped
    p, w = ps[lang], WORDS[lang]
    got = _spec_words(charts.fan_chart(p, lang))
    name = p.scenario.name
    if lang == "id":
        assert got["title"] == "Cakupan kepesertaan Kota Pontianak: tren dan skenario"
        assert got["subtitle"] == (f"Sumber: {PONTIANAK_HISTORY}; perkiraan statsmodels; skenario «{name}» Pita biru: "
                                   "rentang 80 % tren tanpa kebijakan baru (abu-abu: 95 %). Garis oranye tipis: batas "
                                   "rentang 80 % skenario. Belah ketupat: target.")
    else:
        assert got["title"] == "Coverage in Kota Pontianak: trend and scenario"
        assert got["subtitle"].startswith("Source: ") and got["subtitle"].endswith(
            f"; statsmodels forecast; scenario «{name}» Blue band: 80% range of the no-new-policy trend (grey: 95%). "
            "Thin orange lines: edges of the scenario's 80% range. Diamonds: targets.")
    assert got["axes"] == {("x", w["year"]), ("y", w["cov"])}
    assert got["tips"] == [("year", w["year"], None), ("label", " ", None), ("median", w["median"], ".1f"),
                           ("low", w["lo"], ".1f"), ("high", w["hi"], ".1f"), ("text", w["target"], None)]
    assert got["colours"] == [([w["hist"], w["base"], w["scenario"]], ["#1a1a1a", "#0072B2", "#D55E00"])]
    rows = got["data"]["coverage"]
    tab = p.table
    for series, col, label in (("scenario", "coverage_pct", w["scenario"]), ("baseline", "baseline_coverage_pct",
                                                                              w["base"])):
        mine = [r for r in rows if r["series"] == series]
        assert {r["label"] for r in mine} == {label}
        assert [r["median"] for r in mine[1:]] == pytest.approx(list(tab[col]))   # after the last record
        assert mine[0]["year"] == 2025 and mine[0]["median"] == pytest.approx(40.0)
    hist = [r for r in rows if r["series"] == "history"]
    assert {r["label"] for r in hist} == {w["hist"]} and hist[-1]["median"] == pytest.approx(40.0)
    sep = " %" if lang == "id" else "%"
    comma = "," if lang == "id" else "."
    assert [r["text"] for r in got["data"]["targets"]] == [
        f"{tg.name}: {f'{tg.coverage_pct:.2f}' if tg.coverage_pct * 10 % 1 else f'{tg.coverage_pct:.1f}'}"
        .replace(".", comma) + sep for tg in sorted(p.scenario.targets, key=lambda x: (x.year, -x.coverage_pct))]
    assert got["fieldless"] == []
    # the y axis: 3 points below the lowest value, 3 above the highest, plus a row of 17 px per target label
    hist_pct = [100 * float(x) for x in p.forecast.history_shares]
    values = hist_pct + [float(v) for c in ("coverage_pct", "baseline_coverage_pct", "coverage_low95_pct",
                                            "baseline_coverage_low95_pct", "coverage_high95_pct",
                                            "baseline_coverage_high95_pct") for v in tab[c]]
    tgs = [tg.coverage_pct for tg in p.scenario.targets]
    lo, hi = max(0, min(values + tgs) - 3), max(values + tgs) + 3
    px = 6 + 17 * len(tgs)
    top = min(100, hi + (hi - lo) * px / (340 - px))
    assert [r["y"] for r in got["data"]["extent"]] == pytest.approx([lo, top])
    assert [r["top"] for r in got["data"]["targets"]] == pytest.approx([top] * 3)
    assert [r["row"] for r in got["data"]["targets"]] == [0, 1, 2]
    # each target's label sits in its own row at the top: y = top, moved down by its row
    assert got["labels"] and all(lab == ("top", {"expr": "4 + label_row * datum.row"}) for lab in got["labels"])
    assert got["description"].startswith(got["title"] + ". ") and "2023–2030" in got["description"]
    assert ({"id": f"{w['hist']}, {w['base']}, dan {w['scenario']}",
             "en": f"{w['hist']}, {w['base']}, and {w['scenario']}"}[lang]) in got["description"]
    assert {"id": "Target kota 2026 45,0 % tahun 2026", "en": "City target 2026 45.0% in 2026"}[lang] \
        in got["description"].replace("\u00a0", " ")
    trend = _spec_words(charts.fan_chart(p, lang, include_scenario=False))
    assert trend["colours"] == [([w["hist"], w["base"]], ["#1a1a1a", "#0072B2"])]
    assert trend["subtitle"].endswith({
        "id": "skenario «" + name + "» Pita biru: rentang 80 % tren tanpa kebijakan baru (abu-abu: 95 %). Belah "
              "ketupat: target.",
        "en": "scenario «" + name + "» Blue band: 80% range of the no-new-policy trend (grey: 95%). Diamonds: "
              "targets."}[lang])
    assert ({"id": f"{w['hist']} dan {w['base']}", "en": f"{w['hist']} and {w['base']}"}[lang]) in trend["description"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_source_line_names_the_publishers_and_points_to_the_data_page(shipped, lang):
    import dataclasses
    from types import SimpleNamespace

    from presentation.charts import source_text

    region, ps = shipped
    p = ps[lang]
    hist = region.coverage_history

    def with_sources(*texts):
        vs = [dataclasses.replace(v, source=x, source_id=x, source_en=None) for v, x in zip(hist, texts, strict=False)]
        return SimpleNamespace(region=dataclasses.replace(region, coverage_history=tuple(vs)), scenario=p.scenario)

    name = p.scenario.name
    words = {"id": ("perkiraan statsmodels; skenario", "data wilayah", "dan sumber lain (lihat halaman Data)"),
             "en": ("statsmodels forecast; scenario", "region data", "and other sources (see the Data page)")}[lang]
    publishers = {"id": PONTIANAK_HISTORY,
                  "en": "Pontianak city government & BPJS Ketenagakerjaan Pontianak, faktakalbar"}[lang]
    assert source_text(p, lang) == f"{publishers}; {words[0]} «{name}»"
    only_years = with_sources(*(f"{2020 + i} survey" for i in range(len(hist))))
    assert source_text(only_years, lang) == f"{words[1]}; {words[0]} «{name}»"
    some = with_sources("BPS Kalbar (2024)", *("2023 survey",) * (len(hist) - 1))
    assert source_text(some, lang) == f"BPS Kalbar {words[2]}; {words[0]} «{name}»"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_cost_and_claims_charts_titles_axes_tooltips_and_series(shipped, lang):
    from presentation import charts

    _, ps = shipped
    p, w = ps[lang], WORDS[lang]
    name = p.scenario.name
    cost = _spec_words(charts.cost_by_group_chart(p, lang))
    groups = [g.name for g in sorted(p.scenario.groups, key=lambda g: g.priority) if g.in_scope and g.members > 0]
    if lang == "id":
        assert cost["title"] == "Biaya iuran yang dibayar APBD, per kelompok"
        assert cost["subtitle"] == ("Sumber: perhitungan simulator dari PP 44/2015 jo. PP 82/2019, Permenaker 5/2021; "
                                    f"skenario «{name}»")
    else:
        assert cost["title"] == "Contributions paid from the budget (APBD), by group"
        assert cost["subtitle"] == ("Source: simulator calculation from PP 44/2015 as amended, Permenaker 5/2021; "
                                    f"scenario «{name}»")
    assert cost["axes"] == {("x", w["year"]), ("y", w["cost_bn"])}
    assert cost["tips"] == [("year", w["year"], None), ("group", w["group"], None), ("participants", w["part"], ",.0f"),
                            ("cost_idr", w["cost_y"], ",.0f")]
    assert cost["colours"][0][0] == groups
    by = p.by_group
    for r in cost["data"]["cost"]:
        assert r["cost_bn"] == pytest.approx(r["cost_idr"] / 1e9)
    assert sum(r["cost_idr"] for r in cost["data"]["cost"]) == pytest.approx(float(by["cost_idr"].sum()))

    claims = _spec_words(charts.claims_chart(p, lang))
    if lang == "id":
        assert claims["title"] == "Yang diterima keluarga: perkiraan klaim dibanding iuran"
        assert claims["subtitle"] == ("Sumber: manfaat PP 82/2019; insiden klaim = asumsi yang dapat diubah; "
                                      f"skenario «{name}»")
    else:
        assert claims["title"] == "What families get back: expected claims against contributions"
        assert claims["subtitle"] == ("Source: benefits per PP 82/2019; claim incidence = adjustable assumptions; "
                                      f"scenario «{name}»")
    assert claims["axes"] == {("x", w["year"]), ("y", w["bn"])}
    assert claims["tips"] == [("year", w["year"], None), ("kind", " ", None), ("value", w["bn"], ",.2f")]
    assert claims["colours"] == [(w["kinds"], ["#0072B2", "#D55E00", "#E69F00"])]
    tab = p.table
    for kind, col in zip(w["kinds"], ("contributions_idr", "jkm_claims_idr", "jkk_claims_idr"), strict=True):
        vals = [r["value"] for r in claims["data"]["claims"] if r["kind"] == kind]
        assert vals == pytest.approx(list(tab[col] / 1e9)), kind
        assert [r["year"] for r in claims["data"]["claims"] if r["kind"] == kind] == list(range(2026, 2031))
    assert claims["fieldless"] == [] and cost["fieldless"] == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_compare_chart_titles_axes_tooltips_and_lines(shipped, lang):
    from presentation import charts
    from simulation.projection import project

    region, ps = shipped
    p, w = ps[lang], WORDS[lang]
    half = project(p.scenario.replace(name="Half", city_share=0.5), region)
    got = _spec_words(charts.compare_chart([p, half], lang))
    if lang == "id":
        assert got["title"] == "Perbandingan skenario: cakupan (median)"
        assert got["subtitle"] == ("Sumber: perhitungan simulator; tren dari perkiraan statsmodels Garis: median; "
                                   "rentang 80 % ada di tooltip dan tabel. Skenario dengan angka yang sama persis "
                                   "digambar bergantian (putus-putus) pada satu garis.")
    else:
        assert got["title"] == "Scenarios compared: coverage (median)"
        assert got["subtitle"].startswith("Source: simulator calculation; trend from the statsmodels forecast Lines: ")
    assert got["axes"] == {("x", w["year"]), ("y", w["cov"])}
    assert got["tips"] == [("name", w["scenario"], None), ("year", w["year"], None), ("pct", w["median"], ".2f"),
                           ("low", w["lo"], ".1f"), ("high", w["hi"], ".1f"), ("text", w["target"], None)]
    rows = got["data"]["compare"]
    for name, q, prefix in ((w["base"], p, "baseline_coverage"), (p.scenario.name, p, "coverage"),
                            ("Half", half, "coverage")):
        mine = [r for r in rows if r["name"] == name]
        for key, col in (("pct", f"{prefix}_pct"), ("low", f"{prefix}_low_pct"), ("high", f"{prefix}_high_pct")):
            assert [r[key] for r in mine] == pytest.approx(list(q.table[col])), (name, key)
        assert [r["year"] for r in mine] == list(range(2026, 2031))
    tgs = [tg.coverage_pct for tg in p.scenario.targets]   # 34.99 % is below every line: the axis goes down to it
    lo = max(0, min([r["pct"] for r in rows] + tgs) - 2)
    assert got["data"]["extent"][0]["y"] == pytest.approx(lo) and lo == pytest.approx(32.99)
    assert got["fieldless"] == [] and got["labels"]
    lines = [layer["mark"] for layer in got["spec"]["layer"] if isinstance(layer.get("mark"), dict)
             and layer["mark"].get("type") == "line" and "point" in layer["mark"]]
    assert lines and all(m["point"]["filled"] is True for m in lines)   # each year a solid dot on the line


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_tornado_chart_titles_axes_tooltips_and_bars(shipped, lang):
    from presentation import charts
    from simulation.sensitivity import sensitivity

    region, ps = shipped
    p, w = ps[lang], WORDS[lang]
    sens = sensitivity(p.scenario, region=region)
    got = _spec_words(charts.tornado_chart(sens, lang))
    if lang == "id":
        assert got["title"] == "Asumsi mana yang paling menggeser cakupan 2030?"
        assert got["subtitle"] == ("Sumber: perhitungan simulator; iuran menurut PP 44/2015 jo. PP 82/2019 Biru: nilai "
                                   "rendah asumsi; oranye: nilai tinggi; garis: skenario saat ini.")
    else:
        assert got["title"] == "Which assumptions move coverage in 2030 most?"
    assert got["axes"] == {("x", w["cov"])}
    assert got["tips"] == [("name", " ", None), ("lo_text", w["low"], None),
                           ("coverage_low_pct", f"{w['low']}: {w['cov']}", ".1f"), ("hi_text", w["high"], None),
                           ("coverage_high_pct", f"{w['high']}: {w['cov']}", ".1f")]
    rows = got["data"]["sens"]
    take = next(r for r in rows if r["assumption"] == "take_up")
    assert (take["lo_text"], take["hi_text"]) == (("×0,7", "×1,1") if lang == "id" else ("×0.7", "×1.1"))
    assert take["label"] == take["name"] + "|" + ("rendah ×0,7 · tinggi ×1,1" if lang == "id" else
                                                  "low ×0.7 · high ×1.1")
    assert got["data"]["result"] == [{"v": pytest.approx(float(sens["base_coverage_pct"].iloc[0]))}]
    assert got["fieldless"] == []
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(got["spec"])
    still = [r for _, r in sens.iterrows() if abs(r["coverage_high_pct"] - r["coverage_low_pct"]) < 1e-9
             and abs(r["coverage_low_pct"] - r["base_coverage_pct"]) < 1e-9]
    assert len(still) == 3   # incidence, indexation, elasticity do not move coverage
    assert svg.count(">" + {"id": "tidak berpengaruh", "en": "no effect"}[lang] + "</text>") == len(still)
    policy = sens[sens["assumption"] != "trend"]   # a span under 2 points: two decimals, so close ends differ
    assert ("coverage_low_pct", f"{w['low']}: {w['cov']}", ".2f") in _spec_words(charts.tornado_chart(policy, lang))[
        "tips"]
    wide = policy.assign(coverage_high_pct=policy["coverage_high_pct"] + 2.5 * (policy["assumption"] == "take_up"))
    assert ("coverage_low_pct", f"{w['low']}: {w['cov']}", ".1f") in _spec_words(charts.tornado_chart(wide, lang))[
        "tips"]
    cost = _spec_words(charts.tornado_chart(sens, lang, metric="cost"))
    assert cost["title"] == ("Asumsi mana yang paling menggeser biaya 2030?" if lang == "id" else
                             "Which assumptions move the cost in 2030 most?")
    assert cost["axes"] == {("x", w["cost_bn"])}
    assert ("cost_low_idr", f"{w['low']}: {w['cost_bn']}", ".2f") in cost["tips"]
    take = next(r for r in cost["data"]["sens"] if r["assumption"] == "take_up")
    row = sens.set_index("assumption").loc["take_up"]
    assert take["cost_low_idr"] == pytest.approx(row["cost_low_idr"] / 1e9)
    assert take["cost_high_idr"] == pytest.approx(row["cost_high_idr"] / 1e9)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_cost_curve_chart_titles_axes_tooltips_and_named_point(shipped, lang):
    from presentation import charts
    from simulation.goalseek import cost_coverage_curve

    region, ps = shipped
    p, w = ps[lang], WORDS[lang]
    curve = cost_coverage_curve(p.scenario, 2028, region=region)
    got = _spec_words(charts.cost_curve_chart(curve, 45, 2028, lang))
    if lang == "id":
        assert got["title"] == "Biaya dan cakupan 2028 bila kelompok ditambah sesuai prioritas"
        assert got["subtitle"] == ("Sumber: perhitungan simulator; iuran menurut PP 44/2015 jo. PP 82/2019 Tiap titik "
                                   "menambah satu kelompok (semua anggota) sesuai urutan prioritas; cakupan = median.")
    else:
        assert got["title"] == "Cost and coverage in 2028 as groups are added in priority order"
    assert got["axes"] == {("x", w["cost_bn"]), ("y", w["cov"])}
    assert got["tips"] == [("label", w["added"], None), ("participants", w["part"], ",.0f"),
                           ("cost_bn", w["cost_bn"], ",.2f"), ("coverage_pct", w["cov"], ".2f")]
    assert got["data"]["target"][0]["text"] == ("Target 45 %" if lang == "id" else "Target 45%")
    rows = got["data"]["curve"]
    assert [r["cost_bn"] for r in rows] == pytest.approx(list(curve["cost_idr"] / 1e9))
    assert [r["reached"] for r in rows] == [c >= 45 for c in curve["coverage_pct"]]
    assert rows[0]["label"] == w["base"]
    best = float(curve["coverage_pct"].max())
    assert best < 45   # every group is not enough in 2028: the last point is named with its coverage
    said = f"{best:.1f}".replace(".", "," if lang == "id" else ".") + (" %" if lang == "id" else "%")
    assert said in got["data"]["note"][0]["text"]
    easy = _spec_words(charts.cost_curve_chart(curve, 40, 2028, lang))
    first = next(r for r in easy["data"]["curve"] if r["reached"])
    assert first["label"] in easy["data"]["note"][0]["text"]
    assert easy["data"]["note"][0]["cost_bn"] == pytest.approx(first["cost_bn"])


# --------------------------------------------------------------------------- Compare's rows, starting scenario, workbook


def test_compare_rows_are_the_engine_numbers_of_each_scenario(shipped):
    from presentation.summaries import compare_metrics, differences
    from simulation.projection import project

    region, ps = shipped
    p = ps["id"]
    half = project(p.scenario.replace(name="Separuh", city_share=0.5), region)
    rows = {(m.key, tuple(sorted(m.params.items()))): m for m in compare_metrics([p, half], half)}
    fin = [p.final, half.final]

    def row(key, **params):
        return rows.pop((key, tuple(sorted(params.items()))))

    m = row("compare.m_coverage", year="2030")
    assert m.kind == "pct" and m.values == pytest.approx([float(p.final["baseline_coverage_pct"])]
                                                         + [float(f["coverage_pct"]) for f in fin])
    m = row("compare.m_range", year="2030")
    assert m.kind == "range"
    assert [float(x) for v in m.values for x in v] == pytest.approx(
        [p.final["baseline_coverage_low_pct"], p.final["baseline_coverage_high_pct"]]
        + [float(f[c]) for f in fin for c in ("coverage_low_pct", "coverage_high_pct")])
    assert differences(m, 2) == [None, None, None]   # a range has no difference
    for y in (2026, 2029):   # the target years before the last
        m = row("compare.m_coverage", year=y)
        assert m.values == pytest.approx([float(p.row(y)["baseline_coverage_pct"]), float(p.row(y)["coverage_pct"]),
                                          float(half.row(y)["coverage_pct"])])
    for tg in p.scenario.targets:
        m = row("compare.m_prob", target=tg.name, coverage_pct=tg.coverage_pct)
        tr = [q.targets.set_index("target_id").loc[tg.id] for q in (p, half)]
        assert m.kind == "prob" and m.values == pytest.approx([100 * tr[0]["probability_baseline"],
                                                               100 * tr[0]["probability"], 100 * tr[1]["probability"]])
    for key, col in (("compare.m_participants", "pbi_participants"), ("compare.m_net", "pbi_added_net")):
        m = row(key, year="2030")
        assert m.kind == "count" and m.values[0] is None and m.values[1:] == pytest.approx([float(f[col]) for f in fin])
    first = [q.row(2026) for q in (p, half)]
    m = row("compare.m_cost_first", year="2026")
    assert m.values[0] is None and m.values[1:] == pytest.approx([float(r["cost_idr"]) for r in first])
    assert differences(m, 2) == [None, pytest.approx(m.values[1] - m.values[2]), 0.0]
    assert m.values[2] < m.values[1]   # the city pays half of fewer participants' contributions
    m = row("compare.m_cost_total", first="2026", last="2030")
    assert m.values[1:] == pytest.approx([float(q.table["cost_idr"].sum()) for q in (p, half)])
    m = row("compare.m_share", year="2026")
    assert m.kind == "share" and m.values[1:] == pytest.approx([float(r["cost_share_apbd_pct"]) for r in first])
    m = row("compare.m_per_point", year="2026")
    assert m.values[1:] == pytest.approx([float(r["cost_per_point_idr"]) for r in first])
    m = row("compare.m_ratio", first="2026", last="2030")
    assert m.kind == "ratio" and m.values[1:] == pytest.approx(
        [float(q.table["claims_idr"].sum() / q.table["contributions_idr"].sum()) for q in (p, half)])
    assert rows == {}   # no row more


def test_differences_are_each_column_minus_the_reference():
    from presentation.summaries import Metric, differences

    m = Metric("compare.m_cost_total", {}, "idr", [None, 300.0, 100.0, None])
    assert differences(m, 2) == [None, 200.0, 0.0, None]
    assert differences(m, 0) == [None, None, None, None]   # no reference value: no difference


@pytest.mark.parametrize(("region_id", "lang", "name"), [
    ("pontianak", "id", "Kesepakatan 2026 (Pontianak)"), ("pontianak", "en", "2026 agreement (Pontianak)"),
    ("kota_singkawang", "id", "Skenario Kota Singkawang"), ("kota_singkawang", "en", "Scenario Kota Singkawang"),
])
def test_the_starting_scenario_is_the_agreement_or_every_group(region_id, lang, name):
    from presentation.labels import starting_scenario
    from simulation.data import load_region

    region = load_region(region_id)
    for given in (region, region_id):
        s = starting_scenario(given, lang)
        assert s.name == name and s.region == region_id
        agreement = any(g.agreement for g in region.groups)
        assert [g.id for g in s.groups] == [g.id for g in region.groups]
        assert [g.in_scope for g in s.groups] == [g.agreement or not agreement for g in region.groups]
        assert [g.members for g in s.groups] == [round(g.members.value) for g in region.groups]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_workbooks_groups_sheet_names_each_column_and_holds_the_scenarios_groups(shipped, lang):
    import io

    import openpyxl

    from presentation import exports

    _, ps = shipped
    p = ps[lang]
    wb = openpyxl.load_workbook(io.BytesIO(exports.projection_workbook(p, lang)))
    sheet = wb["Kelompok" if lang == "id" else "Groups"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ({
        "id": ["Kelompok pekerja", "Dibiayai APBD", "Jumlah anggota (orang)", "Sudah terlindungi sebelumnya",
               "Tingkat keikutsertaan (take-up)", "Peserta tidak aktif (drop-out)", "Tahun mulai",
               "Masa bertahap (tahun)", "Prioritas"],
        "en": ["Group of workers", "Paid by the local government", "Members (persons)", "Already covered", "Take-up",
               "Inactive participants (drop-out)", "Start year", "Phase-in (years)", "Priority"]}[lang])
    assert [list(r) for r in rows[1:]] == [
        [g.name, g.in_scope, g.members, pytest.approx(g.already_covered), pytest.approx(g.take_up),
         pytest.approx(g.dropout), g.start_year, g.phase_in_years, g.priority] for g in p.scenario.groups]
    assert wb.sheetnames[:5] == ({"id": ["Proyeksi", "Per kelompok", "Target", "Skenario", "Kelompok"],
                                  "en": ["Projection", "By group", "Targets", "Scenario", "Groups"]}[lang])


# --------------------------------------------------------------------------- page numbers from engine results


def test_the_death_rate_sentence_quotes_the_published_rate_and_its_publisher():
    from presentation.summaries import record_death_plausibility

    assert record_death_plausibility(0.002, "id") == (
        "Tingkat kematian yang disiratkan catatan ini (0,2 % peserta per tahun) tidak melebihi angka kematian kasar "
        "Indonesia (0,68 % per tahun; CIA World Factbook 2024, 2024-07-01; kepastian M): masuk akal untuk kelompok ini.")
    assert record_death_plausibility(0.0136, "en") == (
        "The record implies deaths of 1.4% of participants a year, 2.0 times Indonesia's crude death rate (0.68% a "
        "year; CIA World Factbook 2024, 2024-07-01; certainty M): high, but possible for a cohort aged about 40–65.")


def test_a_new_cap_starts_at_the_highest_yearly_cost_rounded_up_to_a_million(shipped, make_scenario):
    from presentation.summaries import cap_start_idr
    from simulation.projection import project

    _, ps = shipped
    p = ps["id"]
    need = float(p.table["cost_idr"].max())   # Rp 1,060,384,953.6 a year
    assert cap_start_idr(p) == (int(need // 1e6) + 1) * 1e6 == 1_061_000_000
    assert cap_start_idr(project(make_scenario())) == 1e6   # nothing to pay: the smallest cap, a million


def test_what_one_participant_pays_and_the_region_pays(shipped, make_scenario):
    import math

    from presentation.summaries import per_participant
    from simulation.projection import project

    _, ps = shipped
    p = ps["id"]
    s = p.scenario.replace(city_share=0.6)
    q = project(s, p.region)
    row = q.row(2026)
    got = per_participant(q, s)
    c, n = float(row["contribution_per_person_month_idr"]), float(row["pbi_participants"])
    assert got.contribution == 16800 == c
    assert got.city == pytest.approx(float(row["cost_idr"]) / n / 12) and got.city == pytest.approx(0.6 * 16800)
    assert got.participant == pytest.approx(16800 - got.city) and got.city_by_share == pytest.approx(10080)
    assert got.contribution_year == 12 * 16800
    empty = make_scenario()
    nobody = per_participant(project(empty), empty)
    assert math.isnan(nobody.city) and nobody.contribution > 0


def _with_target(s, pct_, year=2028):
    from simulation.scenario import Target

    return s.replace(targets=(Target(id="t", name="T", year=year, coverage_pct=pct_),))


def test_the_compare_verdict_names_the_cheapest_scenario_that_reaches_the_target(shipped):
    from presentation.summaries import reaches, verdict
    from simulation.projection import project

    region, ps = shipped
    s = ps["id"].scenario
    base_2028 = float(ps["id"].row(2028)["baseline_coverage_pct"])
    target_pct = round(base_2028 + 0.5, 1)    # above the trend, below the full scenario
    full = project(_with_target(s, target_pct), region)
    half = project(_with_target(s.replace(name="Separuh", city_share=0.5), target_pct), region)
    tg = full.scenario.targets[0]
    cov = {q.scenario.name: float(q.row(2028)["coverage_pct"]) for q in (full, half)}
    reached = [q for q in (full, half) if cov[q.scenario.name] >= target_pct]
    assert full in reached and [reaches(q, tg) for q in (full, half)] == [q in reached for q in (full, half)]
    best = min(reached, key=lambda q: float(q.table["cost_idr"].sum()))
    v = verdict([full, half], tg)
    assert v.kind == "cheapest" and v.projection is best
    assert v.cost_idr == pytest.approx(float(best.table["cost_idr"].sum()))
    assert v.probability_pct == pytest.approx(100 * float(best.targets.iloc[0]["probability"]))
    far = project(_with_target(s, 60.0), region)
    v = verdict([far], far.scenario.targets[0])
    assert v.kind == "none" and v.projection is far
    assert v.coverage_pct == pytest.approx(float(far.row(2028)["coverage_pct"]))
    assert v.gap_pp == pytest.approx(float(far.row(2028)["coverage_pct"]) - 60.0) and v.gap_pp < 0


def test_compare_keeps_one_of_two_identical_scenarios_and_makes_names_unique(make_scenario):
    from presentation.summaries import distinct_variants

    a = make_scenario(name="A")
    same = a.replace(name="A copy")                   # the same scenario under another name
    other = a.replace(city_share=0.5)                 # another scenario with the same name
    third = a.replace(city_share=0.4, name="C")
    got = distinct_variants([(0, a), (1, same), (2, other), (3, third)])
    assert sorted(got) == [0, 2, 3]
    assert [got[i].name for i in (0, 2, 3)] == ["A", "A (2)", "C"]
    assert got[2].city_share == 0.5
    few = distinct_variants([(0, a), (1, other), (4, third), (5, a.replace(city_share=0.3))], fill_from=4, enough=2)
    assert sorted(few) == [0, 1]   # from index 4 on, only to fill up to 2


# --------------------------------------------------------------------------- a file's problem in the reader's words


def test_a_files_problem_is_said_with_sheet_row_column_and_numbers_the_readers_way():
    from presentation.problems import problem_text
    from simulation.io import Problem

    big = Problem("too_large", params={"size": 12_345_678, "limit": 10_000_000})
    assert problem_text(big, "id") == "Berkas terlalu besar (12,3 MB); batasnya 10 MB"
    assert problem_text(big, "en") == "The file is too large (12.3 MB); the limit is 10 MB"
    cell = Problem("out_of_range", row=4, column="Cakupan (%)", sheet="Wilayah",
                   params={"min": 0, "max": 1500.5, "value": "2000"})
    assert problem_text(cell, "id") == "Lembar «Wilayah»: Baris 4, kolom Cakupan (%): harus di antara 0 dan 1.500,5 (2000)"
    assert problem_text(cell, "en") == "Sheet «Wilayah»: Row 4, column Cakupan (%): must lie between 0 and 1,500.5 (2000)"
    column = Problem("out_of_range", column="Cakupan (%)", params={"min": 0, "max": 100, "value": "x"})
    assert problem_text(column, "en") == "Column Cakupan (%): must lie between 0 and 100 (x)"
    odd = Problem("no_such_code_yet")
    assert problem_text(odd, "id") == "Masalah «no_such_code_yet»"
