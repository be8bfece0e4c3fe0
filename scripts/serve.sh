#!/usr/bin/env bash
# `make serve`: the production stack on one machine, in the foreground until Ctrl-C.
#
#   nginx (Debian's package) on 127.0.0.1  ->  N gunicorn app servers  ->  PostgreSQL, Redis
#                                                   task worker(s)  ---/
#
# nginx proxies every request to the app servers (round robin) and sends library files itself
# from an `internal` location when the app answers with X-Accel-Redirect. Static files come from
# whitenoise inside the app (hashed, compressed names made by collectstatic).
#
# Configuration is environment variables only (.env.example lists the app's); this script fills in
# local defaults for the ones it needs and says which it used. Its own knobs:
#   SERVE_PORT=8080            nginx's plain HTTP port (with TLS it only redirects to HTTPS)
#   SERVE_TLS=0|1              1: also HTTPS on SERVE_TLS_PORT with a self-signed certificate
#   SERVE_TLS_PORT=8443
#   SERVE_APP_SERVERS=1        gunicorn instances behind nginx (ports SERVE_APP_PORT, +1, ...)
#   SERVE_APP_PORT=8100
#   SERVE_WORKERS=2*cores+1    gunicorn workers per app server
#   SERVE_TASK_WORKERS=1       background task workers (newsletter sending, tier reviews)
#   SERVE_DEMO=0|1             1: load the demo programme when the database holds no partner
#   SERVE_DIR=var/serve        nginx configuration, certificate, logs and pid files
#   SERVE_SHOW_UPSTREAM=0|1    1: nginx names the app server in an X-Upstream header (for tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

SERVE_DIR="$(realpath -m "${SERVE_DIR:-$ROOT/var/serve}")"  # nginx needs absolute paths
SERVE_PORT="${SERVE_PORT:-8080}"
SERVE_TLS="${SERVE_TLS:-0}"
SERVE_TLS_PORT="${SERVE_TLS_PORT:-8443}"
SERVE_APP_SERVERS="${SERVE_APP_SERVERS:-1}"
SERVE_APP_PORT="${SERVE_APP_PORT:-8100}"
SERVE_WORKERS="${SERVE_WORKERS:-$((2 * $(nproc) + 1))}"
SERVE_TASK_WORKERS="${SERVE_TASK_WORKERS:-1}"
SERVE_DEMO="${SERVE_DEMO:-0}"
SERVE_SHOW_UPSTREAM="${SERVE_SHOW_UPSTREAM:-0}"

fail() { echo "error: $*" >&2; exit 2; }
[[ -x "$PY" ]] || fail ".venv is missing; run 'make setup' (or 'make serve', which does it) first."
[[ -x "$NGINX" ]] || fail "nginx is missing. Install Debian's package: apt-get install -y nginx-light"
command -v openssl >/dev/null || [[ "$SERVE_TLS" != 1 ]] || fail "openssl is missing (apt-get install -y openssl)."

# --- The app's environment ------------------------------------------------------------------
if [[ "$SERVE_TLS" == 1 ]]; then
    public="https://127.0.0.1:$SERVE_TLS_PORT"
else
    public="http://127.0.0.1:$SERVE_PORT"
fi
defaulted=()
default() {  # default NAME VALUE: export NAME=VALUE unless the environment sets it
    if [[ -z "${!1+set}" ]]; then
        export "$1=$2"
        defaulted+=("$1")
    fi
}
default DATABASE_URL "postgres://extranet:extranet@127.0.0.1:5432/extranet"
default REDIS_URL "redis://127.0.0.1:6379/0"
default DJANGO_DEBUG 0
default DJANGO_ALLOWED_HOSTS "127.0.0.1,localhost"
default EXTRANET_BASE_URL "$public"
default EXTRANET_TRUSTED_PROXY_COUNT 1
default EXTRANET_X_ACCEL_REDIRECT_PREFIX "/protected/"
# Without TLS nothing can answer on https://, so the app must not redirect there.
default DJANGO_SECURE_SSL_REDIRECT "$SERVE_TLS"
if ((${#defaulted[@]})); then
    echo "Defaults used for: ${defaulted[*]}"
fi
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) fail "make serve runs on PostgreSQL; DATABASE_URL is '$DATABASE_URL'. ('make run' serves SQLite.)" ;;
esac

settings() {  # the values of Django settings the stack needs, one per line
    "$PY" manage.py shell -v0 -c "
from django.conf import settings
for name in $(printf '"%s", ' "$@"):
    print(getattr(settings, name))"
}
{ read -r PRIVATE_ROOT; read -r MAX_UPLOAD_MB; } < <(settings EXTRANET_PRIVATE_MEDIA_ROOT EXTRANET_LIBRARY_MAX_UPLOAD_MB)
PRIVATE_ROOT="$(realpath -m "$PRIVATE_ROOT")"

"$PY" - <<'PY' || fail "cannot reach the database or Redis (see above). PostgreSQL: create the role and database, e.g.
    psql -U postgres -c \"CREATE ROLE extranet LOGIN CREATEDB PASSWORD 'extranet'\" -c \"CREATE DATABASE extranet OWNER extranet\"
Redis: apt-get install -y redis-server (or set REDIS_URL)."
import os, sys
import psycopg, redis
try:
    psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5).close()
except psycopg.Error as error:
    sys.exit(f"PostgreSQL at DATABASE_URL: {error}")
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5).ping()
except redis.RedisError as error:
    sys.exit(f"Redis at REDIS_URL: {error}")
PY

echo "Migrating and collecting static files ..."
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
if [[ "$SERVE_DEMO" == 1 ]]; then
    has_partners="$("$PY" manage.py shell -v0 -c "from partners.models import Partner; print(int(Partner.objects.exists()))")"
    if [[ "$has_partners" == 0 ]]; then
        echo "Loading the demo programme ..."
        "$PY" manage.py load_demo --force >/dev/null
    fi
fi

# --- nginx's configuration ------------------------------------------------------------------
mkdir -p "$SERVE_DIR/tmp" "$SERVE_DIR/log"
if [[ "$SERVE_TLS" == 1 && ! -s "$SERVE_DIR/tls/cert.pem" ]]; then
    mkdir -p "$SERVE_DIR/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$SERVE_DIR/tls/key.pem" -out "$SERVE_DIR/tls/cert.pem" 2>/dev/null
    chmod 600 "$SERVE_DIR/tls/key.pem"
fi

upstreams=""
for ((i = 0; i < SERVE_APP_SERVERS; i++)); do
    upstreams+="        server 127.0.0.1:$((SERVE_APP_PORT + i));"$'\n'
done
show_upstream=""
[[ "$SERVE_SHOW_UPSTREAM" == 1 ]] && show_upstream='add_header X-Upstream $upstream_addr always;'

app_locations="
        location / {
            proxy_pass http://extranet;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host \$http_host;
            # One trusted proxy: the app takes the client's address from here (EXTRANET_TRUSTED_PROXY_COUNT=1).
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 120s;  # as gunicorn's --timeout: a big admin import takes a while
            # Other sites may not embed our responses (Django has no setting for this header).
            add_header Cross-Origin-Resource-Policy same-origin always;
            $show_upstream
        }
        # Library files: only reachable through the app's X-Accel-Redirect after its access check.
        location /protected/ {
            internal;
            alias $PRIVATE_ROOT/;
            # The app's Content-Disposition, Content-Type and Cache-Control pass through; these do not.
            add_header X-Content-Type-Options nosniff always;
            add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;
            add_header Cross-Origin-Resource-Policy same-origin always;
            $show_upstream
        }"

if [[ "$SERVE_TLS" == 1 ]]; then
    servers="
    server {
        listen 127.0.0.1:$SERVE_PORT;
        return 301 https://\$host:$SERVE_TLS_PORT\$request_uri;
    }
    server {
        listen 127.0.0.1:$SERVE_TLS_PORT ssl http2;
        ssl_certificate $SERVE_DIR/tls/cert.pem;
        ssl_certificate_key $SERVE_DIR/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:TLS:10m;
$app_locations
    }"
else
    servers="
    server {
        listen 127.0.0.1:$SERVE_PORT;
$app_locations
    }"
fi

# nginx's workers read library files as the user that runs the stack (root would give them to nobody).
run_as=""
((EUID == 0)) && run_as="user $(id -un) $(id -gn);"

cat >"$SERVE_DIR/nginx.conf" <<NGINX
# Written by scripts/serve.sh; edits are lost at the next start.
daemon off;
$run_as
worker_processes auto;
pid $SERVE_DIR/nginx.pid;
error_log $SERVE_DIR/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $SERVE_DIR/log/nginx-access.log;
    client_body_temp_path $SERVE_DIR/tmp/client;
    proxy_temp_path $SERVE_DIR/tmp/proxy;
    fastcgi_temp_path $SERVE_DIR/tmp/fastcgi;
    uwsgi_temp_path $SERVE_DIR/tmp/uwsgi;
    scgi_temp_path $SERVE_DIR/tmp/scgi;
    sendfile on;
    server_tokens off;
    # Library uploads go through admin; a little room above the app's own limit for the form.
    client_max_body_size $((MAX_UPLOAD_MB + 5))m;
    upstream extranet {
$upstreams        keepalive 16;
    }
$servers
}
NGINX
if ! check="$("$NGINX" -t -q -p "$SERVE_DIR" -e "$SERVE_DIR/log/nginx-error.log" -c "$SERVE_DIR/nginx.conf" 2>&1)"; then
    echo "$check" >&2
    fail "nginx refuses $SERVE_DIR/nginx.conf (see above)."
fi

# --- Processes ------------------------------------------------------------------------------
pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

for ((i = 0; i < SERVE_APP_SERVERS; i++)); do
    port=$((SERVE_APP_PORT + i))
    "$ROOT/.venv/bin/gunicorn" extranet.wsgi --bind "127.0.0.1:$port" --workers "$SERVE_WORKERS" \
        --no-control-socket --timeout 120 --access-logfile "$SERVE_DIR/log/app-$port.log" \
        --error-logfile "$SERVE_DIR/log/app-$port.log" &
    pids+=($!)
done
for ((i = 0; i < SERVE_TASK_WORKERS; i++)); do
    "$PY" manage.py db_worker --no-reload --queue-name '*' >>"$SERVE_DIR/log/tasks-$i.log" 2>&1 &
    pids+=($!)
done

answers() {  # answers URL [curl options]: true once something there speaks HTTP
    local code
    code="$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "${@:2}" "$1" || true)"
    [[ "$code" != 000 ]]
}
wait_for() {  # wait_for URL [curl options]: until it answers, while every process still runs
    for _ in $(seq 300); do
        answers "$@" && return 0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || fail "a process of the stack stopped; see $SERVE_DIR/log/"
        done
        sleep 0.2
    done
    fail "nothing answered on $1 within 60 s; see $SERVE_DIR/log/"
}
# nginx only starts once every app server listens: it would mark a booting one as down.
for ((i = 0; i < SERVE_APP_SERVERS; i++)); do
    wait_for "http://127.0.0.1:$((SERVE_APP_PORT + i))/robots.txt"
done
"$NGINX" -p "$SERVE_DIR" -e "$SERVE_DIR/log/nginx-error.log" -c "$SERVE_DIR/nginx.conf" &
pids+=($!)
if [[ "$SERVE_TLS" == 1 ]]; then
    wait_for "$public/robots.txt" --cacert "$SERVE_DIR/tls/cert.pem"
else
    wait_for "$public/robots.txt"
fi

echo "Serving $public/  ($SERVE_APP_SERVERS app server(s) x $SERVE_WORKERS workers, $SERVE_TASK_WORKERS task worker(s))"
[[ "$SERVE_TLS" == 1 ]] && echo "Self-signed certificate: $SERVE_DIR/tls/cert.pem (curl --cacert it, or accept it in the browser)"
echo "Logs: $SERVE_DIR/log/   Stop with Ctrl-C."
# Any process ending stops the whole stack: a half-running stack is worse than none.
wait -n "${pids[@]}" || true
# Ctrl-C reaches every process of the stack and this shell at once: its trap exits quietly meanwhile.
sleep 1
echo "a process of the stack stopped; stopping the rest (see $SERVE_DIR/log/)" >&2
exit 1
