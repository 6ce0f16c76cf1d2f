"""Version 2: per-session limits (issue 14): who saved what (the ``owner`` column, reserved since version 1, now
indexed) and a log of recent writes per session for the rate limit.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COMMON = [
    "CREATE INDEX scenarios_owner ON scenarios(owner) WHERE owner IS NOT NULL",
]
SQLITE = [
    *COMMON,
    """CREATE TABLE writes (
    owner TEXT NOT NULL,
    at    TEXT NOT NULL
)""",
    "CREATE INDEX writes_owner ON writes(owner, at)",
    "PRAGMA user_version = 2",
]
POSTGRESQL = [
    *COMMON,
    """CREATE TABLE writes (
    owner TEXT COLLATE "C" NOT NULL,
    at    TEXT COLLATE "C" NOT NULL
)""",
    "CREATE INDEX writes_owner ON writes(owner, at)",
]


def upgrade() -> None:
    for stmt in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)


def downgrade() -> None:
    raise NotImplementedError("the library's schema is only upgraded (restore a backup to go back)")
