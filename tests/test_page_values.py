"""Pages show the engine's numbers: each metric, table cell and sentence number a page draws (AppTest), read
back from the text as shown (Indonesian: "1.234,5", "-3,7 poin", "Rp 1,06 miliar", "0,051 %"), equals the
engine's value computed here, with its sign, unit and rounding.

The expected values come from the engine (project, goal_seek) and the region file, with the arithmetic done in
this file (share of APBD = cost / APBD x 100, gap = coverage - target, goal-seek's participants = the plan's
participants minus the scenario's): never from presentation/summaries.py or the formatting helpers the pages
call, so a fault there shows here.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from apptest_helpers import open_view

from simulation import goal_seek, project
from simulation.data import load_region
from simulation.scenario import default_scenario

UNITS = {"ribu": 1e3, "juta": 1e6, "miliar": 1e9, "triliun": 1e12}
NUMBER = re.compile(r"([+\-−]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?")


def read(text: str, unit: str) -> tuple[float, float]:
    """(value, half a unit of its last shown digit) of the first number in ``text`` as shown in Indonesian;
    asserts the unit is shown: "%" (percent), "poin" (points), "Rp" (rupiah, with juta/miliar/triliun) or ""."""
    t = text.replace("\\", "").replace("\u00a0", " ").strip()
    m = NUMBER.search(t)
    assert m, f"no number in {text!r}"
    dec = m.group(3) or ""
    value = float(m.group(2).replace(".", "") + ("." + dec if dec else ""))
    half = 0.5 * 10 ** -len(dec)
    after = t[m.end():].strip()
    scale = UNITS.get(after.split(" ")[0].rstrip(".,*"), 1.0) if after else 1.0
    if unit == "Rp":
        assert t[:m.start()].rstrip("+-− ").endswith("Rp"), f"no Rp in {text!r}"
    elif unit:
        assert after.startswith(unit), f"{text!r} is not in {unit}"
    sign = -1.0 if m.group(1) in ("-", "−") else 1.0
    return sign * value * scale, half * scale


def shows(text: str, engine: float, unit: str) -> None:
    value, half = read(text, unit)
    assert abs(value - engine) <= half * (1 + 1e-9), f"page shows {text!r}, the engine's value is {engine!r}"


def metrics(at) -> dict[str, tuple[str, str]]:
    """{label as read (Markdown escapes undone, the assumption tag dropped): (value, delta)}"""
    return {re.sub(r"\\(.)", r"\1", m.label).replace(" 🏷️", ""): (m.value, m.delta) for m in at.metric}


def markdown_table(at, header: str) -> list[dict[str, str]]:
    """The rows of the Markdown table whose header row holds ``header``, as {column: cell} (the table's lines only:
    an element may carry a heading above the table and a note under it)."""
    for md in at.markdown:
        lines = [x for x in md.value.splitlines() if x.startswith("|")]
        if lines and header in lines[0]:
            cols = [c.strip() for c in lines[0].strip("|").split("|")]
            return [dict(zip(cols, (re.sub(r"\\(.)", r"\1", c.strip()) for c in line.strip("|").split("|")),
                             strict=True)) for line in lines[2:]]
    raise AssertionError(f"no table with {header!r}")


@pytest.fixture(scope="module")
def pontianak():
    return load_region("pontianak")


# --------------------------------------------------------------------------- Ringkasan / Overview
def test_overview_metrics_are_the_engine_numbers(pontianak):
    s = default_scenario()
    p = project(s, pontianak)
    r = p.row(2026)
    m = metrics(open_view("views/overview.py", scenario=s))
    shows(m["Cakupan 2025"][0], pontianak.coverage_history[-1].value, "%")
    shows(m["Peserta PBI 2026"][0], r["pbi_participants"], "")
    shows(m["Biaya APBD 2026"][0], r["cost_idr"], "Rp")
    shows(m["Porsi APBD 2026"][0], r["cost_idr"] / pontianak.apbd_in(2026) * 100, "%")
    for tg in s.targets:
        (value, delta), = [v for k, v in m.items() if k.startswith(tg.name + " (")]
        cov = float(p.row(tg.year)["coverage_pct"])
        shows(value, cov, "%")
        shows(delta, cov - tg.coverage_pct, "poin")       # negative = short of the target
    # both signs occur in the shipped targets: the page cannot pass with the gap's sign flipped
    gaps = [float(p.row(tg.year)["coverage_pct"]) - tg.coverage_pct for tg in s.targets]
    assert min(gaps) < -0.5 and max(gaps) > 0.5


# --------------------------------------------------------------------------- Proyeksi / Projection
def test_projection_targets_table_is_the_engine_numbers():
    s = default_scenario()
    p = project(s)
    rows = markdown_table(open_view("views/projection.py", scenario=s), "Selisih")
    assert len(rows) == len(s.targets)
    for row, tg in zip(rows, s.targets, strict=True):
        cov = float(p.row(tg.year)["coverage_pct"])
        tr = p.targets[p.targets["target_id"] == tg.id].iloc[0]
        assert row["Target"] == tg.name
        shows(row["Target cakupan"], tg.coverage_pct, "%")
        shows(row["Median tanpa kebijakan baru"], float(p.row(tg.year)["baseline_coverage_pct"]), "%")
        shows(row["Median skenario"], cov, "%")
        gap_col = next(c for c in row if c.startswith("Selisih"))
        shows(row[gap_col], cov - tg.coverage_pct, "poin")
        shows(row["Peluang dengan skenario"], 100 * float(tr["probability"]), "%")


def test_projection_cost_sentence_is_the_engine_numbers():
    s = default_scenario()
    t = project(s).table
    at = open_view("views/projection.py", scenario=s)
    # the section's heading and its sentence are one Markdown element
    sentence = next(body for md in at.markdown for body in md.value.split("\n\n") if body.startswith("Iuran Rp"))
    parts = re.findall(r"\*\*(.+?)\*\*", sentence)
    shows(sentence, float(t["contribution_per_person_month_idr"].iloc[0]), "Rp")
    shows(parts[0], float(t["cost_idr"].iloc[0]), "Rp")
    shows(parts[1], float(t["cost_idr"].sum()), "Rp")


# --------------------------------------------------------------------------- Capai target / Goal-seek
def _goal_page(s, target: str):
    at = open_view("views/goalseek.py", scenario=s)
    box = next(w for w in at.text_input if w.key == "w.goal.target")
    box.input(target).run()
    assert not at.exception and not at.error
    return at


def test_goalseek_metrics_are_what_its_plan_adds(pontianak):
    s = default_scenario()
    at = _goal_page(s, "42")
    year = 2026
    res = goal_seek(s, 42.0, year)
    assert res.feasible and not res.already_reached
    base = s.replace(budget_cap_idr=None)
    now, plan = project(base).row(year), project(res.scenario).row(year)
    m = metrics(at)
    # the participants the page says it adds are the ones its plan's projection has in addition
    shows(m["Peserta tambahan"][0], float(plan["pbi_participants"] - now["pbi_participants"]), "")
    shows(m["Anggota didaftarkan"][0], sum(g.members for g in res.scenario.groups if g.in_scope)
          - sum(g.members for g in base.groups if g.in_scope), "")
    shows(m[f"Cakupan {year} yang dicapai"][0], float(plan["coverage_pct"]), "%")
    shows(m[f"Anggaran {year}"][0], float(plan["cost_idr"]), "Rp")
    shows(m["Tambahan anggaran"][0], float(plan["cost_idr"] - now["cost_idr"]), "Rp")
    shows(m["Porsi APBD"][0], float(plan["cost_idr"]) / pontianak.apbd_in(year) * 100, "%")
    assert float(plan["coverage_pct"]) >= 42.0   # and the plan does reach the target it answers


# --------------------------------------------------------------------------- Bandingkan / Compare
def test_compare_table_is_the_engine_numbers(pontianak):
    s = default_scenario()
    p = project(s)
    at = open_view("views/compare.py", scenario=s)
    table = at.dataframe[0].value   # a grid (st.dataframe): labels and cells as shown
    col = s.name
    fy, ly = int(p.table["year"].iloc[0]), int(p.table["year"].iloc[-1])
    shows(table.loc[f"Cakupan {ly} (median)", col], float(p.final["coverage_pct"]), "%")
    shows(table.loc[f"Cakupan {ly} (median)", "Tanpa kebijakan baru"], float(p.final["baseline_coverage_pct"]), "%")
    shows(table.loc[f"Peserta PBI {ly}", col], float(p.final["pbi_participants"]), "")
    shows(table.loc[f"Biaya APBD {fy}", col], float(p.table["cost_idr"].iloc[0]), "Rp")
    shows(table.loc[f"Total biaya APBD {fy}–{ly}", col], float(p.table["cost_idr"].sum()), "Rp")
    shows(table.loc[f"Porsi dari APBD {fy}", col], float(p.table["cost_idr"].iloc[0]) / pontianak.apbd_in(fy) * 100,
          "%")


def test_compare_counts_a_target_met_exactly_as_met():
    """The target is the scenario's own coverage: gap 0, met; the verdict names a scenario that reaches it.
    Every group is in scope and the city pays all, so every variant the page compares (other route, other base)
    has the same coverage: none is above the target, all are exactly on it."""
    s = default_scenario()
    s = s.replace(groups=[replace(g, in_scope=True) for g in s.groups])
    cov = float(project(s).row(2029)["coverage_pct"])
    s = s.replace(targets=[replace(s.targets[0], year=2029, coverage_pct=cov)])
    at = open_view("views/compare.py", scenario=s)
    assert [w.value for w in at.warning] == []
    assert len(at.success) == 1 and "«" in at.success[0].value


# --------------------------------------------------------------------------- Sensitivitas / Sensitivity
def _factor(text: str) -> float:
    return float(text.replace("×", "").replace("%", "").replace(",", ".").strip())


def test_sensitivity_rows_are_the_scenario_at_the_labelled_values():
    s = default_scenario()
    at = open_view("views/sensitivity.py", scenario=s)
    coverage, money = at.table[0].value, at.table[1].value
    names = {"Tingkat partisipasi (take-up)": "take_up", "Peserta tidak aktif (drop-out)": "dropout",
             "Sudah terlindungi sebelumnya": "already_covered", "Indeksasi dasar upah": "indexation",
             "Elastisitas take-up terhadap iuran mandiri": "takeup_elasticity",
             "Pertumbuhan pekerja potensial": "worker_growth"}
    seen = set()
    for (_, c), (_, mo) in zip(coverage.iterrows(), money.iterrows(), strict=True):
        key = names.get(c["Asumsi"])
        if key is None:
            continue
        lo_text, hi_text = re.match(r"rendah (.+), tinggi (.+)$", mo["Nilai rendah dan tinggi"]).groups()
        for side, text in (("rendah", lo_text), ("tinggi", hi_text)):
            v = _factor(text)
            if key in ("take_up", "dropout", "already_covered"):
                variant = s.replace(groups=[replace(g, **{key: min(1.0, max(0.0, getattr(g, key) * v))})
                                            for g in s.groups])
            else:
                variant = s.replace(**{{"indexation": "indexation_pct", "worker_growth": "worker_growth_pct"}
                                       .get(key, key): v})
            fin = project(variant).final
            shows(c[f"Cakupan ({side})"], float(fin["coverage_pct"]), "%")
            shows(mo[f"Biaya ({side})"], float(fin["cost_idr"]), "Rp")
        seen.add(key)
    assert seen == set(names.values())


# --------------------------------------------------------------------------- Presentasi / Present
def _slide(at, k: int):
    at.session_state["present_slide"] = k
    at.run()
    assert not at.exception
    return at.header[0].value, next(md.value for md in at.markdown if "Simulator PBI" not in md.value)


def test_present_slides_are_the_engine_numbers(pontianak):
    s = default_scenario()
    s = s.replace(targets=[replace(s.targets[0], coverage_pct=42.0)])   # reachable with groups: slide 5 says how
    p = project(s, pontianak)
    r = p.row(2026)
    at = open_view("views/present.py", scenario=s)
    title, body = _slide(at, 1)
    shows(title.split("diperkirakan")[1], float(r["coverage_pct"]), "%")
    title, body = _slide(at, 2)
    shows(title.split(":")[1], float(r["cost_idr"]), "Rp")
    n, share = re.findall(r"\*\*(.+?)\*\*", body)[:2]
    shows(n, float(r["pbi_participants"]), "")
    shows(share, float(r["cost_idr"]) / pontianak.apbd_in(2026) * 100, "%")
    title, body = _slide(at, 4)
    res = goal_seek(s, 42.0, 2026)
    plan, now = project(res.scenario).row(2026), project(s).row(2026)
    n, cost = re.findall(r"\*\*(.+?)\*\*", body)[:2]
    shows(n, float(plan["pbi_participants"] - now["pbi_participants"]), "")
    shows(cost, float(plan["cost_idr"]), "Rp")


def test_reader_reads_what_the_pages_write():
    assert read("-3,7 poin", "poin") == (-3.7, pytest.approx(0.05))
    assert read("\\-3,7 poin", "poin")[0] == -3.7
    assert read("Rp 1,06 miliar", "Rp") == (pytest.approx(1.06e9), pytest.approx(5e6))
    assert read("5.408", "") == (5408.0, 0.5)
    assert read("0,051 %", "%") == (pytest.approx(0.051), pytest.approx(5e-4))
    with pytest.raises(AssertionError):
        read("41,3 %", "poin")
