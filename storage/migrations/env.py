"""Alembic environment of the library's database.

Migrations run only through storage/db.py (:func:`storage.db.upgrade_in`: when the app opens the database, or
``python -m storage upgrade``), on the connection it passes, inside its write transaction: two processes opening a
new database do not both migrate it, and a migration that fails leaves the database as it was.
"""

from __future__ import annotations

from alembic import context

con = context.config.attributes.get("connection")
if con is None or context.is_offline_mode():
    raise SystemExit("run the migrations with: python -m storage upgrade [--db URL]")
context.configure(connection=con, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
