"""Benchmark: measure the budgets of the performance issue on this machine and write docs/PERFORMANCE.md.

Usage: .venv/bin/python -m bench.run [--quick] [--only engine,app,export,browser,upload,memory,load [--write]]

Prints a table (median and spread over repeated runs) and rewrites docs/PERFORMANCE.md with the date, the
machine's cores and load, and how each figure is measured (``METHODS`` below). The default runs every part;
``--quick`` repeats each measure fewer times. A run of some parts (``--only``) prints its figures and leaves
docs/PERFORMANCE.md as it is, so that the record keeps every row, unless ``--write`` asks for a file of those
rows only. Nothing here is a test: no wall time is asserted in tests/.

The browser parts start the app with ``streamlit run app.py`` on a free 127.0.0.1 port, in its own process
group (stopped with ``killpg`` on that group), and drive Debian's Chromium (/usr/bin/chromium) through
Playwright. The comparison app (one slider, one chart) is generated into a temporary directory.

Why one long file (about 800 lines): each part's measure sits beside its budget and beside the text of
``METHODS`` that says how it is measured, which docs/PERFORMANCE.md prints; the shared browser plumbing is in
bench/browser.py and the load part in bench/load.py.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.browser import (  # noqa: E402
    RUNS_JS,
    Server,
    app_server,
    blank_server,
    launch,
    new_page,
    open_page,
    runs_within,
    settled_chart_count,
    upload_files,
    workdir,
)
from bench.load import bench_load  # noqa: E402

PARTS = ("engine", "app", "export", "browser", "upload", "memory", "load")   # load: bench/load.py
ROWS: list[dict] = []

# The budgets of the issue: what users feel (a budget of None: reported, not judged).
BUDGET_START_S = 5.0          # server start → the first page's charts drawn
BUDGET_NEW_SESSION_S = 1.5    # a new session's first page on a running server → its charts drawn
BUDGET_EDIT_RATIO = 1.3       # edit → every chart updated, ÷ the blank app's slider → chart (each page)
BUDGET_MEMORY_MB = 500        # five browser sessions open
BUDGET_RERUN_S = 0.150        # AppTest: one page's rerun after a scenario edit
BUDGET_UPLOAD_RATIO = 2.0     # another session's edit while one session uploads, ÷ the same edit without upload


# --------------------------------------------------------------------------- recording
def measure(name: str, fn: Callable[[], object], budget: float | None, repeat: int = 30, warmup: int = 2,
            unit: str = "ms", note: str = "") -> dict:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return record(name, times, budget, unit, note)


def _scale(unit: str) -> float:
    return 1000 if unit == "ms" else 1


def record(name: str, values: list[float], budget: float | None, unit: str = "ms", note: str = "") -> dict:
    """One row: ``values`` in seconds for units ms and s, else in the unit itself (MB, ×)."""
    med = statistics.median(values)
    q = sorted(values)
    lo, hi = q[int(0.1 * (len(q) - 1))], q[int(0.9 * (len(q) - 1))]
    row = {"name": name, "median": med, "p10": lo, "p90": hi, "n": len(values), "budget": budget, "unit": unit,
           "ok": None if budget is None else med <= budget, "note": note}
    ROWS.append(row)
    sc = _scale(unit)
    status = "" if budget is None else ("OK" if row["ok"] else "OVER")
    print(f"{name:<66} {med * sc:9.2f} {unit}  (p10 {lo * sc:.2f}, p90 {hi * sc:.2f}, n={len(values)})"
          f"  budget {'-' if budget is None else f'{budget * sc:g} {unit}'} {status} {note}", flush=True)
    return row


# --------------------------------------------------------------------------- engine
def bench_engine(quick: bool) -> None:
    from simulation import default_scenario, goal_seek, project
    from simulation.data import load_region
    from simulation.forecast import fit_forecast
    from simulation.projection import baseline_forecast

    s = default_scenario()
    region = load_region("pontianak")
    baseline_forecast(region, 2035)
    s10 = s.replace(horizon_year=2035)
    n_years = len(project(s10, region).table)
    measure(f"engine: one scenario projected over {n_years} years with its bands (forecast cached)",
            lambda: project(s10, region), 0.005)
    hist = region.coverage_history
    years = [v.year for v in hist]
    shares = [v.value / 100 for v in hist]
    from simulation import forecast

    def fresh_fit():   # statsmodels' fit itself, not the in-memory cache that serves every later rerun
        forecast._wls_fit.cache_clear()
        return fit_forecast(years, shares, 2035)

    measure(f"engine: forecast fit from history ({len(years)} points, statsmodels WLS, uncached)", fresh_fit, 0.050)
    p = project(s10, region)
    fc = p.forecast
    measure("engine: probability of each target", lambda: [fc.prob_at_least(t.year, t.coverage_pct / 100)
                                                          for t in s10.targets], 0.050)
    measure("engine: goal-seek (45 % in 2028)", lambda: goal_seek(s10, 45, 2028, region=region), 0.050,
            repeat=10 if quick else 30)
    # batch over 500 synthetic regions
    import random

    from simulation.batch import run_batch
    rng = random.Random(0)
    lines = ["region_id;name;potential_workers;potential_workers_year;coverage_2022;coverage_2023;coverage_2024;"
             "coverage_2025;members_rt_heads;members_street_vendors"]
    for i in range(500):
        c = rng.uniform(15, 60)
        cov = [c + k * rng.uniform(-1, 3) for k in range(4)]
        lines.append(f"r{i};Region {i};{rng.randint(20_000, 2_000_000)};2024;"
                     + ";".join(f"{x:.2f}".replace(".", ",") for x in cov)
                     + f";{rng.randint(100, 5000)};{rng.randint(100, 20000)}")
    text = "\n".join(lines)
    times = []
    for _ in range(1 if quick else 3):
        t0 = time.perf_counter()
        out = run_batch(s, text)
        times.append(time.perf_counter() - t0)
    record("engine: batch over 500 synthetic regions", times, 15, unit="s",
           note=f"{len(out)} rows, {os.cpu_count()} cores")


# --------------------------------------------------------------------------- app (AppTest)
APP_PAGES = ["views/overview.py", "views/scenario.py", "views/projection.py", "views/compare.py",
             "views/goalseek.py", "views/sensitivity.py", "views/library.py", "views/present.py",
             "views/data.py", "views/about.py"]


@contextlib.contextmanager
def _shared_script_cache():
    """AppTest compiles app.py and the page on every run; the server compiles each script once and keeps its
    bytecode. One shared script cache makes AppTest do as the server does, so that the figure is the script's
    own time."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner
    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def bench_app(quick: bool) -> None:
    import logging

    from streamlit.testing.v1 import AppTest
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    n = 6 if quick else 15
    edits = iter(range(10_000))
    with _shared_script_cache():
        for page in APP_PAGES:
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
            at.run()
            if page != "views/overview.py":
                at.switch_page(page).run()
            at.run()
            times = []
            for _ in range(n):
                # a scenario edit to a value not used before on any page (the regional share steps down), so
                # each rerun recomputes the projection and everything drawn from it: no cache of an earlier run
                # (this page's or another's) helps
                sc = at.session_state["scenarios"]["pontianak"]
                at.session_state["scenarios"]["pontianak"] = sc.replace(city_share=round(0.99 - 0.004 * next(edits), 4))
                t0 = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t0)
            note = "" if not at.exception else f"EXCEPTION: {at.exception[0].message}"
            record(f"app: rerun after a scenario edit, {page}", times, BUDGET_RERUN_S, note=note)


# --------------------------------------------------------------------------- export
def bench_export(quick: bool) -> None:
    from presentation import charts, exports
    from simulation import default_scenario
    from simulation.data import load_region
    from ui import model

    region = load_region("pontianak")
    base = default_scenario()
    counter = iter(range(10_000))

    def fresh():
        """A projection of a scenario not drawn before (no cached PNG, chart or projection)."""
        return model.project(base.replace(city_share=round(0.995 - 0.0049 * next(counter), 4)), region)

    # the chart as drawn on the page (built before the click), then the click: chart_png with the footer
    n_png = 6 if quick else 16
    shown = []
    for _ in range(n_png + 2):
        p = fresh()
        shown.append((charts.fan_chart(p, "id"), exports.footer_text(p.scenario, "id")))
    queue = iter(shown)

    def png() -> bytes:
        chart, footer = next(queue)
        return exports.chart_png(chart, scale=2, footer=footer)

    t0 = time.perf_counter()
    png()
    record("export: first chart PNG 2× in a process (starts vl-convert)", [time.perf_counter() - t0], None, "s")
    measure("export: one chart (fan) to PNG 2× (warm; a chart not exported before)", png, 0.3, repeat=n_png,
            warmup=1, unit="s")
    # the share of vl-convert itself: the same kind of chart, its Vega spec already prepared (compiled once per
    # structure, tables and footer put in: presentation/exports/images.py), rendered to PNG 2×
    import vl_convert as vlc
    specs = []
    for _ in range(n_png + 1):
        p = fresh()
        specs.append(exports.images._figure_vega(charts.fan_chart(p, "id"), exports.footer_text(p.scenario, "id")))
    rendered = iter(specs)
    measure("export: … of which vl-convert rendering the prepared spec", lambda: vlc.vega_to_png(
        next(rendered), scale=2), None, repeat=n_png, warmup=1, unit="s")
    # what the council buttons run on a click: the scenario's report (goal-seek included), then the file
    measure("export: council deck (PPTX)", lambda: exports.council_deck_pptx(
        model.report(fresh().scenario, region, "id")), 3, repeat=2 if quick else 5, warmup=1, unit="s")
    measure("export: PDF brief", lambda: exports.brief_pdf(model.report(fresh().scenario, region, "id")), 3,
            repeat=2 if quick else 5, warmup=1, unit="s")


# --------------------------------------------------------------------------- browser
def bench_browser(quick: bool) -> None:
    from playwright.sync_api import sync_playwright

    from presentation.i18n import t

    with workdir() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        try:
            _browser_start(browser, tmp, 2 if quick else 5)
            _browser_edit(browser, tmp, 4 if quick else 16, t)   # 16 steps: each a value not seen before
        finally:
            browser.close()


def _visit(server, page, took: list, run: list, cpu: list) -> None:
    """Open ``/`` of a running server in ``page``: the time to its chart drawn, and the session's first script run
    inside the server (wall and script-thread CPU)."""
    e1, t1 = time.time(), time.perf_counter()
    open_page(page, server.url + "/", n_charts=1)
    took.append(time.perf_counter() - t1)
    walls, cpus = runs_within(server.runlog, [(e1, time.time())])
    if walls:
        run.append(walls[0])
        cpu.append(cpus[0])


def _browser_start(browser, tmp: Path, n: int) -> None:
    """Server start (process spawned) to the first page's charts drawn, in a browser already running; then, on
    that running server, a first visit (a fresh browser context: empty cache) opening the first page, to its charts
    drawn; then a new session of a browser that has opened the app before (a new tab of that context)."""
    times, ready, first_run, first_cpu, second, second_run, second_cpu = [], [], [], [], [], [], []
    tab, tab_run, tab_cpu = [], [], []
    for i in range(n):
        server = app_server(tmp, f"start{i}", timed=True)
        context, page = new_page(browser)
        try:
            t0 = time.perf_counter()
            server.start()
            ready.append(time.perf_counter() - t0)
            open_page(page, server.url + "/", n_charts=1)
            times.append(time.perf_counter() - t0)
            walls, cpus = runs_within(server.runlog, [(0, float("inf"))])
            if walls:
                first_run.append(walls[0])
                first_cpu.append(cpus[0])
            context2, page2 = new_page(browser)
            try:
                _visit(server, page2, second, second_run, second_cpu)
                # a new tab: a new session, the browser's cache holds the frontend
                _visit(server, context2.new_page(), tab, tab_run, tab_cpu)
            finally:
                context2.close()
        finally:
            context.close()
            server.stop()
    record("browser: server start to the server answering (health)", ready, None, "s")
    record("browser: server start to the first page's charts drawn", times, BUDGET_START_S, "s")
    if first_run:
        record("browser: … of which the first script run inside the server (imports included)", first_run, None,
               "s", note=f"script-thread CPU median {statistics.median(first_cpu):.2f} s")
    record("browser: a first visit on a running server (a browser that never opened the app), to its charts drawn",
           second, None, "s", note="Streamlit's frontend and Vega's code into an empty cache: see below")
    if second_run:
        record("browser: … of which that session's first script run inside the server", second_run, None, "s",
               note=f"script-thread CPU median {statistics.median(second_cpu):.2f} s")
    record("browser: a new session's first page on a running server (a new tab), to its charts drawn", tab,
           BUDGET_NEW_SESSION_S, "s")
    if tab_run:
        record("browser: … of which that session's first script run inside the server", tab_run, None, "s",
               note=f"script-thread CPU median {statistics.median(tab_cpu):.2f} s")


# The pages whose edit is timed against the blank app: (URL path, name in the rows, how one edit is made, what
# must have changed once the run is over). "charts": every chart of the page redrawn; "metrics": the page has no
# chart (Skenario), so its figures (metric values) changed.
EDIT_PAGES = [("proyeksi", "Projection", "slider", "charts"),
              ("skenario", "Skenario", "slider", "metrics"),
              ("bandingkan", "Bandingkan", "multiselect", "charts")]


def _browser_edit(browser, tmp: Path, n: int, t) -> None:
    """Edit → every chart updated, on each page of EDIT_PAGES, against a blank one-slider, one-chart app."""
    app, blank = app_server(tmp, "edit", timed=True), blank_server(tmp)
    app.start()
    blank.start()
    ctx_b, pb = new_page(browser)
    results = []
    try:
        # the blank app: slider one step to the right (a value not seen before) → the chart redrawn
        open_page(pb, blank.url + "/", n_charts=1)
        blank_slider = pb.locator("[data-testid=stSlider] input[type=range]").first

        def blank_once() -> float:
            before = pb.evaluate("() => window.__pbiSigs()")
            blank_slider.focus()
            t0 = time.perf_counter()
            blank_slider.press("ArrowRight")
            pb.wait_for_function("(b) => window.__pbiChanged(b)", arg=before, timeout=30_000, polling="raf")
            return time.perf_counter() - t0

        for path, name, how, what in EDIT_PAGES:
            ctx_a, pa = new_page(browser)   # a session of its own: the page's first edit starts from the default
            try:
                results.append((name, *_edit_rounds(pa, app, path, how, what, n, t, blank_once)))
            finally:
                ctx_a.close()
    finally:
        ctx_b.close()
        app.stop()
        blank.stop()
    for name, label, blank_t, page_t, windows in results:
        record(f"browser: blank app, slider step → its chart redrawn (beside {name})", blank_t, None)
        record(f"browser: {name}, {label}", page_t, None)
        walls, cpus = runs_within(app.runlog, windows)
        if walls:
            record(f"browser: … of which the {name} script run inside the server (wall)", walls, None,
                   note=f"script-thread CPU median {statistics.median(cpus) * 1000:.0f} ms")
        ratio_row(f"browser: edit → every chart updated, {name} ÷ blank app", page_t, blank_t, BUDGET_EDIT_RATIO)


def ratio_row(name: str, values: list[float], reference: list[float], budget: float) -> dict:
    """A row of the ratio of two medians, with the spread of the paired ratios (measured round by round)."""
    ratios = sorted(v / r for v, r in zip(values, reference, strict=True))
    ratio = statistics.median(values) / statistics.median(reference)
    ok = ratio <= budget
    ROWS.append({"name": name, "median": ratio, "p10": ratios[int(0.1 * (len(ratios) - 1))],
                 "p90": ratios[int(0.9 * (len(ratios) - 1))], "n": len(ratios), "budget": budget, "unit": "×",
                 "ok": ok, "note": "ratio of the medians; spread of the paired ratios"})
    print(f"{name:<66} {ratio:9.2f} ×  budget {budget} × {'OK' if ok else 'OVER'}", flush=True)
    return ROWS[-1]


def _edit_rounds(pa, app: Server, path: str, how: str, what: str, n: int, t, blank_once):
    """One page's edits, interleaved with the blank app's: (row label, blank times, page times, time windows)."""
    row, page_once, windows = _page_edit(pa, app, path, how, what, t)
    # one round unmeasured (first use of each code path in both servers)
    blank_once()
    page_once()
    windows.clear()
    blank_t, page_t = [], []
    for _ in range(n):   # interleaved, so that a change in the machine's load hits both alike
        blank_t.append(blank_once())
        page_t.append(page_once())
    assert pa.locator("[data-testid=stException]").count() == 0, f"the page {path} shows an error"
    return row, blank_t, page_t, windows


def _page_edit(pa, app: Server, path: str, how: str, what: str, t):
    """Open a page of EDIT_PAGES and prepare its edit: (row label, one timed edit [s], the edits' time windows)."""
    open_page(pa, f"{app.url}/{path}")
    n_charts = settled_chart_count(pa)
    if path == "skenario":   # the regional-share slider is on the budget tab
        pa.get_by_role("tab", name=t("scenario.tab_budget", "id")).click()
        pa.wait_for_function("() => window.__pbiIdle()", timeout=60_000)
    sigs = "window.__pbiSigs()" if what == "charts" else "window.__pbiMetrics()"
    changed = "(b) => window.__pbiChanged(b)" if what == "charts" else "(b) => window.__pbiMetricsChanged(b)"
    if how == "slider":
        label = t("scenario.regional_share", "id")
        slider = pa.locator("[data-testid=stSlider]").filter(has_text=label).locator("input[type=range]").first
        slider.wait_for(state="attached")
        # every step a new value, for 20 steps (0-100 % in steps of 5); then back the other way (values seen
        # before: cached projections answer; only the upload part makes that many edits on one page)
        direction = {"key": "ArrowLeft" if float(slider.input_value()) > 50 else "ArrowRight"}
        row = (f"regional-share slider step → all {n_charts} charts redrawn" if what == "charts"
               else "regional-share slider step (budget tab) → its figures updated")

        def prepare() -> None:
            slider.focus()
            value = float(slider.input_value())
            if value <= 0 or value >= 100:
                direction["key"] = "ArrowRight" if value <= 0 else "ArrowLeft"

        def edit() -> None:
            slider.press(direction["key"])
    else:
        # the variants compared: the last one taken out (Backspace in the box), then put back (its option
        # chosen again), in turn; each selection's chart is drawn from cached projections after its first showing
        box = pa.locator("[data-testid=stMultiSelect] input").first
        box.wait_for(state="attached")
        state = {"out": False}
        row = f"variant taken out of / put back into the comparison → all {n_charts} charts redrawn"

        def prepare() -> None:   # not timed: focus the box, and open its list when a variant is to be put back
            box.focus()
            if state["out"]:
                box.press("ArrowDown")
                pa.locator("[role=option]").first.wait_for()

        def edit() -> None:
            box.press("Enter" if state["out"] else "Backspace")
            state["out"] = not state["out"]
    windows: list[tuple[float, float]] = []

    def page_once() -> float:
        before = pa.evaluate(f"() => {sigs}")
        prepare()
        e0, t0 = time.time(), time.perf_counter()
        edit()
        pa.wait_for_function(changed, arg=before, timeout=30_000, polling="raf")
        windows.append((e0, time.time()))
        if how == "multiselect":
            pa.keyboard.press("Escape")   # close the list of options
        return time.perf_counter() - t0

    return row, page_once, windows


# --------------------------------------------------------------------------- upload under load
def bench_upload(quick: bool) -> None:
    """Another session's edit on Projection while one session uploads a costly file on the Data page."""
    from playwright.sync_api import sync_playwright

    from presentation.i18n import t

    n = 4 if quick else 10
    with workdir() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        files = upload_files(tmp)
        app = app_server(tmp, "upload", timed=True)
        app.start()
        ctx_a, ctx_b = None, None
        try:
            ctx_a, pa = new_page(browser)
            pa.add_init_script(RUNS_JS)
            open_page(pa, f"{app.url}/data")
            pa.get_by_role("tab", name=t("data.tab_upload", "id"), exact=False).click()
            upload = pa.locator("[data-testid=stFileUploader] input[type=file]").first
            upload.wait_for(state="attached")   # the tab is built on its click (a run)
            pa.wait_for_function("() => window.__pbiIdle()", timeout=60_000)   # and that run is over
            ctx_b, pb = new_page(browser)
            _row, edit_once, windows = _page_edit(pb, app, "proyeksi", "slider", "charts", t)

            def uploading(path: Path) -> Callable[[], float]:
                def once() -> float:
                    """A sets the file; as soon as its run (reading the file) has started, B's timed edit."""
                    runs = pa.evaluate("() => window.__pbiRuns")
                    upload.set_input_files(str(path))
                    pa.wait_for_function(   # its run seen starting, or (a run too short to be seen) its result
                        "([r, name]) => window.__pbiRuns > r || document.querySelector('[data-testid=stMain]')"
                        ".innerText.includes(name)", arg=[runs, path.name], timeout=60_000, polling="raf")
                    took = edit_once()
                    pa.wait_for_function("() => window.__pbiIdle()", timeout=60_000)
                    pa.get_by_text(path.name, exact=False).first.wait_for(timeout=60_000)
                    return took
                return once

            loaded = [uploading(path) for _, _, path in files]
            edit_once()   # one round unmeasured (first use of each code path)
            for once in loaded:
                once()
            windows.clear()
            plain: list[float] = []
            under: list[list[float]] = [[] for _ in files]
            for _ in range(n):   # interleaved, so that a change in the machine's load hits all alike
                plain.append(edit_once())
                for i, once in enumerate(loaded):
                    under[i].append(once())
            for pg in (pa, pb):
                assert pg.locator("[data-testid=stException]").count() == 0, "a page shows an error"
        finally:
            for ctx in (ctx_a, ctx_b):
                if ctx is not None:
                    ctx.close()
            app.stop()
            browser.close()
    record("upload: Projection, slider step → all charts redrawn, no upload under way", plain, None)
    for (what, which, _path), times in zip(files, under, strict=True):
        record(f"upload: … the same while another session uploads {what}", times, None, note=which)
        ratio_row(f"upload: upload under load, Projection edit ÷ the same without ({what})", times, plain,
                  BUDGET_UPLOAD_RATIO)


# --------------------------------------------------------------------------- memory
MEMORY_PAGES = ["ringkasan", "skenario", "proyeksi", "bandingkan", "sensitivitas"]


def bench_memory(quick: bool) -> None:
    from playwright.sync_api import sync_playwright

    with workdir() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        server = app_server(tmp, "memory")
        contexts = []
        try:
            server.start()
            time.sleep(1)
            idle = server.rss_mb()
            for path in MEMORY_PAGES:
                context, page = new_page(browser)
                contexts.append(context)
                open_page(page, f"{server.url}/{path}")
                settled_chart_count(page)
            time.sleep(2)
            samples = []
            for _ in range(3 if quick else 5):
                samples.append(server.rss_mb())
                time.sleep(0.5)
        finally:
            for c in contexts:
                c.close()
            server.stop()
            browser.close()
    record("memory: server resident memory after start, no session", [idle], None, "MB")
    record(f"memory: server resident memory, {len(MEMORY_PAGES)} browser sessions open", samples, BUDGET_MEMORY_MB, "MB",
           note="pages: " + ", ".join(MEMORY_PAGES))


# --------------------------------------------------------------------------- report
METHODS = """\
## How each figure is measured

- **engine**: the pure-Python engine called directly (`simulation`), Kota Pontianak's shipped data and the
  2026 agreement scenario with its horizon set to 2035. The forecast is fitted once before timing the projection
  (it is cached on the coverage history, as in the app); the forecast-fit row times `fit_forecast` itself.
  Batch: `run_batch` of the default scenario over a CSV of 500 synthetic regions generated by the benchmark
  (fixed seed), one process.
- **app**: Streamlit's AppTest runs `app.py` on each page; then, 15 times (6 with `--quick`), the working
  scenario's regional share is set to a value not used before (on any page) and the page is rerun. The figure
  is the time of `at.run()`. Every edit is new, so no cached projection, goal-seek, sensitivity or chart of
  an earlier run helps. AppTest compiles `app.py` and the page on every run while the server compiles them
  once: the benchmark gives AppTest one shared script cache, as the server has.
- **export**: `presentation.exports.chart_png(fan_chart, scale=2, footer=…)`, what the PNG button under a chart runs,
  with the chart already built (it is the one on the page), after vl-convert has started (the first
  conversion in a process is reported on its own row), each time for a scenario not exported before, so the
  PNG cache does not answer; `council_deck_pptx(report)` and `brief_pdf(report)` likewise, with the report
  (`ui.model.report(scenario, region, "id")`, goal-seek included) built in the measured call as on a click,
  after one unmeasured call (imports).
- **browser**: Debian's Chromium (headless, Playwright), viewport 1400 × 1000, a fresh browser context per
  server. *Drawn* means: Streamlit's run state is `notRunning` and every visible
  `[data-testid=stVegaLiteChart]` (not in a hidden tab) holds a drawn canvas (opaque pixels: Vega paints a
  chart's background and marks in one pass) or svg; *redrawn* means the hash of every chart's pixels (canvas)
  or markup (svg) changed. The page polls at each animation frame, and hashes the charts only once the run is
  over (before 2026-12-05 it hashed every canvas at every frame while the page was still being drawn, taking
  the browser's main thread from the page it measured, the more so the more charts a page has).
  - *Server start → first page's charts drawn*: from spawning `streamlit run app.py` to the fan chart of
    Ringkasan drawn in a browser that was already running (it opens `/` as soon as the health check answers).
  - *A first visit on a running server*: right after that, a second fresh browser context (an empty cache, as a
    browser that never opened the app) opens `/` on the same server: from `goto` to its fan chart drawn
    (Streamlit's frontend loaded again, a new session's first run, Vega's code and the drawing). No budget: most
    of it is Streamlit's and Vega's code reaching a cold browser, which the app cannot shorten without preloading
    their hashed file names (breaks on upgrades).
  - *A new session's first page on a running server*: then a new tab of that browser opens `/` (a new session,
    with the frontend in the browser's cache, as when a user opens the app again or in a second tab): from `goto`
    to its fan chart drawn. The budget (1.5 s) applies here.
  - *Edit → every chart updated*, on three pages, each in a session of its own (`EDIT_PAGES`): on Projection,
    one step of its regional-share lever (arrow key on the slider, a value not used before) to every chart of
    the page redrawn; on Skenario, which draws no chart, the same lever on its budget tab to the page's metric
    values changed; on Bandingkan, the last variant taken out of the comparison (Backspace in the box), then put
    back (its option chosen from the open list; opening the list is not timed), in turn, to the chart redrawn
    (each selection's chart comes from cached projections after its first showing, as for a user who
    toggles); 16 rounds, after one unmeasured. The reference is a generated blank app, one `st.slider` and one `st.altair_chart` line chart
    whose data follow the slider, started in the same run: one slider step to its chart redrawn. A page and the
    blank app are measured in turn, round by round; the ratio is of the two medians. The app server of this
    part times each script run from inside (a `sitecustomize` hook on Streamlit's script runner, given on
    `PYTHONPATH` to that server only): the rows "of which the … script run" are the server-side share.
- **upload** (upload under load): one app server, two sessions in the same Chromium. Session A is on the Data
  page's upload tab; session B on Projection makes the regional-share slider step above (to every chart
  redrawn). Round by round, B's step is timed once with nothing else under way, then once for each file while A
  uploads it: A sets the file, and B's step starts as soon as A's script run (reading the file, then drawing the
  Data page with its result) is seen starting. The files (`bench/browser.py`, `upload_files`): the largest file
  of `tests/corpus/uploads` that the reader accepts, the corpus's bomb-like workbook refused for too many shared
  strings (counted while streaming), a workbook generated at the reader's limits (1,000 rows of 40 columns,
  38,000 distinct texts: refused for its unknown columns after its first 15 rows, the reader's header search),
  and the same rows under a header with blank cells above the text columns (every row parsed, then refused for
  its years: the most work an upload can make the server do). The row "upload under load" is
  the ratio of B's median with the upload to B's median without; A's browser shares the machine's cores with
  B's, as two users' browsers would not. B's slider has 20 steps: after them it goes back the other way, so
  later steps meet cached projections, the plain and the loaded steps alike (they alternate). `--only upload`
  runs this part alone.
- **memory**: the app freshly started, then five browser contexts open Ringkasan, Skenario, Proyeksi,
  Bandingkan and Sensitivitas and wait for their charts; VmRSS (from `/proc/<pid>/status`) summed over the
  server's process group, sampled a few times.
- **load** (`--only load`, bench/load.py): a throwaway PostgreSQL (tests/storage_backends.py's cluster, the
  migrations run on it) and two app servers on two ports with the same `PBI_DATABASE_URL` (docs/DEPLOY.md
  without the proxy). One Chromium, 20 browser contexts, 10 on each server, all on Proyeksi. A round: each page
  arms a watcher, the regional-share slider of every session is stepped one after the other (Playwright's key
  press, which waits for the page: under load the 20 presses of a round spread over several seconds, written in
  the row), and the round ends when every session's charts are redrawn. Each edit is timed inside its page, from
  its `keydown` to the first animation frame at which its run (seen starting through a MutationObserver on the
  run state) is over and every chart's pixels changed. Before the rounds of 20, one session steps alone (the
  19 others open, idle): the ratio row's reference. The sessions of a server share its cache: sessions on the
  same slider value get each other's cached projection, as users of one deployment would. Memory: VmRSS of
  both servers' process groups after start and after the rounds, the difference ÷ 20. The p95 row puts the
  95th percentile in the median column.
"""


NOTES = """\
## Where the time goes (profiled on 2026-11-27 and 2026-12-01, 2 cores, at times shared with other work)

The edit budgets (2026-12-04, after the layout work): Chrome's CPU profiler over 8 regional-share slider steps on
Proyeksi puts about 144 ms of the browser's main thread into each step: layout, style and paint about 73 ms, React
28 ms, Streamlit's styling library 22 ms, Markdown parsing 14 ms, Streamlit's own code 12 ms, Vega redrawing the
charts about 15 ms (the rest: messages, garbage collection, forced layout reads). So 85-90 % is Streamlit
re-rendering the page's elements, not the charts: Proyeksi has 24 elements in the main area, Skenario 57,
Bandingkan 13 but 172 Markdown cells in its two styled tables (each cell is rendered as Markdown). The server's
share is 37-81 ms wall (37 ms CPU) on Proyeksi. A new session's first page spends about 0.04 s in the server; the
rest (about 1.7 s) is the browser loading Streamlit's frontend and Vega and drawing the page. These four rows were
over the layout issue's budgets (1.5 s; 1.3 x).

Fewer elements (2026-12-04 evening; `python -m bench.profile edit --page proyeksi|skenario` counts a page's
elements and reads Chrome's main-thread counters per edit): Skenario draws only its open tab (`st.tabs` with
`on_change="rerun"`; a tab switch reruns the page), 57 → 21 elements on the budget tab and 930 → 380 DOM nodes, and
its reset confirmation only while its menu is open; on its groups tab (where the group table is edited) the add
and delete forms and the two detail tables are made only while their expander is open, 27 → 16 elements and
702 → 534 DOM nodes. Proyeksi makes its method text only while the expander is
open and sends the cost and claims sections' heading and sentence as one element, 24 → 20 elements. Measured side
by side (the two versions served at once, their edits interleaved, 12 each, load average about 10, so every figure
is inflated): main thread per edit on Skenario 321 → 267 ms, on Proyeksi 345 → 285 ms; edit ÷ blank app
1.40 → 1.19 and 1.15 → 1.05. Bandingkan's tables became two grids without Markdown cells the same day.

A new session's first page, by phase (`python -m bench.profile first`, a server already warm, fresh contexts;
load average about 14, so each phase is slower than on a quiet machine): the document answers in 20-40 ms;
Streamlit's frontend (59 script files, about 2 MB) is parsed by DOMContentLoaded at about 1.0-1.2 s; the session's
first run starts about 0.1 s later and takes 0.04-0.15 s in the server; the browser then loads each element's code
on demand (59 more files, 1.3 MB), among them Vega's 757 KB (`embed`), requested only when the chart element is
rendered, about 0.5 s after the run started, and in about 0.6 s later; the chart is drawn 0.3-0.6 s after that.
So nearly all of it is Streamlit's and Vega's code reaching a cold browser; the server's share is a few percent
and nothing in the first run could wait. Not tried: preloading Vega's file by its hashed name (it breaks silently
on a Streamlit upgrade).

Later on 2026-12-04 (issue 10's over-budget rows; the machine shared with mutation tests, so judged by CPU time,
call counts and A/B runs of both versions interleaved):
- The reruns' rise of that afternoon (Projection 28.7 → 36.5 ms in AppTest, 54 → 68 ms in the server) was mostly
  Streamlit's full garbage collection after every run: modules imported after `ui/heap.py`'s start-up freeze
  (storage with SQLAlchemy, read on every run for the saved regions; Babel's locale data; pages' own modules) left
  32,000 objects in the collector's view, 13-17 ms per run (`python -m bench.profile edit --cprofile 40` shows it:
  `gc.collect` in `_on_script_finished`; AppTest reruns do not). `app.py` now calls `heap.freeze_new_imports()` at
  the end of each run: after a run that imported modules it collects once and freezes what is alive. Tracked
  objects 32,137 → 2,112, the collection 13-17 → 0.05-0.5 ms; Projection slider step, script-thread CPU in the
  server 48 and 68 → 35 and 31 ms (two interleaved rounds of 10). That collection holds the GIL before the run's
  end reaches the browser, so it was in every edit row's numerator.
- The region catalogue (the sidebar's selector, `region_id()` ten times a run) listed data/regions/ 13 times a
  run; it is now kept until the folder or the region store's stamp changes: Projection rerun 78,073 → 73,599
  function calls. The targets table is built from plain rows (69,088 calls; the same Markdown).
- Bandingkan: the series' names were in the chart's spec (colour domain, copy filters, description), so taking a
  variant out or putting it back made the browser build the chart again. Names, order and the copies' dash
  patterns now travel in the chart's table; the legend has two columns (from seven series on it ran off the right
  edge). A/B, both servers at once, 14 interleaved toggles: toggle → chart changed 426 → 275 ms, Chrome
  main-thread task time per toggle 389 → 240 ms; the chart's svg node is now kept across toggles.
- A new session's first page (`python -m bench.profile first`): the session's first run costs the server about
  12 ms of CPU (AppTest, caches warm; 47,000 function calls); the Overview's elements pull about 59 code files
  after DOMContentLoaded, and the chart waits for Vega's 757 KB `embed` file, requested 0.2-0.6 s after the run
  starts and in 0.2-0.4 s later, then 0.15-0.5 s to draw. Removing the sidebar's region selectbox (the largest
  element code before the chart, 72 KB with about twenty small files) moved nothing measurable (two rounds each of
  five visits). No app element loads a font or calls out (Source Sans, Source Code and Material Symbols are
  Streamlit's own; the favicon emoji is an inline SVG). What is left is Streamlit's and Vega's code reaching a
  cold browser: not reachable without preloading hashed file names.

On 2026-12-05 (issue 10's last over-budget rows; A/B runs of `--only browser` on a quiet machine, and Chrome's
CPU profile of 15 steps, `Profiler` over the DevTools protocol):
- Projection's edit ratio was 1.55 ×. The page's JavaScript was busy 184-205 ms per lever step against 27-39 ms in
  the blank app, three quarters of it React re-rendering elements (emotion styles, Markdown): Streamlit's frontend
  re-renders every element a run sends, changed or not (40 constant Markdown elements added about 45 ms a step in
  a generated app). The lever now reruns two keyed fragments only (`ui/live.py`: the page's figures and the
  sidebar's scenario line, `st.rerun([keys])` from the lever's callback, Streamlit 1.67): the frame, the sidebar,
  the heading and the lever are neither run nor sent. JS busy 184-205 → 111-125 ms a step, ratio 1.55 → 1.31-1.37.
  (A fragment tried on 2026-12-01 measured no faster: the page body alone reran, with the sidebar; the keyed rerun
  from a callback is what leaves the frame out.)
- The server's run: the fan chart's table from NumPy columns in one frame (8.8 → 1.6 ms a build), one library
  kept open per process (`ui.state.library()`: opening one checked the schema in a transaction, 1.2 ms a run),
  target probabilities through `scipy.special.stdtr` (1 µs a call instead of 30). The live part sends six fewer
  elements: the targets' heading, table and note are one Markdown element, the tables' three download buttons a
  menu like each chart's. Ratio 1.32-1.37 → 1.25-1.28 (A/B, two runs each).
- The instrument: the page hashed every chart's canvas at every animation frame while the run was still going,
  taking the main thread from the page it measured, three times as much on Projection as in the blank app. It now
  hashes once the run is over; 16 measured rounds instead of 10. Ratio 1.19-1.25.
- Bandingkan: everything under its heading is its live part; a variant taken out or put back reruns it alone.
- The Data page builds only its open tab (`st.tabs(on_change="rerun")`) and writes the region file on a click: an
  upload's two page runs had built all six tabs' grids (about 90 ms of CPU each while another session edited).
  Upload under load, the workbook at the reader's limits: 2.08-2.19 → 1.57-1.72 × (with the reader's own
  changes of that day, `simulation/io/tables.py`: a sheet refused for its header is not parsed past its first 15
  rows, and the reader lets other threads run every 0.2 ms).

The same code measures differently from one day to the next on this shared machine: on 2026-12-01 every
engine figure was 1.5-1.9 × its 2026-11-27 value before any change. Compare rows of one run with each other.

What pays on every rerun, and is kept on purpose: `presentation/figures.py` (every chart that follows the
scenario — Projection's three, Sensitivity's tornados, Compare's lines, Goal-seek's cost curve — is a *figure*,
one Vega-Lite spec per structure with the numbers in named tables, and built charts are kept by `memo`: on
2026-12-01 that took the Sensitivity, Compare and Goal-seek reruns from 143, 136 and 114 ms to 84, 76 and 84 ms),
`ui/heap.py` (Streamlit's full garbage collection after every run cost 100-200 ms; `app.py` freezes the objects
of the heavy imports once, and a collection now takes 1-4 ms), `simulation/projection.py` (`final_year`: the 15
projections of the sensitivity analysis without building their tables, 38 → 11 ms) and `simulation/scenario.py`
(`to_dict` without `asdict`'s deep copies, the content hash computed once). Removed on 2026-12-04 because they
cost clarity and broke silently on upgrades: patches of Altair's private functions (a schema-class table built
once, layer copies skipped: about 50 ms on the first build of each chart structure), chart templates stored in a
file keyed by a hash of our code, statsmodels fits stored in a file, and a hand-written Student t instead of
SciPy's.

- *Edit → every chart updated* (traced in the page at each animation frame, median of 12 steps): Streamlit's
  frontend shows the run started about 55 ms after the key press (the same in the blank app); the fan chart is
  redrawn at about 115 ms and the other two and the end of the run at about 125 ms. Three changes brought it
  from 2.3-2.6 × to about 1.3 ×:
  - the charts are figures: the spec does not change when only numbers change (the y axis follows an
    invisible table of its two ends, target labels take their row from the data, the scenario identity left
    the subtitle), so Streamlit's frontend updates each drawn chart in place (`view.data`) instead of compiling
    and embedding it again, and the server skips Altair's work on every rerun;
  - the four download buttons under each chart are made only when the chart's *Unduh* menu opens: twelve
    widgets sent and drawn on every rerun were about a third of the figure;
  - the two year-by-year text grids are made only while their expander is open (it stays open across pages),
    and the targets table is Markdown instead of a pandas Styler: together a fifth of the server's rerun.
  The server's run is now about 25-45 ms (the "of which" row). Traced again on 2026-12-01 (WebSocket messages
  and chart renders timed in the page, 11 steps each): the server's last message reaches the browser at the
  same time in both apps, about 150 ms after the key press; the Projection page then needs about 70 ms more in
  the browser where the blank app needs 15. A CPU profile of the page (Chrome's, 10 steps) puts that time in
  Streamlit's frontend re-rendering the page's 30-odd elements (React, emotion styles and Markdown parsing:
  about three quarters) rather than in Vega updating the three charts (about a quarter); the Markdown targets
  table alone is about 30 ms of it (an `st.table` or `st.dataframe` instead measured the same). Tried and left
  out: Vega's canvas renderer instead of SVG (`usermeta.embedOptions.renderer`, no faster, and SVG keeps the
  marks' labels for screen readers), the page body in an `st.fragment` (no faster: the elements it reruns are
  the ones that cost), and reading chart redraws from `clearRect` instead of hashing each chart's SVG at every
  frame (the charts are SVG; the hash costs 0.75 ms a frame). Over seven runs that day the ratio was 1.2-1.55
  (median about 1.4) on a machine that ran the engine 1.5-1.9 × slower than on 2026-11-27 (1.1 ×).
- *Server start → first page's charts drawn* (traced from outside, 8 starts): the server answers after
  0.4-0.8 s; the browser loads Streamlit's frontend (0.65-0.75 s) before the first run starts; then the first
  run; then the browser loads Vega's code and draws the chart (0.4 s). The first run imports what the first
  page uses: pandas (0.3-0.4 s), Altair with jsonschema and narwhals (0.25-0.45 s), statsmodels (about 0.5 s,
  SciPy with it) for the forecast fit, then the engine's first projection and goal-seek and Streamlit's own
  work (its emoji table for page icons, 50 ms). Until 2026-12-04 the first page avoided Altair, SciPy and
  statsmodels with stored chart templates, stored fits and a hand-written t distribution (0.6-0.8 s of CPU
  instead of 1.4-1.5 s for the first run); they were removed (see above) and the first run pays those imports
  again. It still imports none of the exports' libraries (vl-convert, python-pptx, openpyxl, reportlab: on
  the first download; `tests/test_forecast.py` guards it), reads its YAML with libyaml (44 → 5 ms) and checks
  no spec against the Vega-Lite schema in the served app (50-90 ms a structure; the tests check every one).
  Two things were tried and removed: a warm-up thread that imported the libraries while the browser loaded
  the frontend (it slowed the frontend's loading as much as it saved: GIL and CPU shared with Chromium on 2
  cores), and a one-pixel chart sent before the imports so that the browser would load Vega's code meanwhile
  (no faster).
- *One chart to PNG 2×*: a figure is compiled from Vega-Lite to Vega once per structure; each export puts its
  tables and footer into the compiled spec (the same image: `tests/test_exports.py`). Inside vl-convert, for
  the fan chart: Vega scene → SVG about 0.09 s, rasterising 1406 × 1090 px about 0.1-0.15 s. Our own share
  (tables to JSON, footer) is about 8 ms. Measured by cutting the SVG apart (2026-12-01):
  - an SVG `opacity` attribute below 1 makes resvg paint that element on a canvas-sized layer of its own,
    12-15 ms each at 2 ×. The bands and the scenario's edges now use `fillOpacity`/`strokeOpacity`, which
    draw the same pixels (largest channel difference 2 of 255) without a layer: 160 → 106 ms of rasterising,
    and the warm export from 0.33 s to 0.29 s on that day's machine;
  - text is about 0.1 ms per glyph (about 600 glyphs: title, source lines, labels, footer), 80-100 ms in all;
    the font list, `opacity="1"` and invisible marks cost nothing measurable. Fewer y-axis labels (six steps
    instead of twelve) took 15 ms off.
"""


def write_report(parts: list[str], quick: bool, load_start: tuple, load_end: tuple) -> None:
    path = REPO / "docs" / "PERFORMANCE.md"
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Performance figures",
        "",
        f"Measured {now} on {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores (load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end), "
        f"by `.venv/bin/python -m bench.run{' --quick' if quick else ''}"
        f"{'' if set(parts) == set(PARTS) else ' --only ' + ','.join(parts)}`. "
        "Median and 10th-90th percentile over the repeated runs (n). The machine may be shared: a high load "
        "average makes every figure slower.",
        "",
        "| what | median | p10-p90 | n | budget | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in ROWS:
        sc = _scale(r["unit"])
        budget = "" if r["budget"] is None else f"{r['budget'] * sc:g} {r['unit']}"
        ok = "" if r["ok"] is None else ("ok" if r["ok"] else "**over**")
        status = " ".join(x for x in (ok, r["note"]) if x)
        lines.append(f"| {r['name']} | {r['median'] * sc:.2f} {r['unit']} | {r['p10'] * sc:.2f}-"
                     f"{r['p90'] * sc:.2f} | {r['n']} | {budget} | {status} |")
    lines += ["", METHODS, NOTES]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ",".join(PARTS))
    ap.add_argument("--write", action="store_true",
                    help="with --only: rewrite docs/PERFORMANCE.md with these parts' rows only")
    args = ap.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    os.chdir(REPO)
    load_start = os.getloadavg()
    runners = {"engine": bench_engine, "app": bench_app, "export": bench_export, "browser": bench_browser,
               "upload": bench_upload, "memory": bench_memory,
               "load": lambda quick: bench_load(quick, record, ROWS)}
    for part in PARTS:
        if part in parts:
            runners[part](args.quick)
    if set(parts) == set(PARTS) or args.write:
        write_report([p for p in PARTS if p in parts], args.quick, load_start, os.getloadavg())
    else:
        print("docs/PERFORMANCE.md left as it is (a partial run; --write to replace it with these rows)")
    over = [r["name"] for r in ROWS if r["ok"] is False]
    print(f"{len(over)} figure(s) over budget" + (": " + "; ".join(over) if over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
