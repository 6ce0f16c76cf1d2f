"""Version 5: the audit log is append-only (issue 15; storage/editors.py).

Rows of ``audit`` are only ever inserted (a change of the library or the saved regions, a failed sign-in, an
editor added or removed by the operator). Triggers make the database itself refuse to change or remove one, for
the app and for anyone with the database's password alike: ``UPDATE`` and ``DELETE`` on SQLite and PostgreSQL,
and ``TRUNCATE`` on PostgreSQL (SQLite has none). Removing the triggers is a change of the schema, which
:func:`storage.db.missing_guards` (``integrity_check``) reports.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MESSAGE = "the audit log is append-only: its rows cannot be changed or removed"
SQLITE = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    "PRAGMA user_version = 5",
]
POSTGRESQL = [
    f"""CREATE FUNCTION pbi_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION pbi_refuse_audit_change()""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION pbi_refuse_audit_change()""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION pbi_refuse_audit_change()""",
]


def upgrade() -> None:
    for stmt in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)


def downgrade() -> None:
    raise NotImplementedError("the library's schema is only upgraded (restore a backup to go back)")
