"""Editors who sign in, and the audit log of changes (issue 15, "who may change what"), in the library's database.

Sign-in is off unless the server turns it on (``PBI_EDITORS=required``, ui/auth.py): on a laptop anyone may save,
as before, and every change is recorded as made by :data:`ANONYMOUS`.

* Editors (table ``editors``): a local user list kept by the operator (``python -m storage editor add NAME
  --regions kab_ketapang,pontianak``). A password is stored only as ``scrypt`` of it with a random 16-byte salt of
  its own (the standard library's :func:`hashlib.scrypt`; ``scrypt$n$r$p$salt$hash``), never as text. An editor
  may change the scenarios and the saved region of the regions listed; an admin (``--admin``) every region. An
  optional e-mail maps a sign-in through the office's OpenID Connect provider (Streamlit's ``st.login``) to the
  entry.
* Audit (table ``audit``): :func:`record` is called by :mod:`storage.library` and :mod:`storage.regions` inside
  the transaction of each change, so a change and its row are committed together. :meth:`EditorStore.audit`
  lists a region's rows, newest first. Adding or removing an editor is recorded too (``editor_add``,
  ``editor_remove``; no region): by whom (the operator's ``--by``, else the account of the operating system that
  ran it), when, which editor and what rights, and always the operating-system account. The rows are append-only:
  the database refuses to change or remove one (triggers of migration 0005).

Refusals are :class:`simulation.errors.ValidationError`\\s: ``bad_editor`` (a name, e-mail or region list that is
not valid), ``weak_password``, ``editor_exists``, ``unknown_editor``, ``locked`` (:data:`MAX_FAILED` wrong
passwords for a name within :data:`LOCK_WINDOW`, counted in the database across server processes; each is an
audit row ``sign_in_failed`` with no region), ``busy``, ``storage``.

This module does not import Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from simulation.data import REGION_ID_RE
from simulation.errors import ValidationError

if TYPE_CHECKING:                                  # pragma: no cover
    from storage.library import Library

ANONYMOUS = "anonim"                               # who made a change while sign-in is off
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
EMAIL_RE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1       # ~16 MB and a few tens of ms per check
MAX_AUDIT = 500                                    # rows one listing returns
MAX_FAILED = 5                                     # wrong passwords for one name within LOCK_WINDOW: then locked
LOCK_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Editor:
    """One editor as listed (never with the password's hash)."""

    name: str
    regions: tuple[str, ...]
    is_admin: bool
    email: str | None
    created_at: dt.datetime

    def may_edit(self, region: str) -> bool:
        """The editor may change this region's scenarios and saved region."""
        return self.is_admin or region in self.regions


@dataclass(frozen=True)
class AuditRow:
    """One change: when (UTC), who, what (``save``, ``rename``, ``delete``, ``region_save``, ...), which entry id
    or region version, its name, and the region."""

    at: dt.datetime
    editor: str
    action: str
    target: str
    name: str
    region: str


# --------------------------------------------------------------------------- passwords
def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` of ``password`` with a new random salt (or ``salt``)."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """``password`` is the one ``stored`` was made from (compared in constant time)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


_DUMMY = hash_password("not a password of anyone", b"\0" * 16)   # an unknown name costs the same time as a known one


# --------------------------------------------------------------------------- checks
def check_editor_name(name: object) -> str:
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise ValidationError("editor", "an editor's name has 1 to 64 letters, digits, '.', '_', '@' or '-'",
                              code="bad_editor", params={"field": "name"})
    return name


def check_regions(regions: object) -> tuple[str, ...]:
    """Region ids (a list, or text separated by commas), each as the region files name them."""
    items = regions.split(",") if isinstance(regions, str) else regions
    if not isinstance(items, list | tuple):
        raise ValidationError("regions", "expected region ids separated by commas", code="bad_editor",
                              params={"field": "regions"})
    out = tuple(dict.fromkeys(str(r).strip() for r in items if str(r).strip()))
    bad = [r for r in out if not REGION_ID_RE.fullmatch(r)]
    if bad:
        raise ValidationError("regions", f"not a region id: {bad[0][:40]!r}", code="bad_editor",
                              params={"field": "regions"})
    return out


def _check_password(password: object) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationError("password", f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters",
                              code="weak_password", params={"min": MIN_PASSWORD, "max": MAX_PASSWORD})
    return password


def _operator(by: object) -> tuple[str, str]:
    """(who the audit log names, the operating-system account) of an operator's command."""
    account = os_user()
    if by is None:
        return account, account
    if not isinstance(by, str) or not NAME_RE.fullmatch(by):
        raise ValidationError("by", "--by has 1 to 64 letters, digits, '.', '_', '@' or '-'", code="bad_editor",
                              params={"field": "by"})
    return by, account


def _editor(row) -> Editor:
    return Editor(name=row[0], regions=tuple(r for r in row[1].split(",") if r), is_admin=bool(row[2]),
                  email=row[3], created_at=dt.datetime.fromisoformat(row[4]))


# --------------------------------------------------------------------------- the audit log
def record(con: Connection, editor: str | None, action: str, target: str, name: str, region: str,
           at: dt.datetime | None = None) -> None:
    """One row of the audit log, in the transaction of the change it records (``editor`` None: sign-in is off;
    ``at``: now unless given)."""
    con.execute(sa.text("INSERT INTO audit (at, editor, action, target, name, region) "
                        "VALUES (:at, :editor, :action, :target, :name, :region)"),
                {"at": (at or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds"),
                 "editor": editor or ANONYMOUS, "action": action, "target": str(target), "name": str(name)[:200],
                 "region": str(region)})


def os_user() -> str:
    """The operating-system account this process runs as (by its user id, not by ``$USER``, which anyone sets)."""
    try:
        import pwd
        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):     # no pwd (Windows) or a user id with no entry
        import getpass
        try:
            return getpass.getuser()
        except OSError:
            return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _rights(regions: tuple[str, ...], admin: bool, email: str | None) -> str:
    what = "admin (every region)" if admin else "regions " + ",".join(regions)
    return what + (f"; e-mail {email}" if email else "")


# --------------------------------------------------------------------------- the store
class EditorStore:
    """Editors and the audit log, in a library's database (the same connection settings and transactions)."""

    def __init__(self, path=None, *, library: Library | None = None):
        if library is None:
            from storage.library import Library
            library = Library(path)
        self.library = library
        self.url = library.url

    def add(self, name: str, password: str, regions, *, admin: bool = False, email: str | None = None,
            by: str | None = None) -> Editor:
        """A new editor (code ``editor_exists`` when the name or e-mail is taken), recorded in the audit log as
        added by ``by`` (default: the operating-system account, :func:`os_user`)."""
        by, account = _operator(by)
        name = check_editor_name(name)
        regions = check_regions(regions)
        if email is not None and (not isinstance(email, str) or not EMAIL_RE.fullmatch(email.strip())):
            raise ValidationError("email", "not an e-mail address", code="bad_editor", params={"field": "email"})
        email = None if email is None else email.strip().lower()
        stored = hash_password(_check_password(password))
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        with self.library._db(write=True) as con:
            taken = con.execute(sa.text("SELECT 1 FROM editors WHERE name = :n OR (email IS NOT NULL AND email = :e)"),
                                {"n": name, "e": email}).first()
            if taken is not None:
                raise ValidationError("editor", f"an editor {name!r} (or that e-mail) already exists",
                                      code="editor_exists", params={"name": name})
            con.execute(sa.text("INSERT INTO editors (name, password_hash, regions, is_admin, email, created_at) "
                                "VALUES (:n, :h, :r, :a, :e, :c)"),
                        {"n": name, "h": stored, "r": ",".join(regions), "a": int(admin), "e": email, "c": now})
            record(con, by, "editor_add", name, f"{_rights(regions, admin, email)}; OS user {account}", "")
        return self.get(name)

    def remove(self, name: str, *, by: str | None = None) -> None:
        """Remove an editor (signed-in sessions lose the right at once), recorded as removed by ``by``."""
        by, account = _operator(by)
        name = check_editor_name(name)
        with self.library._db(write=True) as con:
            row = con.execute(sa.text("SELECT name, regions, is_admin, email, created_at FROM editors "
                                      "WHERE name = :n"), {"n": name}).first()
            if row is None:
                raise ValidationError("editor", f"no editor {name!r}", code="unknown_editor", params={"name": name})
            con.execute(sa.text("DELETE FROM editors WHERE name = :n"), {"n": name})
            gone = _editor(row)
            record(con, by, "editor_remove", name,
                   f"{_rights(gone.regions, gone.is_admin, gone.email)}; OS user {account}", "")

    def get(self, name: str) -> Editor | None:
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            return None
        with self.library._db() as con:
            row = con.execute(sa.text("SELECT name, regions, is_admin, email, created_at FROM editors "
                                      "WHERE name = :n"), {"n": name}).first()
        return None if row is None else _editor(row)

    def by_email(self, email: object) -> Editor | None:
        """The editor an OpenID Connect sign-in with this e-mail is (None: no entry has it)."""
        if not isinstance(email, str) or not EMAIL_RE.fullmatch(email.strip()):
            return None
        with self.library._db() as con:
            row = con.execute(sa.text("SELECT name, regions, is_admin, email, created_at FROM editors "
                                      "WHERE email = :e"), {"e": email.strip().lower()}).first()
        return None if row is None else _editor(row)

    def list(self) -> list[Editor]:
        with self.library._db() as con:
            rows = con.execute(sa.text("SELECT name, regions, is_admin, email, created_at FROM editors")).all()
        return sorted((_editor(r) for r in rows), key=lambda e: e.name)

    def verify(self, name: object, password: object, *, now: dt.datetime | None = None) -> Editor | None:
        """The editor when ``password`` is theirs, else None (an unknown name takes as long as a wrong password).

        Refused with code ``locked`` after :data:`MAX_FAILED` wrong passwords for the name within
        :data:`LOCK_WINDOW` (also for the right one: a guesser learns nothing while it lasts)."""
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            return None
        now = now or dt.datetime.now(dt.UTC)
        since = (now - LOCK_WINDOW).isoformat(timespec="microseconds")
        with self.library._db() as con:
            stored = con.execute(sa.text("SELECT password_hash FROM editors WHERE name = :n"), {"n": name}).scalar()
            failed = con.execute(sa.text("SELECT count(*) FROM audit WHERE action = 'sign_in_failed' "
                                         "AND target = :n AND at >= :since"), {"n": name, "since": since}).scalar()
        if failed >= MAX_FAILED:
            minutes = int(LOCK_WINDOW.total_seconds() // 60)
            raise ValidationError("editor", f"too many wrong passwords for {name!r}; try again in {minutes} minutes",
                                  code="locked", params={"minutes": minutes})
        ok = isinstance(password, str) and len(password) <= MAX_PASSWORD and check_password(password,
                                                                                          stored or _DUMMY)
        if ok and stored is not None:
            return self.get(name)
        with self.library._db(write=True) as con:
            record(con, None, "sign_in_failed", name, name, "", at=now)
        return None

    def audit(self, region: str | None = None, limit: int = MAX_AUDIT, *,
              actions: tuple[str, ...] | None = None) -> list[AuditRow]:
        """The changes (of one region, or all; of these ``actions``, or all), newest first."""
        where, params = [], {"lim": max(1, min(int(limit), MAX_AUDIT))}
        if region is not None:
            where.append("region = :r")
            params["r"] = region
        if actions is not None:
            where.append("action IN :actions")
            params["actions"] = list(actions)
        stmt = sa.text("SELECT at, editor, action, target, name, region FROM audit"
                       + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT :lim")
        if actions is not None:
            stmt = stmt.bindparams(sa.bindparam("actions", expanding=True))
        with self.library._db() as con:
            rows = con.execute(stmt, params).all()
        return [AuditRow(at=dt.datetime.fromisoformat(r[0]), editor=r[1], action=r[2], target=r[3], name=r[4],
                         region=r[5]) for r in rows]
