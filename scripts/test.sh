#!/usr/bin/env bash
# The whole test suite, set-up included, on a fresh machine or an old one:
# a virtual environment with the pinned test dependencies; Debian's Chromium
# (browser tests), poppler-utils (pdftoppm: the PDF brief's pages as images) and
# PostgreSQL (voting storage tests), installed with apt
# and started when missing and we may; then lint, content validation and
# every test layer. Exit code: pytest's (5, "no tests ran", fails too).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "!! Python 3.11 or newer is needed (Streamlit 1.67 and the pinned packages); $("$PY" --version 2>&1) found. Set PYTHON=/path/to/python3.11 or newer."
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing test dependencies"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
.venv/bin/python -c "import streamlit, pytest, playwright, psycopg" || { echo "!! dependencies did not install"; exit 1; }

SUDO=""
CAN_APT=no
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then CAN_APT=yes
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; CAN_APT=yes
  fi
fi
APT_UPDATED=no
apt_install() {
  if [ "$CAN_APT" != yes ]; then return 1; fi
  if [ "$APT_UPDATED" = no ]; then $SUDO apt-get update -qq; APT_UPDATED=yes; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "== installing Chromium (Debian package) for the browser tests"
  apt_install chromium || echo "!! Chromium is missing and cannot be installed here; browser tests skip (and fail under CI=true)."
fi

if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "== installing poppler-utils (Debian package): pdftoppm renders the PDF brief's pages in its tests"
  apt_install poppler-utils || echo "!! pdftoppm is missing and cannot be installed here; its brief tests skip (and fail under CI=true)."
fi

if [ -z "${TOOLBOX_TEST_PG:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    echo "== installing PostgreSQL (Debian package) for the storage tests"
    apt_install postgresql || true
  fi
  if command -v pg_lsclusters >/dev/null 2>&1 && [ "$CAN_APT" = yes ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | grep -q .; then $SUDO pg_createcluster "$ver" main >/dev/null; fi
    read -r cver cname cport cstatus _ < <(pg_lsclusters -h | head -n 1)
    if [ "$cstatus" != "online" ]; then
      echo "== starting PostgreSQL $cver/$cname on port $cport"
      $SUDO pg_ctlcluster "$cver" "$cname" start
    fi
    $SUDO su postgres -c "psql -q -p $cport -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'toolbox') THEN
    CREATE ROLE toolbox LOGIN PASSWORD 'toolbox';
  END IF;
END $$;
SELECT 'CREATE DATABASE toolbox_test OWNER toolbox'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'toolbox_test')\gexec
SQL
    export TOOLBOX_TEST_PG="postgresql://toolbox:toolbox@127.0.0.1:${cport}/toolbox_test"
  else
    echo "!! PostgreSQL is not available here; its storage tests skip (and fail under CI=true)."
  fi
fi

echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "!! ruff format would change files; run .venv/bin/ruff format ."; exit 1; }

echo "== types"
.venv/bin/mypy  # the whole app (logic/, ui/, app_pages/, app.py): pyproject.toml [tool.mypy] files
.venv/bin/mypy bench testkit  # the benchmark and the test server, with the same settings

echo "== content"
.venv/bin/python -m logic validate content

# pytest-xdist (pyproject.toml addopts: -n auto) runs the tests in one process a CPU; the
# browser tests, the PostgreSQL tests and the brief modules each stay whole in one process
# (tests/support.py ONE_PROCESS). Pass -n 0 to run everything in one process.
echo "== tests"
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = "5" ]; then
  echo "!! pytest collected no tests: that is a failure, not a pass."
fi
exit "$code"
