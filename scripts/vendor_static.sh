#!/usr/bin/env bash
# Refresh the pinned front-end builds under static/vendor/ from the npm registry.
#
# The files are committed, so the site never needs a CDN or the network at run time.
# Each tarball is checked against the sha512 integrity the registry published for
# that version (`npm view <pkg>@<version> dist.integrity`); a mismatch aborts before
# anything is copied. To upgrade: change a version, set its integrity to the new
# value from `npm view`, run this script, review the diff, update static/vendor/README.md.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
BOOTSTRAP_INTEGRITY="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Print the tarball's integrity in npm's "sha512-<base64>" notation.
integrity_of() {
    printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

# Download one package tarball into $WORK, verify it, unpack it into $WORK/<name>/.
fetch() {
    local spec="$1" expected="$2" name tarball actual
    name="${spec%@*}"
    tarball="$(cd "$WORK" && npm pack --silent "$spec" | tail -n 1)"
    actual="$(integrity_of "$WORK/$tarball")"
    if [[ "$actual" != "$expected" ]]; then
        echo "Integrity mismatch for $spec" >&2
        echo "  expected $expected" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    mkdir -p "$WORK/$name"
    tar -xzf "$WORK/$tarball" -C "$WORK/$name" --strip-components=1
    echo "verified $spec ($tarball)"
}

fetch "bootstrap@$BOOTSTRAP_VERSION" "$BOOTSTRAP_INTEGRITY"
fetch "htmx.org@$HTMX_VERSION" "$HTMX_INTEGRITY"

bootstrap_dir="$VENDOR/bootstrap/$BOOTSTRAP_VERSION"
htmx_dir="$VENDOR/htmx/$HTMX_VERSION"
rm -rf "$bootstrap_dir" "$htmx_dir"
mkdir -p "$bootstrap_dir" "$htmx_dir"
cp "$WORK/bootstrap/dist/css/bootstrap.min.css" "$WORK/bootstrap/dist/css/bootstrap.min.css.map" "$bootstrap_dir/"
cp "$WORK/bootstrap/dist/js/bootstrap.bundle.min.js" "$WORK/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$bootstrap_dir/"
cp "$WORK/bootstrap/LICENSE" "$bootstrap_dir/LICENSE"
cp "$WORK/htmx.org/dist/htmx.min.js" "$htmx_dir/"
cp "$WORK/htmx.org/LICENSE" "$htmx_dir/LICENSE"

echo "Copied into $bootstrap_dir and $htmx_dir"
