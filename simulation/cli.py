"""Command line: ``python -m simulation {example,run,goal-seek,backtest,batch}``.

Bad input exits with status 2 and one line on stderr naming what is wrong; no traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from .errors import ValidationError

MAX_FILE_BYTES = 20_000_000


def _read(path: str) -> str:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(path, f"file larger than {MAX_FILE_BYTES // 1_000_000} MB", code="too_large")
        return p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(path, "no such file", code="not_found") from None
    except IsADirectoryError:
        raise ValidationError(path, "is a folder, not a file", code="not_a_file") from None
    except UnicodeDecodeError:
        raise ValidationError(path, "not UTF-8 text", code="not_text") from None


def _load_scenario(path: str):
    from .scenario import Scenario
    try:
        return Scenario.from_json(_read(path))
    except ValidationError as exc:
        if exc.field.startswith(path):
            raise
        raise ValidationError(f"{path}: {exc.field}", exc.message, code=exc.code, params=exc.params) from None


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _emit_table(df, fmt: str, out) -> None:
    if fmt == "csv":
        df.to_csv(out, index=False, lineterminator="\n")
    else:
        rows = [{k: _clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")


def cmd_example(args) -> int:
    from .scenario import default_scenario
    sys.stdout.write(default_scenario(args.lang).to_json() + "\n")
    return 0


def cmd_run(args) -> int:
    from .projection import project
    p = project(_load_scenario(args.scenario))
    _emit_table(p.table, args.format, sys.stdout)
    for w in p.warnings:
        print(f"note: {w}", file=sys.stderr)
    return 0


def cmd_goal_seek(args) -> int:
    from .goalseek import goal_seek
    r = goal_seek(_load_scenario(args.scenario), args.target, args.year, confidence=args.confidence)
    out = {
        "target_pct": r.target_pct, "year": r.year, "confidence": r.confidence, "feasible": r.feasible,
        "already_reached": r.already_reached, "baseline_pct": round(r.baseline_pct, 3),
        "extra_participants": r.extra_participants, "extra_members": r.extra_members,
        "budget_idr": round(r.budget_idr), "extra_budget_idr": round(r.extra_budget_idr),
        "shortfall_pct": round(r.shortfall_pct, 3),
        "groups": [{k: _clean(v) for k, v in row.items()} for row in r.steps.to_dict(orient="records")],
    }
    if args.format == "json":
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        verdict = "reachable" if r.feasible else f"NOT reachable with these groups (short by {r.shortfall_pct:.2f} points)"
        print(f"target {r.target_pct:g} % in {r.year} at confidence {r.confidence:g}: {verdict}")
        print(f"extra participants: {r.extra_participants:,} (members to enrol: {r.extra_members:,})")
        print(f"city budget in {r.year}: Rp {r.budget_idr:,.0f} (extra Rp {r.extra_budget_idr:,.0f})")
        for row in out["groups"]:
            print(f"  {row['group']}: {row['members']:,} members, {row['participants']:,.0f} participants")
    return 0


def cmd_backtest(args) -> int:
    from .forecast import backtest
    from .history import read_history_csv
    years, shares = read_history_csv(_read(args.history))
    r = backtest(years, shares, max_horizon=args.max_horizon)
    out = {"n_points": len(years), "n_forecasts": r.n_forecasts, "coverage80": r.coverage80,
           "coverage95": r.coverage95, "mean_abs_error_pct": r.mean_abs_error_pct}
    json.dump({k: _clean(v) for k, v in out.items()}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch
    df = run_batch(_load_scenario(args.scenario), _read(args.regions))
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            _emit_table(df, args.format, fh)
        print(f"wrote {len(df)} rows for {df['region_id'].nunique()} regions to {args.output}", file=sys.stderr)
    else:
        _emit_table(df, args.format, sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m simulation", description="Jamsostek PBI Simulator engine")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("example", help="print the default Pontianak scenario (2026 agreement) as JSON")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(func=cmd_example)
    p = sub.add_parser("run", help="print the yearly projection of a scenario")
    p.add_argument("scenario")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("goal-seek", help="participants and budget needed to reach a target")
    p.add_argument("scenario")
    p.add_argument("--target", type=float, required=True, help="coverage target [%%]")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--confidence", type=float, default=0.5, help="0.5 = median; 0.8 = reached in 8 of 10 outcomes")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_goal_seek)
    p = sub.add_parser("backtest", help="calibration of the forecast bands on a history CSV (year,coverage_pct)")
    p.add_argument("history")
    p.add_argument("--max-horizon", type=int, default=5)
    p.set_defaults(func=cmd_backtest)
    p = sub.add_parser("batch", help="run one scenario template over many regions (CSV)")
    p.add_argument("scenario")
    p.add_argument("regions")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_batch)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as exc:
        print(f"error: {exc.field}: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
