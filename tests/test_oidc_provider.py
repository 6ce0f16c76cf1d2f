"""The test OpenID Connect provider (tests/oidc_provider.py) behaves as a provider must, so that the browser tests'
sign-in proves something: it issues a code only to the registered client and redirect address, exchanges a code
once, for the right secret and PKCE verifier only, and signs an id_token that Authlib's own client (the one
Streamlit uses) accepts, with the nonce, audience and issuer it checks."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from oidc_provider import Provider

REDIRECT = "http://127.0.0.1:9/oauth2callback"
SITI = {"sub": "u-1", "email": "siti@kota.example.go.id", "name": "Siti"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with _opener.open(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def _post(url: str, form: dict, auth: tuple[str, str] | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=urlencode(form).encode(), method="POST")
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    try:
        with _opener.open(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture
def idp():
    with Provider(client_id="pbi", client_secret="rahasia", redirect_uri=REDIRECT, user=dict(SITI)) as p:
        yield p


def _authorize(idp, **extra) -> tuple[int, dict[str, str]]:
    query = {"client_id": "pbi", "redirect_uri": REDIRECT, "response_type": "code", "scope": "openid email",
             "state": "st-1", "nonce": "n-1", **extra}
    status, headers, _ = _get(idp.issuer + "/authorize?" + urlencode(query))
    back = {k: v[0] for k, v in parse_qs(urlparse(headers.get("Location", "")).query).items()}
    return status, back


def test_authlibs_client_signs_in_and_gets_the_users_claims(idp):
    client = OAuth2Session("pbi", "rahasia", scope="openid email profile", redirect_uri=REDIRECT)
    meta = json.loads(_get(idp.metadata_url)[2])
    assert meta["issuer"] == idp.issuer and meta["id_token_signing_alg_values_supported"] == ["RS256"]
    url, state = client.create_authorization_url(meta["authorization_endpoint"], nonce="n-42")
    status, headers, _ = _get(url)
    assert status == 302 and headers["Location"].startswith(REDIRECT + "?")
    token = client.fetch_token(meta["token_endpoint"], authorization_response=headers["Location"])
    keys = KeySet.import_key_set(json.loads(_get(meta["jwks_uri"])[2]))
    claims = jwt.decode(token["id_token"], keys).claims
    assert (claims["iss"], claims["aud"], claims["sub"], claims["nonce"]) == (idp.issuer, "pbi", "u-1", "n-42")
    assert claims["email"] == SITI["email"] and claims["email_verified"] is True
    assert client.get(meta["userinfo_endpoint"]).json() == {"sub": "u-1", "email": SITI["email"], "name": "Siti",
                                                            "email_verified": True}
    assert idp.log.count("POST /token") == 1


def test_a_code_only_for_the_registered_client_and_address(idp):
    assert _authorize(idp, client_id="other")[0] == 400
    assert _authorize(idp, redirect_uri="http://127.0.0.1:9/elsewhere")[0] == 400      # never sent elsewhere
    assert _authorize(idp, response_type="token")[1] == {"state": "st-1", "error": "unsupported_response_type"}
    assert _authorize(idp, scope="email")[1] == {"state": "st-1", "error": "invalid_scope"}
    status, back = _authorize(idp)
    assert status == 302 and back["state"] == "st-1" and back["code"]


def test_a_code_is_exchanged_once_for_the_right_secret_and_verifier(idp):
    token = idp.issuer + "/token"
    form = {"grant_type": "authorization_code", "redirect_uri": REDIRECT}
    code = _authorize(idp)[1]["code"]
    assert _post(token, {**form, "code": code}, ("pbi", "salah")) == (401, {"error": "invalid_client"})
    assert _post(token, {**form, "code": code, "client_id": "pbi", "client_secret": "rahasia"})[0] == 200
    assert _post(token, {**form, "code": code}, ("pbi", "rahasia")) == (400, {"error": "invalid_grant"})   # once
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = _authorize(idp, code_challenge=challenge, code_challenge_method="S256")[1]["code"]
    assert _post(token, {**form, "code": code, "code_verifier": "w" * 50}, ("pbi", "rahasia"))[0] == 400
    code = _authorize(idp, code_challenge=challenge, code_challenge_method="S256")[1]["code"]
    assert _post(token, {**form, "code": code, "code_verifier": verifier}, ("pbi", "rahasia"))[0] == 200
    assert _get(idp.issuer + "/userinfo")[0] == 401
