"""A small OpenID Connect provider on 127.0.0.1 for the sign-in tests (issue 15: ``st.login`` with ``[auth]``).

It plays the office's provider (Keycloak, Google, Microsoft, ...) for one registered client, with the standard
library's :mod:`http.server` and joserfc (Authlib's JOSE library) for the keys and signatures; it asks nothing of
any other host. What it serves, as a provider does:

* ``/.well-known/openid-configuration``: the discovery document (issuer, endpoints, RS256, ``code`` flow);
* ``/authorize``: checks the client, the redirect address, ``response_type=code`` and the ``openid`` scope, then
  approves the configured user at once (no login form: :attr:`Provider.user` is whoever the test says is at the
  keyboard) and redirects back with a single-use code and the client's ``state``; ``nonce`` and a PKCE challenge
  are kept with the code;
* ``/token``: exchanges the code (client authenticated by HTTP Basic or form fields, the same redirect address,
  the PKCE verifier when a challenge was given) for an access token and an RS256-signed ``id_token`` (iss, sub,
  aud, iat, exp, nonce, at_hash, e-mail, name);
* ``/jwks``: the public key; ``/userinfo``: the user's claims for a Bearer access token;
* ``/logout``: the end-session endpoint, back to a registered ``post_logout_redirect_uri``.

Refusals follow RFC 6749 (``invalid_client``, ``invalid_grant``, ... with status 400/401). :attr:`Provider.log`
lists the requests served (``"GET /authorize"``, ...), for tests that check the sign-in really went through here.

Use::

    with Provider(client_id="pbi", client_secret="s3cret", redirect_uri="http://127.0.0.1:8501/oauth2callback",
                  user={"sub": "1", "email": "siti@example.go.id", "name": "Siti"}) as idp:
        idp.metadata_url   # -> server_metadata_url of the [auth] section
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CODE_LIFETIME = 120          # seconds a code may wait to be exchanged
TOKEN_LIFETIME = 3600        # seconds an id_token and an access token are valid


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def at_hash(access_token: str) -> str:
    """OpenID Connect Core 3.1.3.6: the left half of SHA-256 of the access token, base64url (for RS256)."""
    return _b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16])


@dataclass
class _Grant:
    user: dict
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    method: str | None
    expires: float


@dataclass
class Provider:
    """One provider, one registered client; :meth:`start` serves it on a free port of 127.0.0.1."""

    client_id: str
    client_secret: str
    redirect_uri: str
    user: dict = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    on_authorize: Callable[[], None] | None = None     # called as a user is approved, before the redirect back

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---------------------------------------------------------------- serving
    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def start(self) -> Provider:
        provider = self

        class Handler(_Handler):
            idp = provider
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Provider:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---------------------------------------------------------------- the protocol
    def metadata(self) -> dict:
        iss = self.issuer
        return {
            "issuer": iss,
            "authorization_endpoint": iss + "/authorize",
            "token_endpoint": iss + "/token",
            "jwks_uri": iss + "/jwks",
            "userinfo_endpoint": iss + "/userinfo",
            "end_session_endpoint": iss + "/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
        }

    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict, str]:
        """(status, headers, body) of an authorization request: a redirect with a code, or a refusal."""
        if query.get("client_id") != self.client_id:
            return 400, {}, "unknown client_id"
        if query.get("redirect_uri") != self.redirect_uri:       # never redirect to an address not registered
            return 400, {}, "redirect_uri is not registered for this client"
        back = {"state": query["state"]} if "state" in query else {}
        if query.get("response_type") != "code":
            back["error"] = "unsupported_response_type"
        elif "openid" not in query.get("scope", "").split():
            back["error"] = "invalid_scope"
        elif not self.user.get("sub"):
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = _Grant(dict(self.user), self.redirect_uri, query.get("nonce"),
                                           query.get("code_challenge"), query.get("code_challenge_method"),
                                           time.time() + CODE_LIFETIME)
            back["code"] = code
            if self.on_authorize is not None:
                self.on_authorize()
        return 302, {"Location": self.redirect_uri + "?" + urlencode(back)}, ""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        """(status, JSON body) of a token request."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(authorization[6:]).decode("utf-8").partition(":")
            except ValueError:
                return 401, {"error": "invalid_client"}
        if client_id != self.client_id or not hmac.compare_digest(str(secret or ""), self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)      # single use
        if grant is None or grant.expires < time.time() or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "")
            made = _b64url(hashlib.sha256(verifier.encode("ascii")).digest()) if grant.method == "S256" else verifier
            if not verifier or not hmac.compare_digest(made, grant.challenge):
                return 400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
        access = secrets.token_urlsafe(32)
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": grant.user["sub"], "aud": self.client_id, "iat": now,
                  "exp": now + TOKEN_LIFETIME, "at_hash": at_hash(access), **_profile(grant.user)}
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}, claims, self.key)
        with self._lock:
            self._tokens[access] = grant.user
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME,
                     "scope": "openid email profile", "id_token": id_token}

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        token = authorization[7:] if authorization and authorization.startswith("Bearer ") else ""
        with self._lock:
            user = self._tokens.get(token)
        if user is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": user["sub"], **_profile(user)}

    def logout(self, query: dict[str, str]) -> tuple[int, dict, str]:
        back = query.get("post_logout_redirect_uri")
        if back != self.redirect_uri:
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, "signed out"
        return 302, {"Location": back + ("?" + urlencode({"state": query["state"]}) if "state" in query else "")}, ""


def _profile(user: dict) -> dict:
    out = {k: user[k] for k in ("email", "name", "preferred_username") if k in user}
    if "email" in out:
        out["email_verified"] = bool(user.get("email_verified", True))
    return out


class _Handler(BaseHTTPRequestHandler):
    idp: Provider

    def log_message(self, format, *args) -> None:   # noqa: A002 - the standard library's name; quiet in tests
        pass

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def _send(self, status: int, headers: dict, body: str | bytes) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, body: dict) -> None:
        self._send(status, {"Content-Type": "application/json"}, json.dumps(body))

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlparse(self.path).path
        self.idp.log.append(f"GET {path}")
        if path == "/.well-known/openid-configuration":
            self._json(200, self.idp.metadata())
        elif path == "/jwks":
            self._json(200, self.idp.jwks())
        elif path == "/authorize":
            self._send(*self.idp.authorize(self._query()))
        elif path == "/userinfo":
            self._json(*self.idp.userinfo(self.headers.get("Authorization")))
        elif path == "/logout":
            self._send(*self.idp.logout(self._query()))
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        self.idp.log.append(f"POST {path}")
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        if path == "/token":
            self._json(*self.idp.token(form, self.headers.get("Authorization")))
        elif path == "/userinfo":
            self._json(*self.idp.userinfo(self.headers.get("Authorization")))
        else:
            self._json(404, {"error": "not_found"})
