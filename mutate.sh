#!/usr/bin/env bash
# Mutation testing (issue 16, docs/TESTING.md): mutmut 3 puts small faults into the engine and the presentation
# wing, one at a time, and runs the tests that reach each faulty function; a fault no test notices "survives".
#
#   ./mutate.sh                         the modules whose numbers a mayor quotes (MODULES below), then a score
#   ./mutate.sh simulation/units.py     only these files (paths under simulation/ or presentation/)
#   ./mutate.sh --all                   every file of simulation/ and presentation/ (hours on 2 cores)
#   ./mutate.sh 'simulation.goalseek.x_goal_seek__*'   one function's mutants (a mutmut name glob)
#   ./mutate.sh --sample 200 simulation  a uniform random sample of all the mutants of simulation/ (or
#                                       presentation), then the score with its 95 % interval and the time per
#                                       mutant (scripts/mutation_sample.py; MUTATE_SEED, default 16; MUTATE_CHUNK
#                                       mutants per mutmut call, default 40; MUTATE_REPORT_FIRST=K: run nothing,
#                                       score the first K drawn, i.e. the whole chunks of a run cut short)
#   ./mutate.sh --sample 60 simulation/io/cells.py simulation/io/numbers.py   the same over these files only
#
# Environment: MUTATE_DIR (scratch copy, default /tmp/pbi-mutate; kept between runs, so a second run only
# re-tests what changed), MUTATE_JOBS (parallel children, default 1: the machine's cores are shared),
# MUTATE_TESTS (test files, default TESTS below), MUTATE_FRESH=1 (start over), MUTATE_MINUTES (time budget,
# default 60: the globs run one after the other in the order given, each with an equal share of the time left
# (time one does not use passes on); a glob cut short keeps its unchecked mutants, which a later run picks up).
# It runs in a scratch copy so the work tree never holds mutated code. Not part of CI: see docs/TESTING.md
# for how long it takes.
set -euo pipefail

REPO="$(cd "$(dirname "$0")" && pwd)"
DIR="${MUTATE_DIR:-/tmp/pbi-mutate}"
JOBS="${MUTATE_JOBS:-1}"
MUTMUT="$REPO/.venv/bin/mutmut"
[ -x "$MUTMUT" ] || { echo "mutmut is not installed: .venv/bin/pip install -r requirements-dev.txt" >&2; exit 2; }

# the functions that compute what a mayor quotes first, then the rest of those modules
MODULES=('simulation.projection.x__columns__*' 'simulation.projection.x__target_row__*'
         'simulation.goalseek.x_goal_seek__*' 'simulation.sensitivity.*' 'simulation.contributions.*'
         'presentation.summaries.*' simulation/projection.py simulation/goalseek.py)
TESTS=(tests/test_invariants.py tests/test_golden.py tests/test_projection.py tests/test_contributions.py
       tests/test_goalseek.py tests/test_sensitivity.py tests/test_engine_robustness.py tests/test_page_values.py)
# a whole package's sample: the tests that exercise it in-process. Left out for simulation/: the page tests
# (AppTest, slow), test_cli.py and test_uploads.py (they run the code in child processes, which mutmut cannot tie
# to a function, and take minutes each); its score is therefore a lower bound of the whole suite's
ENGINE_TESTS=(tests/test_invariants.py tests/test_golden.py tests/test_projection.py tests/test_contributions.py
              tests/test_goalseek.py tests/test_sensitivity.py tests/test_engine_robustness.py tests/test_forecast.py
              tests/test_scenario.py tests/test_data.py tests/test_units.py tests/test_batch.py tests/test_io.py
              tests/test_engine_by_hand.py tests/test_io_by_hand.py tests/test_cli_by_hand.py tests/test_data_by_hand.py
              tests/test_forecast_by_hand.py)
PRESENTATION_TESTS=(tests/test_i18n.py tests/test_figures.py tests/test_exports.py tests/test_invariants.py
                    tests/test_page_values.py tests/test_hostile_text.py tests/test_presentation_by_hand.py
                    tests/test_exports_text.py)
SAMPLE=""
if [ "${1:-}" = "--sample" ]; then
  SAMPLE="${2:?--sample needs a number}"; shift 2
  case "${1:-}" in
    simulation) TESTS=("${ENGINE_TESTS[@]}"); set -- "simulation/*.py" "simulation/io/*.py" ;;
    presentation) TESTS=("${PRESENTATION_TESTS[@]}"); set -- "presentation/*.py" "presentation/exports/*.py" ;;
    simulation/*.py|presentation/*.py)   # files of one package: its tests unless MUTATE_TESTS says otherwise
      case "$1" in simulation/*) TESTS=("${ENGINE_TESTS[@]}") ;; *) TESTS=("${PRESENTATION_TESTS[@]}") ;; esac ;;
    *) echo "--sample N simulation|presentation|FILE..." >&2; exit 2 ;;
  esac
fi
if [ -n "${MUTATE_TESTS:-}" ]; then read -r -a TESTS <<<"$MUTATE_TESTS"; fi

if [ "${1:-}" = "--all" ]; then
  ONLY=("simulation/*.py" "simulation/io/*.py" "presentation/*.py" "presentation/exports/*.py")
elif [ "$#" -gt 0 ]; then
  ONLY=("$@")
else
  ONLY=("${MODULES[@]}")
fi
# each argument: a file (simulation/x.py) or a mutant-name glob (simulation.x.x_function__*); mutmut generates
# the mutants of the files, then runs the globs in the order given
FILES=() GLOBS=()
for a in "${ONLY[@]}"; do
  if [[ "$a" == *.py ]]; then
    FILES+=("$a"); g="${a%.py}"; GLOBS+=("${g//\//.}.*")
  else
    m="${a%%.x*}"; m="${m%.\*}"; FILES+=("${m//.//}.py"); GLOBS+=("$a")
  fi
done

[ "${MUTATE_FRESH:-0}" = "1" ] && rm -rf "$DIR"
mkdir -p "$DIR"
# the tree as it is now (uncommitted edits included), without the venv, git and caches
# (other people's editors write and remove temporary files meanwhile: tar's "file changed" (status 1) is no error)
{ tar -C "$REPO" --exclude=./.venv --exclude=./.git --exclude=./mutants --exclude='__pycache__' \
    --exclude=./.pytest_cache --exclude=./.hypothesis --exclude='*.tmp' --warning=no-file-changed \
    --warning=no-file-removed -cf - . || [ "$?" -eq 1 ]; } | tar -C "$DIR" -xf -
cd "$DIR"
# mutmut copies the rest of simulation/ and presentation/ (locales, files it does not mutate) into mutants/ only
# once, and refreshes only the files it mutates: bring the others up to date, or the tests meet yesterday's text
if [ -d mutants ]; then
  while IFS= read -r f; do
    mutated=0; for p in "${FILES[@]}"; do [[ "$f" == $p ]] && mutated=1; done
    [ "$mutated" = 1 ] || { mkdir -p "mutants/${f%/*}"; cp -p "$f" "mutants/$f"; }
  done < <(find simulation presentation -type f ! -name '*.pyc')
fi
# mutmut puts the mutated copy first on sys.path; pytest's `pythonpath = ["."]` would put the original back first
sed -i '/^pythonpath *=/d' pyproject.toml
{
  echo "[mutmut]"
  echo "source_paths ="
  echo "    simulation"
  echo "    presentation"
  echo "only_mutate ="
  printf '%s\n' "${FILES[@]}" | sort -u | sed 's/^/    /'
  echo "also_copy ="
  for f in data ui views storage scripts app.py .streamlit; do [ -e "$f" ] && echo "    $f"; done
  # one argument a line (mutmut splits this value at line ends only). MUTATE_DESELECT: test ids left out of the
  # run (a test that reads the source files fails in mutmut's copy, which holds every mutant's text; or a test
  # another change in flight has broken in the clean copy)
  echo "pytest_add_cli_args ="
  # Hypothesis without its deadline (profile registered below): mutmut's tracing and a loaded machine make
  # examples slow, and a missed deadline is no killed mutant; derandomized, so that every mutant meets the same
  # examples (a kill does not depend on the draw, and the clean run that precedes the mutants is reproducible)
  printf '    %s\n' -p no:cacheprovider --hypothesis-profile=mutate
  for d in ${MUTATE_DESELECT:-}; do printf '    --deselect\n    %s\n' "$d"; done
  echo "pytest_add_cli_args_test_selection ="
  for t in "${TESTS[@]}"; do [ -e "$t" ] && echo "    $t"; done
  echo "timeout_multiplier = 5.0"
} > setup.cfg

printf '\n# added by mutate.sh in its scratch copy\nfrom hypothesis import settings as _settings  # noqa: E402\n\n_settings.register_profile("mutate", deadline=None, derandomize=True)\n' >> tests/conftest.py

if [ -n "$SAMPLE" ]; then
  PATH="$REPO/.venv/bin:$PATH" exec "$REPO/.venv/bin/python" "$REPO/scripts/mutation_sample.py" --mutmut "$MUTMUT" \
    --n "$SAMPLE" --seed "${MUTATE_SEED:-16}" --jobs "$JOBS" --minutes "${MUTATE_MINUTES:-60}" \
    --chunk "${MUTATE_CHUNK:-40}" ${MUTATE_REPORT_FIRST:+--report-only "$MUTATE_REPORT_FIRST"} "${FILES[@]}"
fi

start=$(date +%s)
budget=$(( ${MUTATE_MINUTES:-60} * 60 ))
n_left=${#GLOBS[@]}
for pattern in "${GLOBS[@]}"; do
  left=$(( budget - ($(date +%s) - start) ))
  if [ "$left" -le 30 ]; then echo "time budget spent before $pattern" >&2; break; fi
  share=$(( left / n_left )); n_left=$(( n_left - 1 ))   # an equal share of what is left; unused time passes on
  echo "== $pattern ($(( share / 60 )) of $(( left / 60 )) min left)"
  PATH="$REPO/.venv/bin:$PATH" timeout --signal=INT "$share" "$MUTMUT" run --max-children "$JOBS" "$pattern" \
    > "mutmut-run-${pattern//[^a-z_.]/}.log" 2>&1 || echo "   (stopped: $?)"
done
end=$(date +%s)
"$MUTMUT" results --all true > mutmut-results.txt 2>&1 || true
"$REPO/.venv/bin/python" - "$start" "$end" "${FILES[@]}" <<'EOF'
import collections
import fnmatch
import re
import sys

start, end, patterns = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
by_module = collections.defaultdict(collections.Counter)
for text in open("mutmut-results.txt", encoding="utf-8"):
    m = re.match(r"\s*([\w.]+)__mutmut_\d+: (.+)", text)
    if not m:
        continue
    name = m.group(1).split(".x")[0].replace(".", "/") + ".py"   # simulation.projection.x_f -> simulation/projection.py
    if any(fnmatch.fnmatch(name, p) for p in patterns):
        by_module[name][m.group(2).strip()] += 1
total = collections.Counter()


def line(name, c):
    # score = killed / (killed + survived + no tests): a mutant no test reaches counts as a survivor;
    # "not checked" (not run yet, budget spent) and "skipped" are left out and shown
    killed = c["killed"] + c["timeout"] + c["segfault"]
    alive = c["survived"] + c["no tests"] + c["suspicious"]
    score = f"{100 * killed / (killed + alive):6.1f}%" if killed + alive else "     -"
    print(f"{name:32} {sum(c.values()):8} {killed + alive:8} {killed:7} {c['survived']:9} {c['no tests']:9} {score}")


print(f"{'module':32} {'mutants':>8} {'checked':>8} {'killed':>7} {'survived':>9} {'no tests':>9} {'score':>7}")
for name in sorted(by_module):
    total.update(by_module[name])
    line(name, by_module[name])
line("all", total)
print(f"took {(end - start) // 60} min {(end - start) % 60} s; survivors: `grep survived mutmut-results.txt` in this "
      "folder, then `mutmut show <name>`")
EOF
