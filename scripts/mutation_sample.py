"""Score a uniform random sample of the mutants of whole packages (issue 16, docs/TESTING.md).

Run by ``./mutate.sh --sample N simulation`` (or ``presentation``) inside the scratch copy that mutate.sh has set
up (its ``setup.cfg`` names the files and the tests); not meant to be started by hand elsewhere.

Every mutant of every file has the same chance to be drawn (``random.Random(seed).sample`` over the sorted
names of all mutants), so the killed share of the sample estimates the killed share of all mutants. The drawn
mutants are run in chunks, in the drawn order, each chunk to its end: when the time budget stops the run
between chunks, the mutants checked so far are still a uniform sample (a prefix of a random order), only smaller.

Score = killed / (killed + survived + no tests), as ./mutate.sh counts it (a mutant no test reaches is a
survivor; a timeout counts as killed). The 95 % interval is Wilson's (statsmodels ``proportion_confint``); the
time per mutant is mutmut's own measurement (0 for a mutant no test reaches), and the projected time of a full
run is that mean times the number of mutants.

    python mutation_sample.py --mutmut .../mutmut --n 200 --seed 16 --jobs 1 --minutes 60 simulation/*.py ...
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

KILLED = {"killed", "timeout", "segfault"}
ALIVE = {"survived", "no tests", "suspicious"}


def module_file(mutant: str) -> str:
    """simulation.io.cells.x_parse__mutmut_3 -> simulation/io/cells.py (class methods: xǁClassǁm__mutmut_1)."""
    return mutant.split("__mutmut_")[0].rsplit(".", 1)[0].replace(".", "/") + ".py"


def all_mutants(patterns: list[str]) -> dict[str, dict]:
    """Every mutant mutmut generated for the files matching ``patterns``: name -> its .meta entry."""
    found = {}
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        source = str(meta.relative_to("mutants"))[: -len(".meta")]
        if not any(fnmatch.fnmatch(source, p) for p in patterns):
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data["exit_code_by_key"].items():
            found[name] = {"file": source, "code": code, "seconds": data.get("durations_by_key", {}).get(name)}
    return found


def statuses(mutmut: str) -> dict[str, str]:
    out = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=False).stdout
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\s*([\w.ǁ]+__mutmut_\d+): (.+)$", out, re.M)}


def wilson(killed: int, n: int) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(killed, n, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutmut", required=True)
    ap.add_argument("--n", type=int, required=True, help="sample size")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--minutes", type=float, default=60, help="time budget; checked between chunks")
    ap.add_argument("--chunk", type=int, default=40, help="mutants per `mutmut run` call")
    ap.add_argument("--report-only", type=int, metavar="K", default=None,
                    help="run nothing: report on the first K drawn mutants (whole chunks of a run cut short)")
    ap.add_argument("patterns", nargs="+", help="files whose mutants make up the population (globs)")
    args = ap.parse_args()
    start = time.time()

    if not any(Path("mutants").rglob("*.py.meta")) or not Path("mutants/mutmut-stats.json").exists():
        # mutmut generates the mutants and records which tests reach which function, then finds no mutant of
        # this made-up name and stops: that is all we want from this call
        print("== generating mutants and running the tests once to see which tests reach which function")
        subprocess.run([args.mutmut, "run", "--max-children", str(args.jobs), "no_such_mutant_just_generate"],
                       check=False)
    population = all_mutants(args.patterns)
    if not population:
        print("no mutants generated: see the mutmut output above", file=sys.stderr)
        return 2
    names = sorted(population)
    drawn = random.Random(args.seed).sample(names, min(args.n, len(names)))
    Path("mutation-sample-names.txt").write_text("\n".join(drawn) + "\n", encoding="utf-8")

    status = statuses(args.mutmut)
    if args.report_only is not None:
        report(drawn[: args.report_only], status, population, args.seed, len(names))
        return 0
    todo = [m for m in drawn if status.get(m) in (None, "not checked")]
    print(f"== {len(names)} mutants in {len({p['file'] for p in population.values()})} files; drawn {len(drawn)} "
          f"(seed {args.seed}); {len(drawn) - len(todo)} already checked, {len(todo)} to run")
    for i in range(0, len(todo), args.chunk):
        spent = (time.time() - start) / 60
        if spent >= args.minutes:
            print(f"time budget of {args.minutes:g} min spent; {len(todo) - i} drawn mutants not run", file=sys.stderr)
            break
        chunk = todo[i: i + args.chunk]
        print(f"== chunk {i // args.chunk + 1}: {len(chunk)} mutants ({spent:.0f} min spent)", flush=True)
        with open("mutmut-sample-run.log", "a", encoding="utf-8") as log:
            subprocess.run([args.mutmut, "run", "--max-children", str(args.jobs), *chunk], stdout=log,
                           stderr=subprocess.STDOUT, check=False)

    status = statuses(args.mutmut)
    population = all_mutants(args.patterns)   # durations are written as mutants finish
    report(drawn, status, population, args.seed, len(names))
    return 0


def report(drawn: list[str], status: dict[str, str], population: dict[str, dict], seed: int, total: int) -> None:
    by_file: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    seconds = []
    for m in drawn:
        s = status.get(m, "not checked")
        by_file[module_file(m)][s] += 1
        if s in KILLED | ALIVE:
            seconds.append(population[m]["seconds"] or 0.0)   # no tests: nothing run
    overall = collections.Counter()
    lines = [f"{'file':34} {'drawn':>6} {'killed':>7} {'survived':>9} {'no tests':>9} {'other':>6}"]
    for f in sorted(by_file):
        c = by_file[f]
        overall.update(c)
        k, s, nt = sum(c[x] for x in KILLED), c["survived"] + c["suspicious"], c["no tests"]
        lines.append(f"{f:34} {sum(c.values()):6} {k:7} {s:9} {nt:9} {sum(c.values()) - k - s - nt:6}")
    killed = sum(overall[x] for x in KILLED)
    checked = killed + sum(overall[x] for x in ALIVE)
    lines.append(f"{'all':34} {len(drawn):6} {killed:7} {overall['survived'] + overall['suspicious']:9} "
                 f"{overall['no tests']:9} {len(drawn) - checked:6}")
    if checked:
        lo, hi = wilson(killed, checked)
        mean = sum(seconds) / len(seconds)
        lines.append(f"score {100 * killed / checked:.1f} % of {checked} checked mutants (seed {seed}, population "
                     f"{total}); 95 % Wilson interval {100 * lo:.1f}-{100 * hi:.1f} %")
        lines.append(f"time per mutant (mutmut's measure, tests only): mean {mean:.1f} s; a full run of the {total} "
                     f"mutants projects to {mean * total / 3600:.1f} h with one child")
    lines.append("survivors and unreached mutants of the sample (`mutmut show <name>`):")
    lines += [f"  {m}: {status.get(m)}" for m in sorted(drawn) if status.get(m) in ALIVE]
    text = "\n".join(lines)
    print(text)
    Path("mutation-sample.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
