"""Who may change what (issue 15): editors who sign in on a shared server. Off unless ``PBI_EDITORS=required``.

Off (a laptop, the default): nothing is drawn and anyone may save, as before; changes are recorded as "anonim".
On: viewing, exports and share links need no account; saving, renaming, freezing, deleting scenarios, setting the
baseline and saving a region need an editor of that region (storage/editors.py; an admin may change every region).
An editor signs in with a name and password from the local list (``python -m storage editor add``), or, where
``.streamlit/secrets.toml`` has an ``[auth]`` section, through the office's OpenID Connect provider (``st.login``;
``st.user.email`` is mapped to the editor with that e-mail). The pages ask :func:`may_edit` to disable their save
buttons and :func:`allowed` before a change (a click on a disabled button still refuses), and pass :func:`who` to
the library for its audit log.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from presentation.i18n import md_escape, t
from simulation.errors import ValidationError

from . import state

ENV = "PBI_EDITORS"          # "required": sign-in on (a shared server); anything else or unset: off


def enabled() -> bool:
    """Sign-in is required for changes on this server."""
    return os.environ.get(ENV, "").strip().lower() == "required"


def oidc() -> bool:
    """The office's OpenID Connect provider is configured (``[auth]`` in ``.streamlit/secrets.toml``)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def store():
    from storage.editors import EditorStore
    return EditorStore(library=state.library())


def current():
    """The signed-in editor (``storage.editors.Editor``), or None (signed out, sign-in off, or an entry removed)."""
    if not enabled():
        return None
    if oidc():
        return store().by_email(_provider_email()) if st.user.is_logged_in else None
    name = state.get(state.EDITOR)
    return store().get(name) if name else None


def _provider_email() -> str | None:
    """The e-mail the provider signed in, unless the provider says it has not verified it (then anyone could have
    typed an editor's address into their account)."""
    if st.user.get("email_verified") is False:
        return None
    email = st.user.get("email")
    return email if isinstance(email, str) else None


def _not_an_editor(lang: str) -> str:
    """Why a sign-in through the provider is not an editor: the e-mail is not verified, or no entry has it."""
    key = "signin.unverified" if st.user.get("email_verified") is False else "signin.no_entry"
    return t(key, lang, email=md_escape(str(st.user.get("email") or "")))


def who() -> str | None:
    """The name the audit log records (None: sign-in is off, recorded as "anonim")."""
    editor = current()
    return None if editor is None else editor.name


def may_edit(region_id: str) -> bool:
    if not enabled():
        return True
    editor = current()
    return editor is not None and editor.may_edit(region_id)


def refusal(region_id: str) -> str | None:
    """What a change of this region needs, in the session's language (None: allowed)."""
    if may_edit(region_id):
        return None
    editor = current()
    if editor is None and oidc() and st.user.is_logged_in:     # signed in with the provider, but not an editor
        return _not_an_editor(state.lang())
    if editor is None:
        return t("signin.need_editor", state.lang())
    return t("signin.not_your_region", state.lang(), name=md_escape(editor.name))


def allowed(region_id: str) -> bool:
    """May the change go ahead; if not, say why on the page."""
    message = refusal(region_id)
    if message is not None:
        st.error(message)
    return message is None


def notice(region_id: str) -> None:
    """A note above a page's save buttons when they are disabled for this visitor."""
    message = refusal(region_id)
    if message is not None:
        st.info("🔒 " + message)


# --------------------------------------------------------------------------- sidebar
def _sign_in(name: str, password: str) -> None:
    try:
        editor = store().verify(name.strip(), password)
    except ValidationError as exc:            # locked after too many wrong passwords (or the database is busy)
        state.flash("error", state.error_text(exc))
        return
    if editor is None:
        state.flash("error", t("signin.wrong", state.lang()))
        return
    state.put(state.EDITOR, editor.name)
    state.flash("success", t("signin.welcome", state.lang(), name=md_escape(editor.name)))


def _sign_out() -> None:
    state.put(state.EDITOR, "")
    if oidc() and st.user.is_logged_in:
        st.logout()


def sidebar() -> None:
    """"Masuk sebagai editor" / the signed-in name and "Keluar"; nothing when sign-in is off."""
    if not enabled():
        return
    lang = state.lang()
    editor = current()
    if editor is not None:
        where = t("signin.all_regions", lang) if editor.is_admin else ", ".join(editor.regions)
        st.caption(t("signin.signed_in_as", lang, name=md_escape(editor.name), regions=md_escape(where)))
        st.button(t("signin.sign_out", lang), key=state.widget_key("signin", "out"), on_click=_sign_out)
    elif oidc():
        if st.user.is_logged_in:   # signed in with the provider, but no editor has that e-mail
            st.caption(_not_an_editor(lang))
            st.button(t("signin.sign_out", lang), key=state.widget_key("signin", "out"), on_click=_sign_out)
        else:
            st.button(t("signin.sign_in", lang), key=state.widget_key("signin", "oidc"), on_click=st.login)
    else:
        with st.expander(t("signin.sign_in", lang)), st.form("signin", clear_on_submit=True, border=False):
            name = st.text_input(t("signin.name", lang), max_chars=64, key=state.widget_key("signin", "name"))
            password = st.text_input(t("signin.password", lang), type="password", max_chars=1024,
                                     key=state.widget_key("signin", "password"))
            if st.form_submit_button(t("signin.submit", lang)):
                _sign_in(name, password)
                st.rerun()


# --------------------------------------------------------------------------- audit
def audit_view(region) -> None:
    """Who changed what in this region, newest first: for its editors, when sign-in is on (off: not drawn, so that
    nothing changes on a laptop; the log is still kept, as "anonim")."""
    if not enabled() or not may_edit(region.id):
        return
    lang = state.lang()
    with st.expander(t("signin.audit_title", lang, region=md_escape(region.name))):
        rows = store().audit(region.id, 200)
        if not rows:
            st.caption(t("signin.audit_empty", lang))
            return
        st.dataframe(pd.DataFrame([{
            t("signin.col_when", lang): r.at.strftime("%Y-%m-%d %H:%M:%S"),
            t("signin.col_who", lang): r.editor,
            t("signin.col_action", lang): t(f"signin.action.{r.action}", lang),
            t("signin.col_what", lang): r.name,
            t("signin.col_target", lang): r.target,
        } for r in rows]), hide_index=True, width="stretch")
