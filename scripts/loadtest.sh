#!/usr/bin/env bash
# `make loadtest`: locust, headless, against the production stack of `make serve` (scripts/serve.sh)
# on a database of 100,000 seeded partners plus the demo programme.
#
# Users (scripts/locustfile.py): anonymous visitors browse, search and filter the directory and
# open profiles; partners sign in with the demo logins and open the dashboard, the library, the
# newsletter and download library files. Goals: no failed request, aggregated p95 under 300 ms.
# Prints requests/s, p50/p95/p99 and failures per request name, writes them between the
# <!-- loadtest:begin --> and <!-- loadtest:end --> markers of docs/performance.md (and to
# var/loadtest/summary.md), and exits 1 when a goal is missed, 2 when the run could not happen.
#
# Everything lives under var/loadtest/: locust's venv, the stack's DJANGO_VAR_DIR (secret key,
# static files, the demo's library files), nginx's configuration and logs, the run's result.json.
# The database is prepared once (migrate, load_demo, seed_scale, VACUUM ANALYZE); later runs
# reuse it. Knobs:
#   LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/extranet_load   created when missing
#   LOADTEST_REDIS_URL=redis://127.0.0.1:6379/12                              flushed before each run
#   LOADTEST_PARTNERS=100000   seeded partners the database should hold
#   LOADTEST_USERS=50  LOADTEST_SPAWN_RATE=10  LOADTEST_DURATION=2m
#   LOADTEST_SERVE_TIMEOUT=300   seconds to wait for scripts/serve.sh's "Serving" line
#   SERVE_* as for scripts/serve.sh; here SERVE_TLS=1 (HTTPS on SERVE_TLS_PORT=8643), SERVE_PORT=8680,
#   SERVE_APP_PORT=8600, SERVE_DIR=var/loadtest/serve unless set.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
LOAD_DIR="$ROOT/var/loadtest"
VENV="$LOAD_DIR/venv"
USERS="${LOADTEST_USERS:-50}"
SPAWN_RATE="${LOADTEST_SPAWN_RATE:-10}"
DURATION="${LOADTEST_DURATION:-2m}"
PARTNERS="${LOADTEST_PARTNERS:-100000}"
SERVE_TIMEOUT="${LOADTEST_SERVE_TIMEOUT:-300}"

fail() { echo "error: $*" >&2; exit 2; }
[[ -x "$PY" ]] || fail ".venv is missing; run 'make setup' first."
mkdir -p "$LOAD_DIR"

# --- locust, in a venv of its own: it is no dependency of the app --------------------------------
if [[ ! -x "$VENV/bin/locust" ]] || ! cmp -s requirements-loadtest.txt "$VENV/.requirements"; then
    echo "Installing requirements-loadtest.txt into var/loadtest/venv/ ..."
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements-loadtest.txt ||
        fail "could not install requirements-loadtest.txt (see above)."
    cp requirements-loadtest.txt "$VENV/.requirements"
fi

# --- The app's environment: its own database, Redis database and var dir -----------------------
export DATABASE_URL="${LOADTEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/extranet_load}"
export REDIS_URL="${LOADTEST_REDIS_URL:-redis://127.0.0.1:6379/12}"
export DJANGO_VAR_DIR="$LOAD_DIR/var"
export DJANGO_DEBUG=0
# Production serves HTTPS, and its cookies (__Host-, Secure) only travel over HTTPS: measure that.
export SERVE_TLS="${SERVE_TLS:-1}"
export SERVE_PORT="${SERVE_PORT:-8680}"
export SERVE_TLS_PORT="${SERVE_TLS_PORT:-8643}"
export SERVE_APP_PORT="${SERVE_APP_PORT:-8600}"
export SERVE_DIR="${SERVE_DIR:-$LOAD_DIR/serve}"
export SERVE_DEMO=0

"$PY" scripts/pg_database.py "$DATABASE_URL" || fail "cannot create or reach the load test's database (see above)."

echo "Database: $DATABASE_URL"
"$PY" manage.py migrate --noinput -v0
state() {  # seeded partners, whether the demo logins and every library file exist
    "$PY" manage.py shell -v0 -c "
from accounts.models import User
from library.models import Resource
from partners import scale
logins = User.objects.filter(email__in=['accredited@demo.example', 'certified@demo.example', 'enterprise@demo.example'])
files = [r.file for r in Resource.objects.all()]
complete = logins.count() == 3 and bool(files) and all(f and f.storage.exists(f.name) for f in files)
print(scale.scale_partners().count(), int(complete))"
}
read -r seeded demo_ok < <(state)
if ((seeded < PARTNERS)) || [[ "$demo_ok" != 1 ]]; then
    echo "Preparing the database ($seeded seeded partners, demo complete: $demo_ok); once, about a minute ..."
    "$PY" manage.py load_demo --force >/dev/null
    "$PY" manage.py seed_scale --partners "$PARTNERS"
    echo "VACUUM ANALYZE ..."
    "$PY" - <<'PY'
import os

import psycopg

with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
    conn.execute("VACUUM ANALYZE")
PY
fi
read -r PARTNER_COUNT LISTED_COUNT < <("$PY" manage.py shell -v0 -c "
from partners.models import Partner
print(Partner.objects.count(), Partner.objects.listed().count())")
"$PY" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"

# --- The stack, in a process group of its own so that one signal stops all of it -----------------
SERVE_LOG="$LOAD_DIR/serve.log"
set -m
scripts/serve.sh >"$SERVE_LOG" 2>&1 &
SERVE_PID=$!
set +m
stop_stack() {
    trap - EXIT INT TERM
    kill -TERM -- "-$SERVE_PID" 2>/dev/null || true
    for _ in $(seq 150); do  # gunicorn lets running requests finish
        pgrep -g "$SERVE_PID" >/dev/null || break
        sleep 0.2
    done
    if pgrep -g "$SERVE_PID" >/dev/null || pgrep -f "$LOAD_DIR/" >/dev/null; then
        echo "warning: processes of the stack are still running:" >&2
        { pgrep -ag "$SERVE_PID"; pgrep -af "$LOAD_DIR/"; } >&2 || true
    fi
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

URL=""
for ((i = 0; i < SERVE_TIMEOUT * 5; i++)); do
    if line="$(grep -m1 '^Serving ' "$SERVE_LOG")"; then
        URL="${line#Serving }"
        URL="${URL%%/ *}"
        STACK="$(sed -n 's/^[^(]*(\(.*\))$/\1/p' <<<"$line")"
        break
    fi
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$SERVE_LOG" >&2; fail "scripts/serve.sh stopped (log above)."; }
    sleep 0.2
done
[[ -n "$URL" ]] || { cat "$SERVE_LOG" >&2; fail "scripts/serve.sh did not say 'Serving' within $SERVE_TIMEOUT s."; }
echo "Stack: $URL/ ($STACK); log: var/loadtest/serve.log"

# A fresh gunicorn worker takes about a second for its first page (imports, templates, translations).
# A server in production has long done that, so each public page is asked for by twice as many
# requests at once as there are workers, which reaches every worker. Apart from these few URLs the
# directory's cached listings start empty.
read -r servers workers < <(sed -n 's/^\([0-9]*\) app server.* x \([0-9]*\) workers.*/\1 \2/p' <<<"$STACK")
parallel=$((2 * ${servers:-1} * ${workers:-5}))
profile="$(curl -sk "$URL/partners/" | grep -o -m1 'href="/partners/[a-z0-9-]*/"' | cut -d'"' -f2 || true)"
echo "Warming up the workers: $parallel requests at once for each of 7 pages ..."
for path in / /partners/ /de/partners/ /fr/partners/ "/partners/?q=Bern" "${profile:-/partners/}" /accounts/login/; do
    curls=()
    for ((i = 0; i < parallel; i++)); do
        curl -sk -o /dev/null --max-time 30 "$URL$path" &
        curls+=($!)
    done
    wait "${curls[@]}" || true  # not the stack's (a failed warm-up request shows in the run itself)
done

# --- locust ---------------------------------------------------------------------------------------
echo "locust: $USERS users (spawning $SPAWN_RATE/s) for $DURATION ..."
rm -f "$LOAD_DIR/result.json"
LOADTEST_SERVE_PID="$SERVE_PID" LOADTEST_RESULT_FILE="$LOAD_DIR/result.json" \
    "$VENV/bin/locust" -f scripts/locustfile.py --headless --only-summary --host "$URL" \
    -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 10 --loglevel WARNING \
    || true  # locust exits 1 on any failure; the summary below decides
stop_stack
[[ -s "$LOAD_DIR/result.json" ]] || fail "locust wrote no var/loadtest/result.json (see above)."

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]] || commit+=" with local changes"
export USERS SPAWN_RATE DURATION PARTNER_COUNT LISTED_COUNT STACK URL commit
"$VENV/bin/python" - "$LOAD_DIR" docs/performance.md <<'PYTHON'
"""The run's figures: printed, written to var/loadtest/summary.md and between the markers of docs/performance.md."""
import datetime
import json
import os
import platform
import sys
from pathlib import Path

import locust

GOAL_P95_MS = 300
BEGIN, END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
folder, doc = Path(sys.argv[1]), Path(sys.argv[2])
env = os.environ
result = json.loads((folder / "result.json").read_text())
total, cpu = result["total"], result["cpu"]


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def row(entry: dict, name: str = "") -> str:
    cells = [name or f"{entry['method']} {entry['name']}", f"{entry['requests']:,}", f"{entry['failures']:,}"]
    cells += [f"{entry['rps']:.1f}"] + [f"{entry[key]:.0f}" for key in ("p50", "p95", "p99", "max")]
    return "| " + " | ".join(cells) + " |"


missed = []
if total["failures"]:
    missed.append(f"{total['failures']:,} failed requests (goal: none)")
if total["p95"] >= GOAL_P95_MS:
    missed.append(f"p95 {total['p95']:.0f} ms (goal: under {GOAL_P95_MS} ms)")
measured = f" ({cpu['seconds']:.0f} s measured)" if cpu else ""
lines = [
    f"Run of {datetime.datetime.now():%Y-%m-%d %H:%M}, code at {env['commit']}, locust {locust.__version__}.",
    "",
    f"- Machine: {os.cpu_count()} cores ({cpu_model()}), load average {cpu.get('load_before', '?')} before the run"
    f" and {cpu.get('load_after', '?')} at its end",
    f"- Data: {int(env['PARTNER_COUNT']):,} partners, {int(env['LISTED_COUNT']):,} listed in the directory",
    f"- Stack: `make serve` at {env['URL']}/, {env['STACK']}",
    f"- Load: {env['USERS']} users (spawned {env['SPAWN_RATE']}/s) for {env['DURATION']}{measured}:"
    f" {total['requests']:,} requests, {total['rps']:.1f} requests/s",
    "",
    "| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
lines += [row(entry) for entry in result["entries"]] + [row(total, "**all**")]
if cpu:
    shares = ", ".join(f"{name} {share:.0f}%" for name, share in cpu["shares"].items())
    lines += ["", f"CPU time during the run, in % of all {os.cpu_count()} cores: {shares}."]
lines.append("")
if result["errors"]:
    lines.append("Failures:")
    lines += [f"- {error['occurrences']}x {error['error']}" for error in result["errors"]]
else:
    lines.append("Failures: none.")
verdict = "met." if not missed else "missed: " + "; ".join(missed) + "."
lines += ["", f"Goals (no failure, p95 under {GOAL_P95_MS} ms): {verdict}"]
summary = "\n".join(lines) + "\n"

(folder / "summary.md").write_text(summary)
print(summary, end="")
text = doc.read_text() if doc.exists() else ""
if BEGIN in text and END in text.split(BEGIN, 1)[1]:
    head, rest = text.split(BEGIN, 1)
    doc.write_text(f"{head}{BEGIN}\n{summary}{END}{rest.split(END, 1)[1]}")
    print(f"Written to {doc} and var/loadtest/summary.md.")
else:
    print(f"warning: {doc} has no {BEGIN} ... {END} markers; the figures are only in var/loadtest/summary.md.")
sys.exit(1 if missed else 0)
PYTHON
