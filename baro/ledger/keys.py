"""The installation's Ed25519 signing key for ledger checkpoints, kept outside the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PRIVATE_NAME = "ledger-ed25519.pem"
PUBLIC_NAME = "ledger-ed25519.pub.pem"


class MissingKeyError(RuntimeError):
    """No signing key in the data directory: run `baro init`."""


def keys_dir() -> Path:
    return Path(settings.KEYS_DIR)


def ensure_signing_key(directory: Path | None = None) -> tuple[Path, bool]:
    """Create the key pair if absent; return the private key's path and whether it was made."""
    directory = directory or keys_dir()
    private_path = directory / PRIVATE_NAME
    if private_path.exists():
        return private_path, False
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    (directory / PUBLIC_NAME).write_bytes(public_key_pem(key.public_key()))
    return private_path, True


def load_signing_key(directory: Path | None = None) -> Ed25519PrivateKey:
    private_path = (directory or keys_dir()) / PRIVATE_NAME
    if not private_path.exists():
        raise MissingKeyError(f"không có khóa ký sổ cái tại {private_path}; hãy chạy `baro init`")
    key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise MissingKeyError(f"{private_path} không phải khóa Ed25519")
    return key


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
