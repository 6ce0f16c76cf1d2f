"""Operator commands for the scenario library (no Streamlit).

``python -m storage upgrade [--db URL|PATH]``
    Create the database's schema or upgrade it to the newest version (Alembic migrations, storage/migrations), in
    one transaction; a SQLite file made before Alembic (schema versions 1 to 3) is upgraded in place. The app does
    the same when it opens the database; run this before starting a new version of the app on a shared server.
``python -m storage prune --older-than 90 [--dry-run] [--db URL|PATH]``
    Remove library entries not changed for 90 days; frozen "as presented" copies and baselines are never
    removed. Prints each entry it removes (or, with ``--dry-run``, would remove), then a count.

``python -m storage editor add NAME --regions kab_ketapang,pontianak [--admin] [--email E] [--db URL|PATH]``
    Add an editor who may sign in when the server requires it (``PBI_EDITORS=required``; docs/DEPLOY.md). The
    password is asked twice on a terminal, else read from the first line of standard input; only its scrypt hash
    with a salt of its own is stored. ``--admin``: may change every region.
``python -m storage editor remove NAME`` / ``python -m storage editor list``
    Remove an editor; list the editors (name, regions, admin, e-mail; never a password or its hash).
    ``add`` and ``remove`` are recorded in the audit log (append-only): when, which editor, what rights, and who:
    ``--by NAME`` (the operator's name), else the operating-system account that ran the command (recorded in
    both cases). ``python -m storage editor log`` prints those records, newest first.

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
    editor = sub.add_parser("editor", help="add, remove or list the editors who may sign in")
    ed = editor.add_subparsers(dest="editor_command", required=True)
    add = ed.add_parser("add", help="add an editor (password asked, or read from standard input)")
    add.add_argument("name")
    add.add_argument("--regions", default="", metavar="ID,ID", help="the regions the editor may change")
    add.add_argument("--admin", action="store_true", help="may change every region")
    add.add_argument("--email", default=None, help="the e-mail of the editor's OpenID Connect sign-in")
    by = "who runs this, for the audit log (default: the operating-system account)"
    add.add_argument("--by", default=None, metavar="NAME", help=by)
    add.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    rm = ed.add_parser("remove", help="remove an editor")
    rm.add_argument("name")
    rm.add_argument("--by", default=None, metavar="NAME", help=by)
    rm.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    ls = ed.add_parser("list", help="list the editors")
    ls.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    log = ed.add_parser("log", help="the audit log's records of editors added and removed, newest first")
    log.add_argument("--db", default=None, metavar="URL|PATH", help=where)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "upgrade":
        return _upgrade(args.db)
    if args.command == "editor":
        return _editor(args)
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



def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValidationError("password", "the two passwords differ", code="passwords_differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _editor(args) -> int:
    from storage.editors import EditorStore
    try:
        if args.editor_command == "add" and not args.regions.strip() and not args.admin:
            raise ValidationError("regions", "give --regions (ids separated by commas) or --admin", code="bad_editor")
        store = EditorStore(args.db)
        if args.editor_command == "add":
            e = store.add(args.name, _read_password(), args.regions, admin=args.admin, email=args.email, by=args.by)
            print(f"added editor {e.name!r}: " + ("admin (every region)" if e.is_admin else ", ".join(e.regions)))
        elif args.editor_command == "remove":
            store.remove(args.name, by=args.by)
            print(f"removed editor {args.name!r}")
        elif args.editor_command == "log":
            for r in store.audit(actions=("editor_add", "editor_remove")):
                print(f"{r.at:%Y-%m-%d %H:%M:%S} UTC\t{r.action}\t{r.target}\tby {r.editor}\t{r.name}")
        else:
            for e in store.list():
                print(f"{e.name}\t{'admin' if e.is_admin else ','.join(e.regions)}\t{e.email or '-'}")
    except ValidationError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
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
