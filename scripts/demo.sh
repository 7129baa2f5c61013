#!/bin/sh
# Install Baro into .venv, load the demo city into ./var/demo (SQLite) and start the server.
set -eu
cd "$(dirname "$0")/.."

sh scripts/install.sh
BARO_DATA_DIR=${BARO_DATA_DIR:-$(pwd)/var/demo}
export BARO_DATA_DIR
.venv/bin/baro demo --if-empty
exec .venv/bin/baro serve "$@"
