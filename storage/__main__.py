"""Operator commands for the scenario library (no Streamlit).

``python -m storage prune --older-than 90 [--dry-run] [--db PATH]``
    Remove library entries not changed for 90 days; frozen "as presented" copies and baselines are never
    removed. Prints each entry it removes (or, with ``--dry-run``, would remove), then a count.
    ``--db``: the database file (default ``$PBI_DATA_DIR/scenarios.sqlite3``, else ``var/scenarios.sqlite3``).

Exit status: 0 done, 2 wrong arguments or a database that cannot be used.
The output is for the operator who runs the server, in English (like the server's own log).
"""

from __future__ import annotations

import argparse
import sys

from simulation.errors import ValidationError
from storage.library import Library, default_path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m storage", description="Operator commands for the scenario library.")
    sub = p.add_subparsers(dest="command", required=True)
    prune = sub.add_parser("prune", help="remove old unfrozen, non-baseline entries")
    prune.add_argument("--older-than", type=float, required=True, metavar="DAYS",
                       help="remove entries not changed for this many days")
    prune.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    prune.add_argument("--db", default=None, metavar="PATH", help=f"database file (default {default_path()})")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
    print(f"{verb} {len(removed)} entries not changed for {args.older_than:g} days from {lib.path}; "
          f"{left if not args.dry_run else left - len(removed)} left (frozen copies and baselines are never removed)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
