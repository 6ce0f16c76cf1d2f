"""Version 3: regions saved in the app (issue 12; storage/regions.py): every save a new version, never changed
afterwards (a trigger refuses an UPDATE); scenarios and share links record the version of the region they were
made with.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TABLE regions (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    province     TEXT NOT NULL,
    ready        INTEGER NOT NULL CHECK (ready IN (0, 1)),
    json         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    owner        TEXT NULL,
    PRIMARY KEY (id, version)
)""",
    "CREATE INDEX regions_owner ON regions(owner) WHERE owner IS NOT NULL",
    """CREATE TRIGGER regions_versions_kept BEFORE UPDATE ON regions
    BEGIN SELECT RAISE(ABORT, 'a saved region version cannot be changed'); END""",
    "ALTER TABLE scenarios ADD COLUMN region_version INTEGER NULL",
    "ALTER TABLE snapshots ADD COLUMN region_version INTEGER NULL",
    "PRAGMA user_version = 3",
]
POSTGRESQL = [
    """CREATE TABLE regions (
    id           TEXT COLLATE "C" NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    province     TEXT NOT NULL,
    ready        INTEGER NOT NULL CHECK (ready IN (0, 1)),
    json         TEXT NOT NULL,
    content_hash TEXT COLLATE "C" NOT NULL,
    saved_at     TEXT COLLATE "C" NOT NULL,
    owner        TEXT COLLATE "C" NULL,
    PRIMARY KEY (id, version)
)""",
    "CREATE INDEX regions_owner ON regions(owner) WHERE owner IS NOT NULL",
    """CREATE FUNCTION pbi_refuse_region_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a saved region version cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    """CREATE TRIGGER regions_versions_kept BEFORE UPDATE ON regions
    FOR EACH ROW EXECUTE FUNCTION pbi_refuse_region_change()""",
    "ALTER TABLE scenarios ADD COLUMN region_version INTEGER NULL",
    "ALTER TABLE snapshots ADD COLUMN region_version INTEGER NULL",
]


def upgrade() -> None:
    for stmt in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)


def downgrade() -> None:
    raise NotImplementedError("the library's schema is only upgraded (restore a backup to go back)")
