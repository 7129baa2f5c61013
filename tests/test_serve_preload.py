"""`baro serve` loads the URL map (every view and the API) before gunicorn forks its workers,
so that no worker imports it again in a user's first request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import sys
import django

django.setup()
assert "baro.work.api" not in sys.modules, "already loaded by set-up: nothing to check"

from baro.cli import _load_url_map

_load_url_map()
for name in ("baro.urls", "baro.api", "baro.work.api", "baro.work.views.tasks"):
    assert name in sys.modules, name
print("loaded")
"""


def test_the_url_map_is_loaded_before_the_workers_fork(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(BARO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="baro.settings")
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded"
