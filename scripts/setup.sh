#!/usr/bin/env bash
# Recipe: create .venv in the repo root and install the annotator (and, with --test, what the
# test suite needs). Safe to re-run. torch is pinned in pyproject.toml to the CPU build on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
extras=""
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  # Browser tests drive Debian's Chromium (never a downloaded browser build).
  if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  fi
fi
.venv/bin/python -m pip install -q -e ".${extras}" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import annotator, torch, transformers; print('annotator ready: torch', torch.__version__)"
