"""Version 1: library entries (frozen copies kept unchanged by a trigger, one baseline per region) and share links.

The SQLite statements are those of the released version 1 (files on laptops have exactly this schema).

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TABLE scenarios (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    region       TEXT NOT NULL,
    json         TEXT NOT NULL,
    region_json  TEXT NULL,
    content_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    frozen       INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
    is_baseline  INTEGER NOT NULL DEFAULT 0 CHECK (is_baseline IN (0, 1)),
    owner        TEXT NULL
)""",
    "CREATE INDEX scenarios_region ON scenarios(region, created_at)",
    "CREATE UNIQUE INDEX scenarios_one_baseline ON scenarios(region) WHERE is_baseline = 1",
    """CREATE TRIGGER scenarios_frozen_no_update
    BEFORE UPDATE OF name, region, json, region_json, content_hash, frozen, created_at ON scenarios
    WHEN OLD.frozen = 1
    BEGIN SELECT RAISE(ABORT, 'frozen'); END""",
    """CREATE TABLE snapshots (
    content_hash TEXT PRIMARY KEY,
    json         TEXT NOT NULL,
    region_json  TEXT NULL,
    created_at   TEXT NOT NULL
)""",
    "PRAGMA user_version = 1",
]

# PostgreSQL: the same tables; keys and times compare byte by byte (COLLATE "C", as SQLite does); the trigger
# raises an integrity violation with the same word, so that both databases refuse a frozen row alike.
POSTGRESQL = [
    """CREATE TABLE scenarios (
    id           TEXT COLLATE "C" PRIMARY KEY,
    name         TEXT NOT NULL,
    region       TEXT COLLATE "C" NOT NULL,
    json         TEXT NOT NULL,
    region_json  TEXT NULL,
    content_hash TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL,
    frozen       INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
    is_baseline  INTEGER NOT NULL DEFAULT 0 CHECK (is_baseline IN (0, 1)),
    owner        TEXT COLLATE "C" NULL
)""",
    "CREATE INDEX scenarios_region ON scenarios(region, created_at)",
    "CREATE UNIQUE INDEX scenarios_one_baseline ON scenarios(region) WHERE is_baseline = 1",
    """CREATE FUNCTION pbi_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'frozen' USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    """CREATE TRIGGER scenarios_frozen_no_update
    BEFORE UPDATE OF name, region, json, region_json, content_hash, frozen, created_at ON scenarios
    FOR EACH ROW WHEN (OLD.frozen = 1)
    EXECUTE FUNCTION pbi_refuse_frozen()""",
    """CREATE TABLE snapshots (
    content_hash TEXT COLLATE "C" PRIMARY KEY,
    json         TEXT NOT NULL,
    region_json  TEXT NULL,
    created_at   TEXT COLLATE "C" NOT NULL
)""",
]


def upgrade() -> None:
    for stmt in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)


def downgrade() -> None:
    raise NotImplementedError("the library's schema is only upgraded (restore a backup to go back)")
