#!/usr/bin/env bash
# `scripts/observatory.sh URL`: MDN HTTP Observatory grade of a running HTTPS site, offline.
#
#   OBSERVATORY_CA=var/serve/tls/cert.pem OBSERVATORY_HTTP_PORT=8080 scripts/observatory.sh https://127.0.0.1:8443/
#
# (the stack of `SERVE_TLS=1 scripts/serve.sh`).
#
# Prints the grade, the score and every test's result and score modifier (with the reason for each
# test that costs points), writes the JSON to var/observatory/result.json, and exits 1 when the grade
# is below OBSERVATORY_GOAL (default A+), 2 when the scan cannot run.
#
# Environment:
#   OBSERVATORY_CA         PEM certificate (or CA) the site's certificate chains to, e.g. our self-signed
#                          one; its SAN must hold the URL's host. Without it the scanner falls back to an
#                          unverified connection and grades HSTS and the redirection as "invalid cert".
#   OBSERVATORY_HTTP_PORT  where the plain-HTTP side listens (default 80, as the Observatory checks it).
#                          Nothing there: the redirection test passes as "no HTTP", with a note.
#   OBSERVATORY_GOAL       lowest acceptable grade (A+, A, A-, B+ ... F).
#
# Why not the package's own CLI: its wrapper overwrites NODE_EXTRA_CA_CERTS with a Mozilla bundle that
# is downloaded at install time, and its scan() drops the port/path options that its retriever takes,
# so the HTTP check would hit the TLS port. The small driver below calls the same retriever, tests and
# grader. Offline: npm's install scripts are skipped, as they download the CA bundle (failing the whole
# install), Chromium's HSTS preload list and IANA's TLD list, and build pg-native for the API's database.
# The scan reads only the preload list, which we lay down empty (a loopback host is never on it), and
# talks only to the given host.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OBS_DIR="$ROOT/var/observatory"
OBSERVATORY_VERSION="${OBSERVATORY_VERSION:-1.4.8}"
GOAL="${OBSERVATORY_GOAL:-A+}"
URL="${1:-}"

if [[ ! "$URL" =~ ^https:// ]]; then
    echo "usage: $0 https://HOST[:PORT][/PATH]   (env: OBSERVATORY_CA, OBSERVATORY_HTTP_PORT, OBSERVATORY_GOAL)" >&2
    exit 2
fi
for tool in npm node; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is missing (Node.js 20+ with npm)." >&2
        exit 2
    fi
done
# Node reads extra CAs only at start-up, so the CA goes into the scanning node's environment only:
# npm keeps the machine's own NODE_EXTRA_CA_CERTS (a proxy to the registry may need it).
SCAN_CA="${NODE_EXTRA_CA_CERTS:-}"
if [[ -n "${OBSERVATORY_CA:-}" ]]; then
    [[ -r "$OBSERVATORY_CA" ]] || { echo "error: OBSERVATORY_CA=$OBSERVATORY_CA is not readable." >&2; exit 2; }
    SCAN_CA="$(realpath "$OBSERVATORY_CA")"
fi
mkdir -p "$OBS_DIR"

PKG="$OBS_DIR/node_modules/@mdn/mdn-http-observatory"
installed="$(node -p "require('$PKG/package.json').version" 2>/dev/null || true)"
if [[ "$installed" != "$OBSERVATORY_VERSION" ]]; then
    echo "Installing @mdn/mdn-http-observatory@$OBSERVATORY_VERSION under var/observatory/ ..."
    npm install --prefix "$OBS_DIR" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
        "@mdn/mdn-http-observatory@$OBSERVATORY_VERSION"
fi
[[ -f "$PKG/conf/hsts-preload.json" ]] || echo '{}' >"$PKG/conf/hsts-preload.json"
rm -f "$OBS_DIR/result.json"

NODE_EXTRA_CA_CERTS="$SCAN_CA" node --input-type=module - \
    "$PKG" "$URL" "${OBSERVATORY_HTTP_PORT:-80}" "$GOAL" "$OBS_DIR/result.json" <<'JS'
// The package's scan() (src/scanner/index.js), with the ports and path passed on to its retriever.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pkg, target, httpPort, goal, resultFile] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(pkg, file)).href);
const { retrieve } = await load("src/retriever/retriever.js");
const { ALL_TESTS, NUM_TESTS, ALGORITHM_VERSION } = await load("src/constants.js");
const { GRADES, MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("src/grader/charts.js");
const grader = await load("src/grader/grader.js");
const { version } = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));

const grades = [...GRADES];
if (!grades.includes(goal)) {
  console.error(`error: OBSERVATORY_GOAL=${goal} is not one of ${grades.join(" ")}`);
  process.exit(2);
}
const url = new URL(target);
const options = { httpsPort: url.port || undefined, httpPort, path: url.pathname + url.search };
const r = await retrieve(url.hostname, options);
const status = r.responses.auto?.status;
if (!status || status < 200 || (status >= 400 && ![401, 403].includes(status))) {
  const answer = status ? `answered HTTP ${status}` : "did not answer";
  console.error(`error: ${target} ${answer}; the Observatory needs 2xx, 3xx, 401 or 403.`);
  process.exit(2);
}

const results = ALL_TESTS.map((test) => test(r));
let passed = 0;
let withExtraCredit = 100;
let uncurved = 100;
for (const result of results) {
  result.scoreDescription = grader.getScoreDescription(result.result);
  result.scoreModifier = grader.getScoreModifier(result.result);
  passed += result.pass ? 1 : 0;
  withExtraCredit += result.scoreModifier;
  uncurved += Math.min(result.scoreModifier, 0);
}
// As the Observatory does: bonus points count only once the penalties leave an A.
const final = grader.getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved);
const tests = Object.fromEntries(results.map((result) => [result.constructor.name, result]));
const httpUrl = `http://${url.host.replace(/:\d+$/, "")}:${httpPort}${options.path}`;
const scan = {
  algorithmVersion: ALGORITHM_VERSION,
  grade: final.grade,
  score: final.score,
  statusCode: status,
  testsFailed: NUM_TESTS - passed,
  testsPassed: passed,
  testsQuantity: NUM_TESTS,
  responseHeaders: { ...r.responses.auto.headers },
};
writeFileSync(resultFile, JSON.stringify({ observatory: version, target, http: httpUrl, scan, tests }, null, 2) + "\n");

const plain = (html) => (html ?? "").replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim();
console.log(`HTTP Observatory ${version} (algorithm ${ALGORITHM_VERSION}): ${target} (HTTP side ${httpUrl})`);
console.log(`Grade ${final.grade}, score ${final.score}, ${passed}/${NUM_TESTS} tests passed; goal ${goal}`);
for (const [name, test] of Object.entries(tests)) {
  const modifier = test.scoreModifier > 0 ? `+${test.scoreModifier}` : `${test.scoreModifier}`;
  const verdict = test.pass ? "pass" : "FAIL";
  console.log(`  ${name.padEnd(30)} ${verdict.padEnd(5)} ${modifier.padStart(4)}  ${test.result}`);
  if (!test.pass || test.scoreModifier < 0) {
    console.log(`      ${plain(test.scoreDescription)}`);
    console.log(`      fix: ${plain(grader.getRecommendation(test.result))}`);
  }
}
if (r.responses.https && !r.responses.https.verified) {
  console.log("Note: the certificate was not trusted; set OBSERVATORY_CA to the PEM it chains to.");
}
if (!r.responses.http) {
  console.log(`Note: nothing answered on ${httpUrl}, so the HTTP to HTTPS redirection was not checked.`);
}
console.log(`JSON: ${path.relative(process.cwd(), resultFile)}`);
const met = grades.indexOf(final.grade) <= grades.indexOf(goal);
console.log(met ? "Goal met." : `Goal missed: ${final.grade} is below ${goal}.`);
process.exit(met ? 0 : 1);
JS
