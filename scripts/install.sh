#!/bin/sh
# Make .venv hold Baro and the pinned dependencies; EXTRAS=test adds what the tests need.
# Skips pip when requirements.lock and pyproject.toml have not changed since the last install.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=".venv/.baro-installed"
want="$(cat requirements.lock pyproject.toml | cksum) extras=$EXTRAS"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  spec="."
  [ -n "$EXTRAS" ] && spec=".[$EXTRAS]"
  echo "Đang cài đặt Baro và các thư viện (lần đầu mất vài phút)…"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e "$spec" 2>&1 \
    | grep -v -E 'BuildBackendWarning|^WARNING: Location|^\s|^$|!!' >&2 || true
  .venv/bin/python -c "import baro, django" || { echo "Lỗi: cài đặt không thành công." >&2; exit 1; }
  printf '%s' "$want" > "$stamp"
fi
