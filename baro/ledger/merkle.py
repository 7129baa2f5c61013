"""Merkle trees over event hashes, as RFC 6962 (Certificate Transparency) defines them.

Pure Python, no Django: the export verifier uses it too.

leaf = SHA-256(0x00 || event hash bytes), node = SHA-256(0x01 || left || right); a tree of n
leaves splits at the largest power of two below n. Bottom-up pairing that carries an odd last
node up unchanged builds exactly that tree, so no recursion and no list of levels is needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

try:  # The built-in SHA-256 beats OpenSSL's per-call overhead on 33/65-byte inputs.
    from _sha2 import sha256 as _small_sha256  # type: ignore[import-not-found]  # Python 3.12+
except ImportError:  # pragma: no cover - depends on the interpreter
    try:
        from _sha256 import sha256 as _small_sha256  # type: ignore[import-not-found,no-redef]
    except ImportError:
        _small_sha256 = hashlib.sha256  # type: ignore[assignment]

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_hash(event_hash: str | bytes) -> bytes:
    """The Merkle leaf of one event, from its hex hash (or the raw 32 bytes)."""
    raw = bytes.fromhex(event_hash) if isinstance(event_hash, str) else event_hash
    return _small_sha256(LEAF_PREFIX + raw).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _small_sha256(NODE_PREFIX + left + right).digest()


def root_from_leaves(leaves: bytes | bytearray) -> str:
    """The hex root over leaf hashes given back to back (32 bytes each)."""
    if len(leaves) % 32:
        raise ValueError("leaves must be a multiple of 32 bytes")
    if not leaves:
        return EMPTY_ROOT
    # Each level stays one buffer: a pair of siblings is one 64-byte slice, no list of nodes.
    level = bytes(leaves)
    sha = _small_sha256
    prefix = NODE_PREFIX
    while len(level) > 32:
        paired = len(level) // 64 * 64
        parents = b"".join([sha(prefix + level[i : i + 64]).digest() for i in range(0, paired, 64)])
        level = parents + level[paired:]  # an odd last node moves up unchanged
    return level.hex()


def root_from_digests(digests: list[bytes]) -> str:
    """The hex root over raw 32-byte event hashes (the verifier's form: one list, no hex)."""
    sha = _small_sha256
    prefix = LEAF_PREFIX
    return root_from_leaves(b"".join([sha(prefix + digest).digest() for digest in digests]))


def merkle_root(event_hashes: Iterable[str]) -> str:
    """The hex root over event hashes (hex strings) in sequence order."""
    leaves = bytearray()
    for event_hash in event_hashes:
        leaves += leaf_hash(event_hash)
    return root_from_leaves(leaves)
