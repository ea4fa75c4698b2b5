#!/usr/bin/env bash
# The whole test suite, set-up included, on a fresh machine or an old one:
# a virtual environment with the pinned test dependencies, Debian's Chromium
# for the browser tests (installed with apt when missing and we may), then
# lint and every test layer. Exit code: pytest's (5, "no tests ran", fails).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing test dependencies"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Chromium (Debian package) for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! Chromium is missing and cannot be installed here; browser tests will be skipped (or fail under CI=true)."
  fi
fi

echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "!! ruff format would change files; run .venv/bin/ruff format ."; exit 1; }

echo "== content"
.venv/bin/python -m logic validate content

echo "== tests"
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = "5" ]; then
  echo "!! pytest collected no tests: that is a failure, not a pass."
fi
exit "$code"
