"""`baro serve` refuses an address it cannot have, with one line and a non-zero exit, before
it starts anything: granian binds with SO_REUSEPORT and would otherwise share a port with the
server already there (the kernel splitting the requests between the two)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(BARO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="baro.settings")
    return subprocess.run(
        [sys.executable, "-m", "baro", "serve", "--worker", "no", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_port_another_server_listens_on_is_refused(tmp_path: Path) -> None:
    with socket.socket() as other:
        # Listening as granian does: with SO_REUSEPORT, which lets a second granian bind too.
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = _serve(tmp_path, "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Lỗi [serve.address_in_use]: Cổng {port} trên 127.0.0.1 đang được dùng (có thể một "
        "máy chủ Baro khác đang chạy): dừng nó hoặc chọn cổng khác bằng --port."
    )
    assert "Baro đang chạy" not in done.stdout
    assert not (tmp_path / "baro.sqlite3").exists()  # refused before set-up


def test_an_address_this_machine_does_not_have_is_refused(tmp_path: Path) -> None:
    done = _serve(tmp_path, "--host", "192.0.2.1", "--port", "8000")  # TEST-NET-1
    assert done.returncode == 1
    assert done.stderr.startswith("Lỗi [serve.address_unusable]: Không mở được địa chỉ 192.0.2.1")
    assert len(done.stderr.strip().splitlines()) == 1
