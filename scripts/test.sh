#!/usr/bin/env bash
# Set up billfacts with its test dependencies in .venv (Python 3.11) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh test
# The report test opens report.html in headless Chromium: Debian's chromium, installed here when missing.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing chromium for the report test ..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "warning: chromium could not be installed; the report browser test will be skipped" >&2
fi
if command -v chromium >/dev/null 2>&1; then export BILLFACTS_REQUIRE_CHROMIUM=1; fi
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
