#!/usr/bin/env bash
# `make audit`: Lighthouse 12 scores of the public directory and one profile, served the way
# production serves them (gunicorn, DEBUG off, hashed static files from whitenoise).
#
# Goals: 100 for accessibility, best practices and SEO, at least 95 for performance (Lighthouse's
# default mobile emulation). Prints the scores per page and, for a category below its goal, the
# audits that cost points; writes the same to var/audit/summary.txt and the full reports to
# var/audit/<page>.report.html/.json. Exits 1 when a goal is missed.
#
# Database: DATABASE_URL when set (it must hold listed partners), otherwise a demo database of
# its own, var/audit/demo.sqlite3. Plain HTTP on 127.0.0.1, so the redirect to HTTPS is off.
# Lighthouse is installed once under var/audit/ (npm); Chromium comes from CHROME_PATH.
#
# Then MDN's HTTP Observatory (scripts/observatory.sh, offline) grades the TLS build of `make serve`
# (nginx with a self-signed certificate, on PostgreSQL AUDIT_DATABASE_URL, default the database
# extranet_audit, created with the demo when missing, and Redis): the home page, the directory, a
# profile and the login page. Goal: A+. Exits 1 when any goal is missed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
AUDIT_DIR="$ROOT/var/audit"
PORT="${AUDIT_PORT:-8777}"
LIGHTHOUSE_VERSION="${LIGHTHOUSE_VERSION:-12.8.2}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
CHROME_FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"

for tool in "$PY" npm node "$CHROME_PATH"; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is missing (Python from 'make setup', Node.js with npm, Chromium: apt-get install -y chromium)." >&2
        exit 2
    fi
done
mkdir -p "$AUDIT_DIR"

LIGHTHOUSE="$AUDIT_DIR/node_modules/.bin/lighthouse"
if [[ ! -x "$LIGHTHOUSE" ]] || [[ "$("$LIGHTHOUSE" --version)" != "$LIGHTHOUSE_VERSION" ]]; then
    echo "Installing lighthouse@$LIGHTHOUSE_VERSION under var/audit/ ..."
    npm install --prefix "$AUDIT_DIR" --no-save --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi

# The server's environment: production settings, but plain HTTP on the loopback interface.
export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
export EXTRANET_BASE_URL="http://127.0.0.1:$PORT"
if [[ -z "${DATABASE_URL:-}" ]]; then
    export DATABASE_URL="sqlite:///$AUDIT_DIR/demo.sqlite3"
    echo "Database: the demo in var/audit/demo.sqlite3"
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py createcachetable
    DJANGO_DEBUG=1 "$PY" manage.py load_demo >/dev/null
else
    echo "Database: DATABASE_URL"
fi
"$PY" manage.py collectstatic --noinput -v0

PROFILE_SLUG="$("$PY" manage.py shell -v0 -c "
from partners.models import Partner
print(Partner.objects.listed().order_by('-tier__rank', 'pk').values_list('slug', flat=True).first() or '')")"
if [[ -z "$PROFILE_SLUG" ]]; then
    echo "error: no partner is listed in the directory of this database." >&2
    exit 2
fi
read -r LIST_PATH PROFILE_PATH < <("$PY" manage.py shell -v0 -c "
from django.urls import reverse
print(reverse('directory:partner-list'), reverse('directory:partner-detail', kwargs={'slug': '$PROFILE_SLUG'}))")
if [[ -z "${PROFILE_PATH:-}" ]]; then
    echo "error: the directory's URLs (directory:partner-list, directory:partner-detail) do not resolve." >&2
    exit 2
fi

"$ROOT/.venv/bin/gunicorn" extranet.wsgi --bind "127.0.0.1:$PORT" --workers 2 --no-control-socket \
    --access-logfile "$AUDIT_DIR/gunicorn.log" --error-logfile "$AUDIT_DIR/gunicorn.log" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 50); do
    curl --silent --fail --output /dev/null "$BASE$LIST_PATH" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: gunicorn stopped; see var/audit/gunicorn.log" >&2; exit 2; }
    sleep 0.2
done

pages=("directory $BASE$LIST_PATH" "profile $BASE$PROFILE_PATH")
for entry in "${pages[@]}"; do
    read -r name url <<<"$entry"
    echo "Lighthouse $LIGHTHOUSE_VERSION: $url"
    "$LIGHTHOUSE" "$url" --quiet --chrome-flags="$CHROME_FLAGS" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output=html --output-path="$AUDIT_DIR/$name"
done

lighthouse_rc=0
"$PY" - "$AUDIT_DIR" directory profile <<'PYTHON' || lighthouse_rc=$?
"""Scores per page, and for every category below its goal the audits that cost points."""
import datetime
import json
import os
import sys
from pathlib import Path

GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
folder, names = Path(sys.argv[1]), sys.argv[2:]
lines, missed = [], False
for name in names:
    report = json.loads((folder / f"{name}.report.json").read_text())
    if not lines:
        lines.append(
            f"Lighthouse {report['lighthouseVersion']}, {report['configSettings']['formFactor']} emulation, "
            f"{report['environment']['hostUserAgent'].split(') ')[-1]}, {os.cpu_count()} cores, "
            f"{datetime.date.today().isoformat()}"
        )
    scores = {key: round((category["score"] or 0) * 100) for key, category in report["categories"].items()}
    lines.append(f"{name:<10} {report['finalDisplayedUrl']}")
    lines.append("  " + "  ".join(f"{key} {scores[key]}" for key in GOALS))
    for key, goal in GOALS.items():
        if scores[key] >= goal:
            continue
        missed = True
        lines.append(f"  {key} {scores[key]} < {goal}:")
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit["score"] is None or audit["score"] >= 1 or audit["scoreDisplayMode"] in {"informative", "manual"}:
                continue
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"    - {ref['id']}: {audit['title']}{value}, score {audit['score']:.2f}, weight {ref['weight']}")
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                node = item.get("node") or {}
                where = node.get("selector") or item.get("url") or item.get("source", {}).get("url") or ""
                what = node.get("explanation") or item.get("description") or node.get("snippet") or ""
                if where or what:
                    lines.append(f"        {where} {what}".rstrip().replace("\n", " "))
summary = "\n".join(lines) + "\n" + ("Goals met.\n" if not missed else "Goals missed (see above).\n")
(folder / "summary.txt").write_text(summary)
print(summary, end="")
sys.exit(1 if missed else 0)
PYTHON
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true

# --- MDN HTTP Observatory against the TLS build of `make serve` --------------------------------
# The production stack with TLS (nginx, gunicorn, PostgreSQL, Redis) on a database of its own with the
# demo; scripts/observatory.sh grades its headers, cookies and redirection offline. Goal: A+.
OBS_DATABASE_URL="${AUDIT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/extranet_audit}"
OBS_HTTP_PORT=$((PORT + 10)) OBS_TLS_PORT=$((PORT + 11)) OBS_APP_PORT=$((PORT + 12))
observatory_rc=0
if ! "$PY" scripts/pg_database.py "$OBS_DATABASE_URL"; then
    echo "Observatory skipped: no PostgreSQL for the TLS build (set AUDIT_DATABASE_URL)." | tee -a "$AUDIT_DIR/summary.txt"
    observatory_rc=1
else
    echo "Starting the TLS build (scripts/serve.sh, log in var/audit/serve.log) ..."
    (
        unset DJANGO_SECURE_SSL_REDIRECT DJANGO_ALLOWED_HOSTS EXTRANET_BASE_URL
        export DATABASE_URL="$OBS_DATABASE_URL" REDIS_URL="${AUDIT_REDIS_URL:-redis://127.0.0.1:6379/11}"
        export DJANGO_VAR_DIR="$AUDIT_DIR/serve-var" SERVE_DIR="$AUDIT_DIR/serve" SERVE_TLS=1 SERVE_DEMO=1
        export SERVE_PORT="$OBS_HTTP_PORT" SERVE_TLS_PORT="$OBS_TLS_PORT" SERVE_APP_PORT="$OBS_APP_PORT"
        export SERVE_WORKERS=2 SERVE_TASK_WORKERS=0
        exec setsid "$ROOT/scripts/serve.sh"
    ) >"$AUDIT_DIR/serve.log" 2>&1 &
    SERVE_PID=$!
    trap 'kill -TERM -- "-$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 600); do
        grep -q "^Serving " "$AUDIT_DIR/serve.log" && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.2
    done
    if grep -q "^Serving " "$AUDIT_DIR/serve.log"; then
        # A profile of the database this stack serves (the Lighthouse run may have used another).
        OBS_PROFILE_PATH="$(DATABASE_URL="$OBS_DATABASE_URL" "$PY" manage.py shell -v0 -c "
from django.urls import reverse
from partners.models import Partner
slug = Partner.objects.listed().order_by('-tier__rank', 'pk').values_list('slug', flat=True).first()
print(reverse('directory:partner-detail', kwargs={'slug': slug}) if slug else '')")"
        for path in / "$LIST_PATH" ${OBS_PROFILE_PATH:+"$OBS_PROFILE_PATH"} /accounts/login/; do
            OBSERVATORY_CA="$AUDIT_DIR/serve/tls/cert.pem" OBSERVATORY_HTTP_PORT="$OBS_HTTP_PORT" \
                scripts/observatory.sh "https://127.0.0.1:$OBS_TLS_PORT$path" | tee -a "$AUDIT_DIR/summary.txt" ||
                observatory_rc=1
            cp var/observatory/result.json "$AUDIT_DIR/observatory-$(echo "$path" | tr -c 'a-z0-9\n' '-').json" 2>/dev/null || true
        done
    else
        tail -n 20 "$AUDIT_DIR/serve.log" >&2
        echo "Observatory skipped: the TLS build did not start (var/audit/serve.log)." | tee -a "$AUDIT_DIR/summary.txt"
        observatory_rc=1
    fi
fi
exit $((lighthouse_rc || observatory_rc))
