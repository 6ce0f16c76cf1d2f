"""Alembic environment of the library's database (storage/db.py runs it; ``python -m storage upgrade``).

Runs on the connection storage/db.py passes (inside its write transaction, so that two processes opening a new
database do not both migrate it), or, for Alembic's own command line, on ``$PBI_DATABASE_URL`` / the default file.
"""

from __future__ import annotations

from alembic import context

from storage import db

config = context.config


def run() -> None:
    con = config.attributes.get("connection")
    if con is not None:
        context.configure(connection=con, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = db.database_url()
    path = db.sqlite_path(url)
    if path is not None:
        db.prepare_sqlite_file(path, 10.0)
    with db.transaction(db.engine(url), 10.0, write=True) as own:
        context.configure(connection=own, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run python -m storage upgrade")
run()
