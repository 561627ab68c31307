#!/usr/bin/env bash
# Lighthouse 12.2.3 (the last release that runs on Node 20) against pages of a running server, with Debian's
# Chromium; prints each category's score per URL. Lighthouse is installed into a cache directory of its own on
# first use (npm registry), not into the project.
#   bench/lighthouse.sh http://127.0.0.1:3000/de/services "http://127.0.0.1:3000/en/consultants/<id>/book?..."
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: bench/lighthouse.sh <url>..." >&2; exit 2; }
dir=${LIGHTHOUSE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/magnetiq-lighthouse-12.2.3}
if [ ! -x "$dir/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
for url in "$@"; do
  CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} "$dir/node_modules/.bin/lighthouse" "$url" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --output=json --output-path="$report"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const scores = Object.values(r.categories).map((c) => `${c.id} ${Math.round(c.score * 100)}`);
    console.log(`${process.argv[2]}\n  ${scores.join(", ")}`);
    for (const c of Object.values(r.categories))
      for (const a of c.auditRefs) {
        const audit = r.audits[a.id];
        if (a.weight > 0 && audit.score !== null && audit.score < 1) console.log(`  ${c.id}: ${a.id} ${audit.score}`);
      }
  ' "$report" "$url"
done
