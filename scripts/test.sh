#!/usr/bin/env bash
# Set up billfacts with its test dependencies in .venv (Python 3.11) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh test
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
