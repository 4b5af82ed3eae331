#!/usr/bin/env bash
# Set up billfacts in .venv (Python 3.11) and run it on the bundled sample notes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh
.venv/bin/billfacts demo annotations/samples
