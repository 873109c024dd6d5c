#!/usr/bin/env bash
# Install what the tests need and run them all (the README's test command; CI runs exactly this).
#   - the package with its test extras (pytest, hypothesis, dask.distributed, playwright, ruff);
#   - Debian's chromium for the browser tests (the HTML report, the web app), when apt-get is
#     available and it is missing (never `playwright install`: no browser downloads). Without it
#     those tests skip.
#   - Debian's postgresql server binaries for the run-store tests, which start a throwaway cluster
#     of their own (initdb in a temporary folder, on loopback; never the system cluster). Without
#     them the PostgreSQL cases skip, saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -e ".[test]"
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
    || echo "note: could not install chromium; the browser test will be skipped"
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "note: could not install postgresql; the PostgreSQL store tests will be skipped"
fi
python3 -m pytest "$@"
