"""Operator commands for the scenario library (no Streamlit).

``python -m storage upgrade [--db URL|PATH]``
    Create the database's schema or upgrade it to the newest version (Alembic migrations, storage/migrations), in
    one transaction; a SQLite file made before Alembic (schema versions 1 to 3) is upgraded in place. The app does
    the same when it opens the database; run this before starting a new version of the app on a shared server.
``python -m storage prune --older-than 90 [--dry-run] [--db URL|PATH]``
    Remove library entries not changed for 90 days; frozen "as presented" copies and baselines are never
    removed. Prints each entry it removes (or, with ``--dry-run``, would remove), then a count.

``--db``: a database URL (``postgresql://user@host/pbi``, ``sqlite:///path``) or a SQLite file; default
``$PBI_DATABASE_URL``, else ``$PBI_DATA_DIR/scenarios.sqlite3``, else ``var/scenarios.sqlite3``.

Exit status: 0 done, 2 wrong arguments or a database that cannot be used.
The output is for the operator who runs the server, in English (like the server's own log).
"""

from __future__ import annotations

import argparse
import sys

from simulation.errors import ValidationError
from storage import db
from storage.library import Library


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m storage", description="Operator commands for the scenario library.")
    sub = p.add_subparsers(dest="command", required=True)
    where = f"database URL or SQLite file (default ${db.URL_ENV}, else {db.default_path()})"
    upgrade = sub.add_parser("upgrade", help="create or upgrade the database's schema to the newest version")
    upgrade.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    prune = sub.add_parser("prune", help="remove old unfrozen, non-baseline entries")
    prune.add_argument("--older-than", type=float, required=True, metavar="DAYS",
                       help="remove entries not changed for this many days")
    prune.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    prune.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "upgrade":
        return _upgrade(args.db)
    try:
        lib = Library(args.db)
        removed = lib.prune(args.older_than, dry_run=args.dry_run)
        left = lib.count()
    except ValidationError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    verb = "would remove" if args.dry_run else "removed"
    for e in removed:
        # names are user text: repr() shows control characters and quotes instead of acting on the terminal
        print(f"{verb} {e.id}  {e.region}  last changed {e.updated_at:%Y-%m-%d}  {e.name!r}")
    print(f"{verb} {len(removed)} entries not changed for {args.older_than:g} days from {_where(lib)}; "
          f"{left if not args.dry_run else left - len(removed)} left (frozen copies and baselines are never removed)")
    return 0



def _where(lib: Library) -> str:
    return str(lib.path) if lib.path is not None else lib.url.render_as_string(hide_password=True)


def _upgrade(target: str | None) -> int:
    try:
        url = db.database_url(target)
        path = db.sqlite_path(url)
        if path is not None:
            db.prepare_sqlite_file(path, 10.0)
        with db.transaction(db.engine(url), 10.0, write=True) as con:
            before, after = db.upgrade_in(con)
    except ValidationError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    where = str(path) if path is not None else url.render_as_string(hide_password=True)
    if before == after:
        print(f"{where}: schema already at revision {after}")
    else:
        old = before or "an empty database"
        if old.startswith("legacy:"):
            old = f"schema version {old.split(':')[1]} (before Alembic)"
        print(f"{where}: schema upgraded from {old} to revision {after}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
