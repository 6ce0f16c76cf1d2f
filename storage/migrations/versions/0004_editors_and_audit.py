"""Version 4: editors who sign in and the audit log (issue 15, "who may change what"; storage/editors.py).

``editors``: a local user list (name, scrypt hash of the password with a per-user salt, the regions the editor may
change, an admin flag, an optional e-mail that maps an OpenID Connect sign-in to the entry). ``audit``: one row per
change of the library or the saved regions (who, when, what, which entry or region version, which region).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TABLE editors (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    regions       TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    email         TEXT NULL UNIQUE,
    created_at    TEXT NOT NULL
)""",
    """CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    editor  TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    name    TEXT NOT NULL,
    region  TEXT NOT NULL
)""",
    "CREATE INDEX audit_region ON audit(region, at)",
    "PRAGMA user_version = 4",
]
POSTGRESQL = [
    """CREATE TABLE editors (
    name          TEXT COLLATE "C" PRIMARY KEY,
    password_hash TEXT COLLATE "C" NOT NULL,
    regions       TEXT COLLATE "C" NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    email         TEXT COLLATE "C" NULL UNIQUE,
    created_at    TEXT COLLATE "C" NOT NULL
)""",
    """CREATE TABLE audit (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TEXT COLLATE "C" NOT NULL,
    editor  TEXT NOT NULL,
    action  TEXT COLLATE "C" NOT NULL,
    target  TEXT COLLATE "C" NOT NULL,
    name    TEXT NOT NULL,
    region  TEXT COLLATE "C" NOT NULL
)""",
    "CREATE INDEX audit_region ON audit(region, at)",
]


def upgrade() -> None:
    for stmt in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)


def downgrade() -> None:
    raise NotImplementedError("the library's schema is only upgraded (restore a backup to go back)")
