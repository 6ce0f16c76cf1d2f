"""Sign-in through the office's OpenID Connect provider, in a real browser (issue 15; docs/DEPLOY.md §9).

The server runs with ``PBI_EDITORS=required`` and an ``[auth]`` section in a ``.streamlit/secrets.toml`` of the
test's own (Streamlit's ``secrets.files``), pointing at a provider on 127.0.0.1 (tests/oidc_provider.py). The
sidebar's "Masuk sebagai editor" goes to the provider, which approves the user the test names and sends the browser
back to ``/oauth2callback`` (Streamlit checks the RS256 ``id_token`` against the provider's keys). Then the e-mail
decides: an editor entry of the region with that e-mail may save; an e-mail with no entry, or one the provider has not
verified, is told so and may not; signed out, nobody may. With two servers on one PostgreSQL database behind one
address, a sign-in begun on one server and finished on the other counts on both, and so does signing out.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from conftest import AppServer, Visit, assert_no_error, open_page, shot, wait_idle
from oidc_provider import Provider
from playwright.sync_api import expect

from storage import db
from storage.editors import EditorStore
from storage.library import Library

pytestmark = pytest.mark.browser

NEED = "Masuk sebagai editor wilayah ini untuk menyimpan"
SITI = {"sub": "u-1001", "email": "Siti@Kota.Example.go.id", "name": "Siti Aminah"}   # an editor of Pontianak
BUDI = {"sub": "u-2002", "email": "budi@kota.example.go.id", "name": "Budi"}          # no editor entry
SIGN_IN = 90_000    # ms: a sign-in is three redirects and a new session on a machine shared by many tests


@pytest.fixture
def oidc_server(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_EDITORS", "required")
    monkeypatch.delenv(db.URL_ENV, raising=False)
    lib = Library(tmp_path / db.DB_FILE_NAME)
    EditorStore(library=lib).add("siti", "kata-sandi-panjang-1", "pontianak", email="siti@kota.example.go.id")
    server = AppServer(tmp_path)
    idp = Provider(client_id="pbi-simulator", client_secret="rahasia-klien-uji",
                   redirect_uri=f"{server.url}/oauth2callback").start()
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{server.url}/oauth2callback"\n'
        'cookie_secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"\n'
        f'client_id = "{idp.client_id}"\n'
        f'client_secret = "{idp.client_secret}"\n'
        f'server_metadata_url = "{idp.metadata_url}"\n')
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))   # `streamlit run --secrets.files PATH`
    server.start()
    yield server, idp, lib
    server.stop()
    idp.stop()
    assert server.outside_connections() == []


def _save_form(page):
    return page.locator("[data-testid=stMain] [data-testid=stForm]").first


def _sign_in(page, idp: Provider, user: dict) -> None:
    """"Masuk sebagai editor" in the sidebar: to the provider, which approves ``user``, and back to the app."""
    idp.user = user
    side = page.locator("[data-testid=stSidebar]")
    side.get_by_role("button", name="Masuk sebagai editor").click()
    page.wait_for_url(idp.redirect_uri.removesuffix("oauth2callback") + "**", timeout=SIGN_IN)   # back at the app
    side.get_by_role("button", name="Keluar").wait_for(timeout=SIGN_IN)
    wait_idle(page, SIGN_IN)


def _sign_out(page) -> None:
    side = page.locator("[data-testid=stSidebar]")
    side.get_by_role("button", name="Keluar").click()
    side.get_by_role("button", name="Masuk sebagai editor").wait_for(timeout=SIGN_IN)
    wait_idle(page, SIGN_IN)


def test_the_providers_e_mail_decides_who_may_save(browser, oidc_server):
    server, idp, lib = oidc_server
    v = Visit(browser, server.url)
    try:
        page = v.page
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        expect(page.get_by_text(NEED).first).to_be_visible()                 # signed out: told, and disabled
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_disabled()

        _sign_in(page, idp, BUDI)                                             # the provider knows him; we do not
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        no_entry = "budi@kota.example.go.id belum terdaftar sebagai editor; minta operator menambahkannya"
        expect(page.locator("[data-testid=stSidebar]").get_by_text(no_entry)).to_be_visible()
        expect(page.locator("[data-testid=stMain]").get_by_text(no_entry).first).to_be_visible()
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_disabled()
        shot(page, "oidc-not-an-editor")
        _sign_out(page)

        _sign_in(page, idp, dict(SITI, email_verified=False))                 # her address, not verified by them
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        unverified = "Siti@Kota.Example.go.id belum diverifikasi oleh penyedia akun kantor"
        expect(page.locator("[data-testid=stMain]").get_by_text(unverified).first).to_be_visible()
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_disabled()
        _sign_out(page)

        _sign_in(page, idp, SITI)
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        side = page.locator("[data-testid=stSidebar]")
        expect(side.get_by_text("siti", exact=False).first).to_be_visible()
        expect(page.get_by_text(NEED)).to_have_count(0)
        form = _save_form(page)
        form.get_by_label("Nama", exact=True).fill("Rencana lewat SSO")
        form.get_by_role("button", name="Simpan").click()
        page.get_by_text("Tersimpan: Rencana lewat SSO").wait_for(timeout=SIGN_IN)
        wait_idle(page)
        assert [e.name for e in lib.list("pontianak")] == ["Rencana lewat SSO"]
        assert [(r.editor, r.action) for r in EditorStore(library=lib).audit("pontianak")] == [("siti", "save")]
        assert_no_error(page, "signed in through the provider")
        shot(page, "oidc-editor")

        _sign_out(page)                                                       # and out again: nothing to save with
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        expect(page.get_by_text(NEED).first).to_be_visible()
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_disabled()

        assert idp.log.count("POST /token") == 3 and "GET /jwks" in idp.log      # really through the provider
        assert v.outside_requests() == []
    finally:
        v.close()


# --------------------------------------------------------------------------- two servers behind one address
class Switch:
    """One address for two app servers, as a reverse proxy gives them: a TCP forwarder on 127.0.0.1 that sends each
    new connection to the server :attr:`target` names. :meth:`to` moves to the other server and drops the open
    connections (as when a balancer sends the next request elsewhere), so the browser's next request lands there."""

    def __init__(self, port: int) -> None:
        self.target = port
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to(self, port: int) -> None:
        with self._lock:
            self.target = port
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self._open.clear()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:                     # closed: the test is over
                return
            with self._lock:
                try:
                    server = socket.create_connection(("127.0.0.1", self.target), timeout=10)
                except OSError:
                    client.close()
                    continue
                server.settimeout(None)
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()
        self.to(self.target)


@pytest.fixture
def oidc_two_servers(pg_cluster, tmp_path, monkeypatch):
    """Servers A and B on one PostgreSQL database and one [auth] secrets file, behind one address (:class:`Switch`)."""
    url = pg_cluster.database(empty=True)
    lib = Library(url)                                         # creates the schema
    EditorStore(library=lib).add("siti", "kata-sandi-panjang-1", "pontianak", email="siti@kota.example.go.id")
    monkeypatch.setenv("PBI_EDITORS", "required")
    monkeypatch.setenv(db.URL_ENV, url)
    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(AppServer(tmp_path / name))
    switch = Switch(servers[0].port)
    idp = Provider(client_id="pbi-simulator", client_secret="rahasia-klien-uji",
                   redirect_uri=f"{switch.url}/oauth2callback").start()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{switch.url}/oauth2callback"\n'
        'cookie_secret = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"\n'
        f'client_id = "{idp.client_id}"\n'
        f'client_secret = "{idp.client_secret}"\n'
        f'server_metadata_url = "{idp.metadata_url}"\n')
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    try:
        for s in servers:
            s.start()
        yield servers, switch, idp, lib
    finally:
        for s in servers:
            s.stop()
        switch.close()
        idp.stop()
        db.dispose_all()
        pg_cluster.drop(url)
    for s in servers:
        assert s.outside_connections() == []


def test_signed_in_on_one_server_counts_on_the_other(browser, oidc_two_servers):
    """The sign-in starts on server A and comes back to B (no sticky session), B saves as the editor, A knows the
    same editor, and "Keluar" on A signs out on B as well: what one [auth] section shared by every process gives."""
    (a, b), switch, idp, lib = oidc_two_servers
    idp.on_authorize = lambda: switch.to(b.port)               # the way back from the provider lands on B
    v = Visit(browser, switch.url)
    try:
        page = v.page
        open_page(page, switch.url + "/pustaka", "Pustaka skenario")              # on A
        _sign_in(page, idp, SITI)                                                  # started on A, finished on B
        assert switch.target == b.port
        open_page(page, switch.url + "/pustaka", "Pustaka skenario")              # on B
        form = _save_form(page)
        form.get_by_label("Nama", exact=True).fill("Rencana dua server")
        form.get_by_role("button", name="Simpan").click()
        page.get_by_text("Tersimpan: Rencana dua server").wait_for(timeout=SIGN_IN)
        wait_idle(page)

        switch.to(a.port)
        open_page(page, switch.url + "/pustaka", "Pustaka skenario")              # on A: the same editor
        side = page.locator("[data-testid=stSidebar]")
        expect(side.get_by_role("button", name="Keluar")).to_be_visible()
        expect(page.get_by_text(NEED)).to_have_count(0)
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_enabled()
        _sign_out(page)

        switch.to(b.port)
        open_page(page, switch.url + "/pustaka", "Pustaka skenario")              # on B: signed out as well
        expect(page.get_by_text(NEED).first).to_be_visible()
        expect(_save_form(page).get_by_role("button", name="Simpan")).to_be_disabled()
        assert_no_error(page, "two servers")
        assert [e.name for e in lib.list("pontianak")] == ["Rencana dua server"]
        assert [(r.editor, r.action) for r in EditorStore(library=lib).audit("pontianak")] == [("siti", "save")]
        assert v.outside_requests() == []
    finally:
        v.close()
