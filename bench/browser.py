"""The browser side of the benchmark: the app (or a one-slider comparison app) served by ``streamlit run`` on a free
127.0.0.1 port in its own process group, and Debian's Chromium driven through Playwright (never a downloaded
browser). Split from bench/run.py, which holds the measures and the report.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1400, "height": 1000}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run <script>`` on a free 127.0.0.1 port, in its own process group."""

    def __init__(self, script: str, cwd: Path, data_dir: Path, log: Path, runlog: Path | None = None):
        self.script, self.cwd, self.data_dir, self.log, self.runlog = script, cwd, data_dir, log, runlog
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        env = dict(os.environ, PBI_DATA_DIR=str(self.data_dir), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        if self.runlog is not None:   # time every script run inside the server (RUN_HOOK)
            hook = self.runlog.parent / "hook"
            hook.mkdir(exist_ok=True)
            (hook / "sitecustomize.py").write_text(RUN_HOOK, encoding="utf-8")
            env["PYTHONPATH"] = os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")])
            env["PBI_BENCH_RUNLOG"] = str(self.runlog)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=self.cwd, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.script} exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.script} did not answer within {timeout} s; see {self.log}")

    def rss_mb(self) -> float:
        """Resident memory of every process in the server's process group [MB] (VmRSS from /proc)."""
        total_kb = 0
        for d in Path("/proc").iterdir():
            if not d.name.isdigit():
                continue
            try:
                if os.getpgid(int(d.name)) != self.proc.pid:
                    continue
                for line in (d / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
            except (OSError, ValueError, ProcessLookupError):
                continue
        return total_kb / 1024

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


# Loaded by the benchmark's app server (PYTHONPATH): one line per script run, with its start and end (epoch
# seconds), wall and script-thread CPU time. The same run, timed from inside the real server.
RUN_HOOK = """
import os, time
_LOG = os.environ.get("PBI_BENCH_RUNLOG")
if _LOG:
    from streamlit.runtime.scriptrunner import script_runner as _sr
    _orig = _sr.ScriptRunner._run_script

    _PROF = os.environ.get("PBI_BENCH_PROFILE")   # a path prefix: each run's cProfile stats in <prefix>.<start>

    def _timed(self, *args, **kwargs):
        prof = None
        if _PROF:
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        t0, c0, e0 = time.perf_counter(), time.thread_time(), time.time()
        try:
            return _orig(self, *args, **kwargs)
        finally:
            wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
            if prof is not None:
                prof.disable()
                prof.dump_stats(f"{_PROF}.{e0:.6f}")
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{e0} {time.time()} {wall} {cpu}\\n")

    _sr.ScriptRunner._run_script = _timed
"""


def runs_within(runlog: Path, windows: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """(wall, CPU) of the script runs that started inside one of the (epoch) time windows."""
    walls, cpus = [], []
    for line in runlog.read_text(encoding="utf-8").splitlines() if runlog.exists() else []:
        start, _end, wall, cpu = map(float, line.split())
        if any(a <= start <= b for a, b in windows):
            walls.append(wall)
            cpus.append(cpu)
    return walls, cpus


# In the page: one signature per chart ("none", "blank" or a hash of the drawn pixels), and whether Streamlit
# has finished the run. Vega draws a chart's whole scene in one go, background first: a canvas with opaque
# pixels is a drawn chart; a changed hash is a redrawn one.
PAGE_JS = """
window.__pbiSigs = () => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]'))
    .filter(el => el.getClientRects().length > 0)   // not in a hidden tab
    .map(el => {
  const c = el.querySelector('canvas');
  if (c) {
    if (!c.width || !c.height) return 'none';
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0, opaque = 0;
    for (let i = 0; i < d.length; i += 4 * 5) {
      if (d[i + 3]) opaque++;
      h = (Math.imul(h, 31) + d[i] + 3 * d[i + 1] + 7 * d[i + 2] + 11 * d[i + 3]) | 0;
    }
    return opaque ? 'c' + h : 'blank';
  }
  const s = el.querySelector('svg.marks');
  if (!s) return 'none';
  let h = 0; const t = s.innerHTML;
  for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
  return 's' + h;
});
window.__pbiMetrics = () => Array.from(document.querySelectorAll('[data-testid=stMetricValue]'))
    .filter(el => el.getClientRects().length > 0).map(el => el.textContent);
window.__pbiMetricsChanged = (before) => {
  const s = window.__pbiMetrics();
  return window.__pbiIdle() && s.length === before.length && s.some((x, i) => x !== before[i]);
};
window.__pbiIdle = () => {
  const app = document.querySelector('[data-testid=stApp]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning';
};
// The charts are hashed only once the run is over (idle first): hashing every canvas at every animation frame
// while the page is still being drawn took the browser's main thread from the page it measures, the more so the
// more charts a page has.
window.__pbiDrawn = (n) => {
  if (!window.__pbiIdle()) return false;
  const s = window.__pbiSigs();
  return s.length >= n && s.every(x => x !== 'none' && x !== 'blank');
};
window.__pbiChanged = (before) => {
  if (!window.__pbiIdle()) return false;
  const s = window.__pbiSigs();
  return s.length === before.length && s.length > 0
    && s.every((x, i) => x !== 'none' && x !== 'blank' && x !== before[i]);
};
"""

BLANK_APP = textwrap.dedent('''
    """The comparison app of the benchmark: one slider, one chart."""
    import altair as alt
    import pandas as pd
    import streamlit as st

    v = st.slider("value", 0, 100, 0, key="v")
    df = pd.DataFrame({"x": list(range(40)), "y": [(v * 7 + 13 * x) % 100 for x in range(40)]})
    chart = alt.Chart(df).mark_line().encode(x="x:Q", y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 100])))
    st.altair_chart(chart.properties(width=640, height=340, title="value"), theme=None)
''')


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", service_workers="block")
    context.add_init_script(PAGE_JS)
    return context, context.new_page()


def wait_drawn(page, n: int = 1, timeout: float = 60_000) -> None:
    page.wait_for_function("(n) => window.__pbiDrawn(n)", arg=n, timeout=timeout, polling="raf")


def open_page(page, url: str, n_charts: int = 0) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid=stAppViewContainer]", timeout=60_000)
    page.wait_for_function("() => window.__pbiIdle()", timeout=60_000)
    if n_charts:
        wait_drawn(page, n_charts)


def settled_chart_count(page, quiet: float = 1.5, timeout: float = 60) -> int:
    """The number of charts on the page once it has stopped changing for ``quiet`` seconds (Streamlit mounts
    the chart component after the run, the first time after loading its code), all of them drawn."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = page.evaluate("() => window.__pbiSigs().length")
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since >= quiet and page.evaluate("() => window.__pbiIdle()"):
            wait_drawn(page, n)
            return n
        time.sleep(0.1)
    raise RuntimeError("the page did not settle")


def launch(pw):
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (./test.sh does it as root)")
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def workdir():
    tmp = Path(tempfile.mkdtemp(prefix="pbi-bench-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def app_server(tmp: Path, name: str, timed: bool = False) -> Server:
    (tmp / name).mkdir(exist_ok=True)
    return Server("app.py", REPO, tmp / name, tmp / f"{name}.log", tmp / name / "runs.log" if timed else None)


def blank_server(tmp: Path) -> Server:
    blank = tmp / "blank"
    (blank / ".streamlit").mkdir(parents=True, exist_ok=True)
    (blank / "blank_app.py").write_text(BLANK_APP, encoding="utf-8")
    cfg = REPO / ".streamlit" / "config.toml"
    if cfg.exists():   # the same server, client and theme settings as the app
        shutil.copy(cfg, blank / ".streamlit" / "config.toml")
    return Server("blank_app.py", blank, blank, tmp / "blank.log")


# --------------------------------------------------------------------------- upload under load
CORPUS = REPO / "tests" / "corpus" / "uploads"

# In the uploading session's page: a count of the script runs seen starting (Streamlit's run state turning to
# "running", read at each animation frame), so that the other session's edit is made while the upload's run is
# under way.
RUNS_JS = """
window.__pbiRuns = 0;
(function tick() {
  const app = document.querySelector('[data-testid=stApp]');
  const s = app && app.getAttribute('data-test-script-state');
  if (s === 'running' && window.__pbiLastState !== 'running') window.__pbiRuns++;
  window.__pbiLastState = s;
  requestAnimationFrame(tick);
})();
"""


def upload_files(tmp: Path) -> list[tuple[str, str, Path]]:
    """The files uploaded while another session edits: (what it is, which file, path).

    - the largest file of tests/corpus/uploads that the reader accepts (by size, from its expected.json);
    - the corpus's costliest bomb-like refusal: an XLSX whose shared-strings part holds more strings than the
      reader allows (counted while streaming it, before openpyxl loads them);
    - a workbook at the reader's limits, generated here: 1,000 data rows of 40 columns, 38,000 distinct texts
      (written inline by openpyxl, under 2 MB), refused for its 38 unknown columns: the reader parses its first
      15 rows only (the header is found there, and nothing below could change the answer);
    - the same rows under a header whose 38 other cells are blank: nothing to refuse in the header, so every row
      is parsed (1,000 "ignored cells" warnings, then refused for years out of range): the most work an allowed
      upload can make the server do.
    """
    import json

    import openpyxl

    from simulation.io import tables

    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    accepted = max((f for f, e in expected.items() if e.get("ok")), key=lambda f: (CORPUS / f).stat().st_size)
    bomb = "c04_shared_strings_many.xlsx"
    assert expected[bomb]["code"] == "too_many_strings", expected[bomb]
    wb = openpyxl.Workbook()
    ws = wb.active
    width = tables.MAX_COLUMNS
    ws.append(["Tahun", "Cakupan (%)"] + [f"catatan {j}" for j in range(width - 2)])
    for i in range(tables.MAX_ROWS):
        ws.append([2000 + i, 30.5] + [f"teks {i}-{j} " + "x" * 20 for j in range(width - 2)])
    limit = tmp / "at_the_limits.xlsx"
    wb.save(limit)
    assert limit.stat().st_size < tables.MAX_BYTES
    ws.delete_rows(1)
    ws.insert_rows(1)
    ws.cell(1, 1, "Tahun")
    ws.cell(1, 2, "Cakupan (%)")
    whole = tmp / "at_the_limits_read_whole.xlsx"
    wb.save(whole)
    return [("the largest accepted corpus file", f"{accepted}, {(CORPUS / accepted).stat().st_size / 1024:.1f} KB",
             CORPUS / accepted),
            ("a bomb-like corpus file", f"{bomb}: too many shared strings, refused while streaming", CORPUS / bomb),
            ("a workbook at the reader's limits", f"generated: {tables.MAX_ROWS} rows × {width} columns, "
             f"{limit.stat().st_size / 1024:.0f} KB, refused at its header (15 rows parsed)", limit),
            ("the same workbook read whole", f"the 38 text columns under blank header cells: {tables.MAX_ROWS} rows "
             f"parsed, {whole.stat().st_size / 1024:.0f} KB, refused for its years", whole)]
