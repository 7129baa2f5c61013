#!/bin/sh
# Install what the tests need into .venv, then run the whole suite (lint, migrations, tests).
# DATABASE_URL=postgres://… runs it on PostgreSQL; without it, on SQLite.
set -eu
cd "$(dirname "$0")/.."

EXTRAS=test sh scripts/install.sh
BARO_DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/baro-test.XXXXXX")
export BARO_DATA_DIR
export BARO_CHROMIUM="${BARO_CHROMIUM:-/usr/bin/chromium}"
trap 'rm -rf "$BARO_DATA_DIR"' EXIT
.venv/bin/ruff check --quiet baro bench tests conftest.py
types=$(sh scripts/typecheck.sh 2>&1) || { printf '%s\n' "$types" >&2; exit 1; }
.venv/bin/python -m baro manage makemigrations --check --dry-run >/dev/null || {
  echo "Lỗi: mô hình đã đổi mà chưa có migration (baro manage makemigrations)." >&2; exit 1; }
.venv/bin/python -m pytest "$@"
