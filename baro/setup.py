"""`baro init`: make the data directory, the database schema and the ledger signing key."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

from baro.ledger.keys import ensure_signing_key


def initialise(*, verbosity: int = 1) -> list[str]:
    """Bring an installation up to date; safe to run again. Returns lines to show the user."""
    data_dir = settings.DATA_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    key_path, made = ensure_signing_key()
    lines = [f"Thư mục dữ liệu: {data_dir}"]
    if verbosity:
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        lines.append(f"Cơ sở dữ liệu: {engine} — đã cập nhật cấu trúc.")
        lines.append(f"Khóa ký sổ cái: {key_path} ({'vừa tạo' if made else 'đã có'}).")
    return lines
