"""Where a page's browser time goes: the elements it draws and Chrome's main-thread time per edit; and the phases
of a new session's first page. Not part of the benchmark's rows: a tool for finding what to cut.

Usage: .venv/bin/python -m bench.profile edit [--page proyeksi|skenario|bandingkan] [--steps 8] [--cprofile TOP]
       .venv/bin/python -m bench.profile first [--n 5]

``edit``: the page is opened in its own session (Skenario on its budget tab), the elements in the main area are
counted (``stElementContainer``, and how many of them are Markdown), then the regional-share slider is stepped
(Bandingkan: the last variant taken out of the comparison and put back, in turn) ``--steps`` times, each step
waiting until the page's charts are redrawn (Projection, Bandingkan) or its metric values changed (Skenario). Chrome's own counters (``Performance.getMetrics`` over the DevTools protocol: task, script, layout and
style time of the renderer's main thread) are read before and after: their difference per step is the browser's
main-thread time of one edit. The server's script runs are timed from inside (bench/browser.py's hook).

``first``: a server is started and its first page opened once (warming the server's imports), then ``--n`` fresh
browser contexts open ``/`` in turn; for each, the page records at each animation frame when the Streamlit app
appeared, when its first script run started and ended (run state) and when the fan chart was drawn, beside the
navigation timing (response, DOMContentLoaded, load) and the script files loaded; the server's run from its log.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.browser import app_server, launch, new_page, open_page, runs_within, settled_chart_count, workdir  # noqa: E402

COUNT_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]') || document;
  const all = main.querySelectorAll('[data-testid=stElementContainer]');
  const visible = Array.from(all).filter(el => el.getClientRects().length > 0);
  return {elements: all.length, visible: visible.length,
          markdown: main.querySelectorAll('[data-testid=stMarkdown]').length,
          nodes: main.querySelectorAll('*').length};
}"""

# the phases of a first page, recorded at each animation frame from the document's start (performance.now())
PHASES_JS = """
window.__pbiPhases = {};
(function tick() {
  const ph = window.__pbiPhases, now = performance.now();
  const app = document.querySelector('[data-testid=stApp]');
  if (app && ph.app === undefined) ph.app = now;
  const s = app && app.getAttribute('data-test-script-state');
  if (s === 'running' && ph.running === undefined) ph.running = now;
  if (ph.running !== undefined && s === 'notRunning' && ph.idle === undefined) ph.idle = now;
  const chart = document.querySelector('[data-testid=stVegaLiteChart]');
  if (chart && ph.chart === undefined) ph.chart = now;
  if (window.__pbiDrawn && window.__pbiDrawn(1) && ph.drawn === undefined) ph.drawn = now;
  if (ph.drawn === undefined) requestAnimationFrame(tick);
})();
"""

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def profile_edit(page_path: str, steps: int, cprofile: int = 0) -> None:
    import os

    from playwright.sync_api import sync_playwright

    from presentation.i18n import t

    with workdir() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        app = app_server(tmp, "profile", timed=True)
        if cprofile:   # bench/browser.py's hook: each script run under cProfile
            os.environ["PBI_BENCH_PROFILE"] = str(tmp / "run.prof")
        try:
            app.start()
        finally:
            os.environ.pop("PBI_BENCH_PROFILE", None)
        try:
            context, page = new_page(browser)
            open_page(page, f"{app.url}/{page_path}")
            settled_chart_count(page)
            if page_path == "skenario":
                page.get_by_role("tab", name=t("scenario.tab_budget", "id")).click()
                page.wait_for_function("() => window.__pbiIdle()", timeout=60_000)
                time.sleep(1)
            counts = page.evaluate(COUNT_JS)
            charts = page_path != "skenario"
            sigs = "window.__pbiSigs()" if charts else "window.__pbiMetrics()"
            changed = "(b) => window.__pbiChanged(b)" if charts else "(b) => window.__pbiMetricsChanged(b)"
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            if page_path == "bandingkan":   # the last variant taken out (Backspace), then put back, in turn
                box = page.locator("[data-testid=stMultiSelect] input").first
                out = {"now": False}

                def prepare() -> None:
                    box.focus()
                    if out["now"]:
                        box.press("ArrowDown")
                        page.locator("[role=option]").first.wait_for()

                def edit() -> None:
                    box.press("Enter" if out["now"] else "Backspace")
                    out["now"] = not out["now"]
            else:
                label = t("scenario.regional_share", "id")
                slider = page.locator("[data-testid=stSlider]").filter(has_text=label).locator(
                    "input[type=range]").first
                direction = "ArrowLeft" if float(slider.input_value()) > 50 else "ArrowRight"

                def prepare() -> None:
                    slider.focus()

                def edit() -> None:
                    slider.press(direction)

            spent = dict.fromkeys(METRICS, 0.0)   # main-thread time from the key press to the page settled

            def step() -> float:
                before = page.evaluate(f"() => {sigs}")
                prepare()   # focus; Bandingkan: open the list of options (not counted)
                m0 = _metrics(cdp)
                t0 = time.perf_counter()
                edit()
                page.wait_for_function(changed, arg=before, timeout=30_000, polling="raf")
                took = time.perf_counter() - t0
                time.sleep(0.3)   # the page settles (late layout, garbage collection) inside the window
                m1 = _metrics(cdp)
                for k in METRICS:
                    spent[k] += m1[k] - m0[k]
                if page_path == "bandingkan":
                    page.keyboard.press("Escape")   # close the list of options (not counted)
                return took

            step()
            time.sleep(0.5)
            spent.update(dict.fromkeys(METRICS, 0.0))
            e0 = time.time()
            times = [step() for _ in range(steps)]
            walls, cpus = runs_within(app.runlog, [(e0, time.time())])
            context.close()
            if cprofile:
                _print_profiles(tmp, e0, cprofile, len(walls))
        finally:
            app.stop()
            browser.close()
    print(f"{page_path}: {counts['elements']} elements in the main area ({counts['visible']} visible, "
          f"{counts['markdown']} Markdown), {counts['nodes']} DOM nodes")
    print(f"edit → updated: median {statistics.median(times) * 1000:.0f} ms over {steps} steps")
    for k in METRICS:
        print(f"  main thread {k:<20} {spent[k] / steps * 1000:7.1f} ms per step")
    if walls:
        print(f"  server script run: wall median {statistics.median(walls) * 1000:.0f} ms, "
              f"CPU median {statistics.median(cpus) * 1000:.0f} ms ({len(walls)} runs)")


def _print_profiles(tmp: Path, since: float, top: int, runs: int) -> None:
    """The script runs' cProfile stats (those started after ``since``) added up, per run: the ``top`` entries by
    cumulative time, and the number of function calls."""
    import io
    import pstats

    files = sorted(p for p in tmp.glob("run.prof.*") if float(p.name.split(".", 2)[2]) >= since)
    if not files:
        return
    stats = pstats.Stats(str(files[0]), stream=io.StringIO())
    for f in files[1:]:
        stats.add(str(f))
    calls = sum(v[1] for v in stats.stats.values())   # type: ignore[attr-defined]
    print(f"  cProfile of {len(files)} script runs ({runs} in the steps' window): {calls / len(files):,.0f} "
          f"function calls per run; top {top} by cumulative time, all runs:")
    out = io.StringIO()
    stats.stream = out   # type: ignore[attr-defined]
    # PBI_PROFILE_SORT (a pstats key, e.g. tottime) and PBI_PROFILE_MATCH (a regular expression on the file and
    # function, e.g. /work/main) narrow the listing
    stats.sort_stats(os.environ.get("PBI_PROFILE_SORT", "cumulative"))
    stats.print_stats(*([os.environ["PBI_PROFILE_MATCH"]] if os.environ.get("PBI_PROFILE_MATCH") else []), top)
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def profile_first(n: int) -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with workdir() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        app = app_server(tmp, "first", timed=True)
        app.start()
        try:
            context, page = new_page(browser)
            open_page(page, app.url + "/", n_charts=1)   # the server's first run (imports) is not measured
            context.close()
            for _ in range(n):
                context, page = new_page(browser)
                page.add_init_script(PHASES_JS)
                e0, t0 = time.time(), time.perf_counter()
                open_page(page, app.url + "/", n_charts=1)
                total = time.perf_counter() - t0
                time.sleep(0.2)
                ph = page.evaluate("() => window.__pbiPhases")
                nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                    const js = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'));
                    return {response: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                            js: js.length, js_kb: js.reduce((a, r) => a + (r.transferSize || r.decodedBodySize), 0) / 1024,
                            js_end: Math.max(0, ...js.map(r => r.responseEnd))}; }""")
                chunks = page.evaluate("""() => performance.getEntriesByType('resource')
                    .filter(r => r.name.endsWith('.js'))
                    .map(r => [r.name.split('/').pop(), r.startTime, r.responseEnd, (r.decodedBodySize || 0) / 1024])""")
                walls, _ = runs_within(app.runlog, [(e0, time.time())])
                rows.append({"total": total * 1000, **nav, **ph, "server": walls[0] * 1000 if walls else None,
                             "chunks": chunks})
                context.close()
        finally:
            app.stop()
            browser.close()
    keys = ["total", "response", "dcl", "load", "js_end", "app", "running", "idle", "chart", "drawn", "server"]
    for k in keys:
        vals = [r[k] for r in rows if r.get(k) is not None]
        if vals:
            print(f"{k:<9} median {statistics.median(vals):7.0f} ms  ({', '.join(f'{v:.0f}' for v in vals)})")
    print(f"script files: {rows[0]['js']} ({rows[0]['js_kb']:.0f} KB transferred)")
    last = rows[-1]
    late = [c for c in last["chunks"] if c[1] > last["dcl"]]
    print(f"of which loaded after DOMContentLoaded (the elements' code, on demand), last visit: {len(late)}, "
          f"{sum(c[3] for c in late):.0f} KB decoded; the largest:")
    for name, start, end, kb in sorted(late, key=lambda c: -c[3])[:8]:
        print(f"  {name:<40} {kb:7.0f} KB  requested at {start:5.0f} ms, in at {end:5.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["edit", "first"])
    ap.add_argument("--page", default="proyeksi", choices=["proyeksi", "skenario", "bandingkan"])
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--n", type=int, default=5)
    ap.add_argument("--cprofile", type=int, default=0, metavar="TOP",
                    help="edit: run each script run under cProfile and print the TOP entries (slows the runs)")
    args = ap.parse_args()
    if args.what == "edit":
        profile_edit(args.page, args.steps, args.cprofile)
    else:
        profile_first(args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
