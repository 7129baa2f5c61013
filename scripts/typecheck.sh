#!/bin/sh
# Type check with mypy and django-stubs (configuration in pyproject.toml): strict on core, the
# ledger and the registry, default strictness elsewhere. Errors that existed when the check
# was introduced are listed in mypy-baseline.txt; a new error fails, and so does a listed one
# that is gone (the baseline only shrinks: after fixing, run `sh scripts/typecheck.sh --sync`).
set -eu
cd "$(dirname "$0")/.."
BARO_DATA_DIR=${BARO_DATA_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/baro-mypy.XXXXXX")}
export BARO_DATA_DIR
if [ "${1:-}" = "--sync" ]; then
  .venv/bin/mypy baro | .venv/bin/mypy-baseline sync --sort-baseline
  exit 0
fi
# The strict layers have no baseline: any error there fails.
if grep -E '^baro/(core|ledger|org)/' mypy-baseline.txt | grep -v '/tests/' >&2; then
  echo "Lỗi: core, ledger và org phải sạch lỗi kiểu (mypy), không được ghi vào mypy-baseline.txt." >&2
  exit 1
fi
.venv/bin/mypy baro | .venv/bin/mypy-baseline filter --no-colors --sort-baseline
