"""Public keys as the verifier reads them: PEM in, Ed25519 key and its short id out.

Django-free on purpose: baro.ledger.keys does the same for the installation's own key but
needs settings, and an export must verify on a machine without them.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def load_public_key(pem: bytes | str) -> Ed25519PublicKey:
    """ValueError unless Ed25519: checkpoints are signed with nothing else, and another kind
    of key would only fail every signature with a less clear message."""
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key_id(key: Ed25519PublicKey) -> str:
    """Same as baro.ledger.keys.key_id, which cannot be imported here (it needs settings)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
