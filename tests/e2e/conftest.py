"""Real-browser fixtures: the app on 127.0.0.1 in its own process group, Debian's Chromium via Playwright.

Every page opened through the ``page`` fixture records the addresses the browser asks for; the tests assert
none leaves the machine (the app must work offline in a council room).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on a free port; start/stop/restart for tests that need a fresh server."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.data_dir = data_dir
        self.proc: subprocess.Popen | None = None
        self.log = ARTIFACTS / f"server-{self.port}.log"
        self.netlog = data_dir / "outside-connections.log"

    def outside_connections(self) -> list[str]:
        """Connections the server opened to any address that is not loopback (sitecustomize in netguard/)."""
        return [line for line in self.netlog.read_text().splitlines() if line.strip()]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.netlog.touch()
        env = dict(os.environ, PBI_DATA_DIR=str(self.data_dir), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
                   PBI_NETLOG=str(self.netlog),
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).parent / "netguard"),
                                               os.environ.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the app did not answer within {timeout} s; see {self.log}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    server = AppServer(tmp_path_factory.mktemp("pbi-data"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./test.sh does it as root)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A browser context that records every request it makes."""

    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID",
                                           service_workers="block")
        self.requests: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.base_url = base_url

    def outside_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            u = urlparse(url)
            if u.scheme in ("data", "blob", "about"):
                continue
            if u.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, app_server):
    v = Visit(browser, app_server.url)
    yield v
    v.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current run (no 'running' status widget)."""
    page.wait_for_selector("[data-testid=stAppViewContainer]", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]') ||"
        " !document.querySelector('[data-testid=stStatusWidget]').innerText.match(/Running|Berjalan/)",
        timeout=timeout)
    page.wait_for_timeout(300)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def metric_value(page, label_start: str) -> str:
    """The value of the st.metric whose label starts with ``label_start``."""
    loc = page.locator("[data-testid=stMetric]").filter(
        has=page.locator("[data-testid=stMetricLabel]", has_text=label_start)).first
    loc.wait_for(timeout=30_000)
    return loc.locator("[data-testid=stMetricValue]").inner_text().strip()


# --------------------------------------------------------------------------- helpers for the flow tests
# Streamlit replaces elements as a run progresses: wait for what the user waits for (a heading, a value),
# polling with Playwright's ``expect`` rather than sleeping. The first session after a server start is slower.
expect.set_options(timeout=30_000)

#: the first bytes of each exported file type
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-", ".pptx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04"}
OOXML_PART = {".pptx": "ppt/presentation.xml", ".xlsx": "xl/workbook.xml"}


def heading(page, text: str):
    """The page title (``st.title`` draws an h1) containing ``text``."""
    return page.locator("h1", has_text=text).first


def open_page(page, url: str, title: str) -> None:
    """Load ``url`` (a NEW Streamlit session) and wait until the page titled ``title`` has finished its run."""
    page.goto(url)
    heading(page, title).wait_for(timeout=30_000)
    wait_idle(page)


def nav(page, link: str, title: str) -> None:
    """Switch page inside the session through the sidebar link ``link`` (no reload: the session is kept)."""
    page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(has_text=link).first.click()
    heading(page, title).wait_for(timeout=30_000)
    wait_idle(page)


def metric(page, label_start: str):
    """The value element of the st.metric whose label starts with ``label_start`` (for ``expect(...)``)."""
    return page.locator("[data-testid=stMetric]").filter(
        has=page.locator("[data-testid=stMetricLabel]", has_text=label_start)).first.locator(
        "[data-testid=stMetricValue]")


def metrics(page) -> dict[str, str]:
    """Every metric on the page: label -> value (as shown)."""
    out = {}
    for m in page.locator("[data-testid=stMetric]").all():
        label = m.locator("[data-testid=stMetricLabel]").inner_text().strip()
        out[label] = m.locator("[data-testid=stMetricValue]").inner_text().strip()
    return out


def grid_cells(page, text: str):
    """Cells of st.dataframe / st.data_editor tables reading exactly ``text``.

    The grids draw on a canvas; their accessible copy (a table the eye does not see) carries the text.
    """
    return page.locator("[data-testid=stDataFrame] td[role=gridcell]").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def sidebar_identity(page) -> str:
    """The scenario identity the sidebar shows ("Skenario aktif: ... · identitas `abc123def456`")."""
    return page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first.inner_text().strip()


def assert_no_error(page, where: str = "") -> None:
    """No exception box, no traceback, no "unexpected error" message on the page."""
    assert page.locator("[data-testid=stException]").count() == 0, where
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "Traceback" not in text, where
    assert "kesalahan yang tidak terduga" not in text and "unexpected error" not in text, where


def download(page, button, dest: Path | None = None) -> tuple[str, bytes]:
    """Click a download button; return (suggested file name, bytes), checked non-empty with the right magic."""
    with page.expect_download(timeout=60_000) as info:
        button.click()
    d = info.value
    assert d.failure() is None, d.failure()
    name = d.suggested_filename
    data = Path(d.path()).read_bytes()
    assert data, f"{name} is empty"
    suffix = Path(name).suffix.lower()
    if suffix in MAGIC:
        assert data.startswith(MAGIC[suffix]), f"{name} starts with {data[:8]!r}"
        if suffix in OOXML_PART:   # a zip holding the part that makes it a workbook / a deck
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                assert OOXML_PART[suffix] in z.namelist(), f"{name}: {z.namelist()[:10]}"
        if suffix == ".pdf":
            assert b"%%EOF" in data[-1024:], f"{name} is cut short"
    elif suffix == ".svg":
        assert b"<svg" in data[:2000], f"{name} is not an SVG: {data[:60]!r}"
    elif suffix == ".csv":
        text = data.decode("utf-8-sig")
        assert len(text.splitlines()) >= 2 and (";" in text or "," in text), f"{name}: {text[:80]!r}"
    elif suffix == ".yaml":   # a region file (data/regions/*.yaml format)
        import yaml
        region = yaml.safe_load(data.decode("utf-8"))
        assert isinstance(region, dict) and {"id", "name", "kind", "province"} <= set(region), f"{name}: {data[:80]!r}"
    elif suffix == ".ipynb":   # a Jupyter notebook (nbformat 4) that rebuilds the scenario
        nb = json.loads(data)
        assert nb.get("nbformat") == 4 and nb.get("cells"), f"{name} is not a notebook"
    else:
        raise AssertionError(f"unexpected download {name}")
    if dest is not None:
        dest.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    return name, data


#: the group editor's geometry (views/scenario.py column_config): in_scope 80 px, name 165 px, members 80 px;
#: header and rows 35 px high
MEMBERS_X = 80 + 165 + 40
ROW_Y = 35 + 17


def stable_box(page, locator, timeout: float = 5.0) -> dict:
    """The element's bounding box once it stopped moving (scrolling and late layout shift it)."""
    deadline = time.monotonic() + timeout
    box = locator.bounding_box()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        again = locator.bounding_box()
        if again == box and box is not None:
            return box
        box = again
    raise AssertionError(f"{locator} keeps moving: {box}")


def edit_members(page, row: int, old: int, value: int) -> int:
    """On Skenario, double-click the members cell of ``row`` in the group table (a canvas grid), type, Enter.

    The grid keeps an accessible copy of its cells (``glide-cell-<col>-<row>``): the selection is checked there
    before typing, so a click that lands on another cell fails here rather than editing the wrong group, and
    the committed value is read back there. After the page scrolled, the grid spends the first click on
    refreshing its position (seen with glide-data-grid here), so the cell is clicked until it is selected,
    then double-clicked to edit. Typing is paced like a person; an edit that did not reach the grid is tried
    again (at most three times). Returns the number of attempts.
    """
    page.get_by_role("tab", name="Kelompok pekerja").click()
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    cell = grid.locator(f"[data-testid=glide-cell-2-{row}]")
    editor = page.locator("input.gdg-input")   # the cell editor a double-click opens over the canvas
    for attempt in range(1, 4):
        expect(cell).to_have_text(str(old))
        box = stable_box(page, grid)
        x, y = box["x"] + MEMBERS_X, box["y"] + ROW_Y + 35 * row
        try:
            for _ in range(3):
                page.mouse.click(x, y)
                if cell.get_attribute("aria-selected") == "true":
                    break
                page.wait_for_timeout(200)
            expect(cell).to_have_attribute("aria-selected", "true", timeout=2_000)
            page.mouse.dblclick(x, y)
            expect(editor).to_be_focused(timeout=3_000)
            expect(editor).to_have_value(str(old))
            page.keyboard.press("Control+A")
            page.keyboard.type(str(value), delay=40)
            expect(editor).to_have_value(str(value))
            page.wait_for_timeout(150)
            page.keyboard.press("Enter")
            expect(cell).to_have_text(str(value), timeout=5_000)
            return attempt
        except AssertionError as exc:
            print(f"edit_members attempt {attempt} did not take: {str(exc)[:300]}")
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)
    raise AssertionError("unreachable")


def choose_route(page, label: str = "BPU: JKK + JKM + JHT") -> None:
    """On Skenario: the contribution tab, then the route radio option ``label``."""
    page.get_by_role("tab", name="Iuran").click()
    page.get_by_text(label, exact=True).click()


def first_year(scenario):
    """The engine's first projected year for ``scenario`` (shipped Pontianak data)."""
    from simulation import project
    return project(scenario).table.iloc[0]


def expect_overview(page, scenario) -> None:
    """Ringkasan (Indonesian) shows the engine's PBI participants and APBD cost of ``scenario``'s first year.

    Returns once the page's chart (drawn after every metric) is there, so ``metrics(page)`` reads them all.
    """
    from presentation.i18n import fmt_idr_short, fmt_number
    r = first_year(scenario)
    year = int(r["year"])
    heading(page, "Ringkasan").wait_for()
    expect(metric(page, f"Peserta PBI {year}")).to_have_text(fmt_number(r["pbi_participants"], "id"))
    expect(metric(page, f"Biaya APBD {year}")).to_have_text(fmt_idr_short(r["cost_idr"], "id"))
    page.locator("[data-testid=stVegaLiteChart]").first.locator("canvas, svg").first.wait_for()


def select_option(page, label: str, option: str, scope=None) -> None:
    """Choose ``option`` in the st.selectbox labelled ``label`` (a react-aria combobox: focused by a click, opened
    by ArrowDown; a click on a freshly drawn box sometimes only focuses it)."""
    box = (scope or page).get_by_role("combobox", name=label, exact=True)
    for _ in range(3):
        box.click()
        page.keyboard.press("ArrowDown")
        try:
            page.get_by_role("option", name=option, exact=True).wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:   # not open yet: try again
            page.keyboard.press("Escape")
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)
