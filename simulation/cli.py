"""Command line: ``python -m simulation {example,run,notebook,goal-seek,backtest,batch,check}``.

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
    """A scenario JSON file as text (UTF-8, a BOM allowed), within the size limit."""
    try:
        return _read_bytes(path).decode("utf-8-sig")
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
    if type(value).__name__ == "NAType":   # pandas.NA: a missing whole number (an Int64 column)
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _tidy(df):
    """The table as the CLI shows it (simulation/units.py): whole Rupiah, whole persons, other numbers to 6 decimals
    (no ``1060384953.5999999``); the engine's own table keeps every digit."""
    from .units import is_money_column, is_person_column, whole_rupiah
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind != "f":
            continue
        if is_money_column(col) or is_person_column(col):
            out[col] = out[col].map(whole_rupiah).astype("Int64")
        else:
            out[col] = out[col].round(6)
    return out


def _emit_table(df, fmt: str, out) -> None:
    df = _tidy(df)
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


def cmd_notebook(args) -> int:
    from .notebook import notebook_bytes
    data = notebook_bytes(_load_scenario(args.scenario))
    if not args.output or args.output == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ValidationError(args.output, f"cannot write the notebook: {exc.strerror}", code="not_writable") from None
    print(f"wrote {args.output}: run it with Jupyter from the simulator's folder", file=sys.stderr)
    return 0


def _target_pct(text: str) -> float:
    """``--target`` by the one percent rule (simulation/units.py): ``45`` and ``45%`` are 45 %, ``0.45`` is asked
    about (exit 2: did you mean 45 %?), ``0.45%`` is 0.45 %, more than 100 is a count and refused."""
    from .io import parse_number
    from .units import percent_value
    try:
        value = parse_number(text, "en")
    except ValueError as exc:
        raise ValidationError("--target", str(exc), code="expected_number", params={"value": text[:40]}) from None
    return percent_value(value, "--target", written_with_percent_sign="%" in text)


def _goal_seek_out(r, region) -> dict:
    """The goal-seek answer as the CLI prints it: persons and Rupiah whole, shares to 3 decimals."""
    from .units import whole_persons, whole_rupiah
    names = {g.id: g.name for g in r.scenario.groups}
    return {
        "target_pct": r.target_pct, "year": r.year, "confidence": r.confidence,
        "reachable": r.reachable, "reachable_with_groups": r.feasible, "already_reached": r.already_reached,
        "probability_with_groups": round(r.probability, 3), "probability_with_plan": round(r.probability_plan, 3),
        "baseline_pct": round(r.baseline_pct, 3),
        "needed_net_over_trend": whole_persons(r.needed_added), "already_in_scenario_net": whole_persons(r.have_net),
        "extra_net": whole_persons(r.extra_net), "extra_participants": r.extra_participants,
        "extra_members": r.extra_members,
        "short_after_groups": whole_persons(r.shortfall_persons), "shortfall_pct": round(r.shortfall_pct, 3),
        "compliance_needed": whole_persons(r.compliance_needed),
        "compliance_pool": whole_persons(r.compliance_pool),
        "budget_idr": whole_rupiah(r.budget_idr), "extra_budget_idr": whole_rupiah(r.extra_budget_idr),
        "levers": [{"lever": "group", "group_id": row["group_id"], "group": row["group"],
                    "members": int(row["members"]), "participants": whole_persons(row["participants"]),
                    "added_net": whole_persons(row["added_net"]), "cost_idr": whole_rupiah(row["cost_idr"]),
                    "size_is_placeholder": row["group_id"] in r.placeholders}
                   for row in r.steps.to_dict(orient="records")]
        + ([{"lever": "compliance", "workers": whole_persons(r.compliance_needed),
             "of_uncovered_formal": whole_persons(r.compliance_pool)}] if r.compliance_needed > 0 else []),
        "placeholder_sizes": [{"group_id": gid, "group": names.get(gid, gid),
                               "members": next(g.members for g in r.scenario.groups if g.id == gid),
                               "source": region.group(gid).members.source} for gid in r.placeholders],
    }


def cmd_goal_seek(args) -> int:
    from .data import load_region
    from .goalseek import goal_seek
    target = _target_pct(args.target)
    scenario = _load_scenario(args.scenario)
    r = goal_seek(scenario, target, args.year, confidence=args.confidence)
    out = _goal_seek_out(r, load_region(scenario.region))
    if args.format == "json":
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    p_groups, p_plan = f"{100 * r.probability:.0f} %", f"{100 * r.probability_plan:.0f} %"
    print(f"target {r.target_pct:g} % in {r.year}, planned at confidence {r.confidence:g} "
          f"(the trend alone gives {r.baseline_pct:.2f} % at that confidence)")
    if r.already_reached:
        print(f"verdict: already reached with the scenario as it is (chance {p_groups})")
    elif r.feasible:
        print(f"verdict: reachable with the groups below (chance of reaching it with them: {p_groups})")
    elif r.reachable:
        print(f"verdict: NOT reachable with the groups alone (chance {p_groups}, short by "
              f"{out['short_after_groups']:,} workers = {r.shortfall_pct:.2f} points); reachable only if employer "
              f"compliance also brings in {out['compliance_needed']:,} workers "
              f"(chance with that plan: {p_plan})")
    else:
        print(f"verdict: NOT reachable even with every group and every uncovered formal worker "
              f"(chance {p_plan}; short by {out['short_after_groups']:,} workers after the groups)")
    print(f"workers needed over the trend (net): {out['needed_net_over_trend']:,}; the scenario already adds "
          f"{out['already_in_scenario_net']:,}")
    print(f"groups added, in priority order: {out['extra_net']:,} newly covered (net), "
          f"{r.extra_participants:,} active participants paid for (gross), {r.extra_members:,} members to enrol")
    for row in out["levers"]:
        if row["lever"] == "group":
            mark = "  [size is a placeholder]" if row["size_is_placeholder"] else ""
            print(f"  {row['group']}: {row['members']:,} members, {row['participants']:,} participants, "
                  f"{row['added_net']:,} net, Rp {row['cost_idr']:,}{mark}")
        else:
            print(f"  then employer compliance: {row['workers']:,} workers of {row['of_uncovered_formal']:,} "
                  f"uncovered formal workers")
    print(f"local budget in {r.year}: Rp {out['budget_idr']:,} (extra Rp {out['extra_budget_idr']:,})")
    if out["placeholder_sizes"]:
        print("placeholder inputs (certainty A in the region file; enter the region's own counts): "
              + ", ".join(f"{p['group']} ({p['members']:,})" for p in out["placeholder_sizes"]))
    return 0


def _read_bytes(path: str) -> bytes:
    """A file's bytes, refused when missing, a folder, or over MAX_FILE_BYTES."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(path, f"file larger than {MAX_FILE_BYTES // 1_000_000} MB", code="too_large",
                                  params={"size": f"{math.ceil(p.stat().st_size / 1_000_000)} MB",
                                          "limit": f"{MAX_FILE_BYTES // 1_000_000} MB"})
        return p.read_bytes()
    except FileNotFoundError:
        raise ValidationError(path, "no such file", code="not_found") from None
    except IsADirectoryError:
        raise ValidationError(path, "is a folder, not a file", code="not_a_file") from None


def _office_upload(path: str, kind: str | None, lang: str):
    """An office file read exactly as the Data page reads an upload (the one reader, ``read_upload``).

    A file with problems exits 2 with the first problem said as the Data page says it (``--lang``).
    """
    from presentation.i18n import t
    from presentation.problems import problem_text

    from .io import Problem, read_upload
    up = read_upload(_read_bytes(path), Path(path).name, kind=kind, lang=lang)
    problems = up.all_problems or (() if up.tables else (Problem("no_header"),))
    if problems:
        more = " " + t("errors.more_errors", lang, n=len(problems) - 1) if len(problems) > 1 else ""
        raise ValidationError(path, problem_text(problems[0], lang) + more, code=problems[0].code,
                              params=problems[0].params)
    return up


def cmd_backtest(args) -> int:
    from .calibration import backtest
    from .io import history_series
    years, shares = history_series(_office_upload(args.history, "history", args.lang))
    r = backtest(years, shares, max_horizon=args.max_horizon)
    if r.n_forecasts == 0:   # nothing held out to compare with: say why instead of printing nulls
        from presentation.i18n import t
        if len(years) < 3:
            raise ValidationError(args.history, t("errors.backtest_too_short", args.lang, n=len(years), need=3),
                                  code="too_few", params={"count": len(years), "min": 3})
        raise ValidationError(args.history, t("errors.backtest_no_pairs", args.lang, horizon=args.max_horizon),
                              code="too_few", params={"max_horizon": args.max_horizon})
    out = {"n_points": len(years), "n_forecasts": r.n_forecasts, "coverage80": r.coverage80,
           "coverage95": r.coverage95, "mean_abs_error_pct": r.mean_abs_error_pct}
    json.dump({k: _clean(v) for k, v in out.items()}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _cell_json(value):
    return value.isoformat() if hasattr(value, "isoformat") else _clean(value)


def _cell_text(value, lang: str) -> str:
    from .io import plain_text
    return plain_text(value, lang) if isinstance(value, float) else str(value)


def cmd_check(args) -> int:
    """What the Data page would take from an office file: per table, its columns, values per row, warnings."""
    from presentation.problems import problem_text
    up = _office_upload(args.file, args.table, args.lang)
    out = {"file": Path(args.file).name, "tables": [{
        "table": tb.kind, "sheet": tb.sheet,
        "columns": {k: tb.headers.get(k, k) for k in tb.columns},
        "rows": [{"row": r["_row"], **{k: _cell_json(v) for k, v in r.items() if k != "_row"}} for r in tb.rows],
        "warnings": [{**w.as_dict(), "message": problem_text(w, args.lang)} for w in tb.warnings],
    } for tb in up.tables]}
    if args.format == "json":
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return 0
    for tb in out["tables"]:
        n = len(tb["rows"])
        print(f"{tb['table']}" + (f" (sheet {tb['sheet']})" if tb["sheet"] else "") + f": {n} row{'s' * (n != 1)}")
        for row in tb["rows"]:
            print(f"  row {row['row']}: " + ", ".join(f"{tb['columns'].get(k, k)} = {_cell_text(v, args.lang)}"
                                                      for k, v in row.items() if k != "row"))
        for w in tb["warnings"]:
            print(f"  warning: {w['message']}")
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch
    scenario = _load_scenario(args.scenario)
    try:
        df = run_batch(scenario, _read_bytes(args.regions), lang=args.lang, filename=Path(args.regions).name)
    except ValidationError as exc:
        if "row" not in exc.params:   # not a refused regions file
            raise
        from presentation.problems import problem_text  # the Data page's sentence, in --lang

        from .io import Problem
        p = Problem(exc.code, row=exc.params.get("row"), column=exc.params.get("column"),
                    sheet=exc.params.get("sheet"), params=exc.params)
        raise ValidationError(args.regions, problem_text(p, args.lang), code=exc.code, params=exc.params) from None
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
    p = sub.add_parser("notebook", help="write a Jupyter notebook that rebuilds the scenario with the public API "
                                        "and prints the same yearly table as run")
    p.add_argument("scenario")
    p.add_argument("-o", "--output", help="the .ipynb file to write (default: standard output)")
    p.set_defaults(func=cmd_notebook)
    p = sub.add_parser("goal-seek", help="participants and budget needed to reach a target")
    p.add_argument("scenario")
    p.add_argument("--target", required=True, help="coverage target [%%]: 45 or 45%% (0.45 is asked about)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--confidence", type=float, default=0.5, help="0.5 = median; 0.8 = reached in 8 of 10 outcomes")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_goal_seek)
    p = sub.add_parser("backtest", help="calibration of the forecast bands on a history table (CSV or XLSX, as on "
                                        "the Data page)")
    p.add_argument("history")
    p.add_argument("--max-horizon", type=int, default=5)
    p.add_argument("--lang", choices=("id", "en"), default="id", help="how a lone 1.234 is read; language of errors")
    p.set_defaults(func=cmd_backtest)
    p = sub.add_parser("check", help="what the Data page would take from an office file (CSV or XLSX)")
    p.add_argument("file")
    p.add_argument("--table", choices=("history", "workers", "min_wage", "apbd", "groups", "targets", "parameters"))
    p.add_argument("--lang", choices=("id", "en"), default="id", help="how a lone 1.234 is read; language of messages")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("batch", help="run one scenario template over many regions (CSV)")
    p.add_argument("scenario")
    p.add_argument("regions")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="how a lone 1.234 is read (id: 1234)")
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
