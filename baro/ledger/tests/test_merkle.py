from __future__ import annotations

import hashlib

import pytest

from baro.ledger.merkle import EMPTY_ROOT, merkle_root, root_from_digests


def reference_root(hashes: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, literally: split at the largest power of two below n."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashlib.sha256(b"\x00" + hashes[0]).digest()
    split = 1
    while split * 2 < len(hashes):
        split *= 2
    left, right = reference_root(hashes[:split]), reference_root(hashes[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


@pytest.mark.parametrize("count", [*range(1, 18), 31, 32, 33, 100, 1000])
def test_root_is_the_rfc_6962_tree(count: int) -> None:
    hashes = [hashlib.sha256(str(index).encode()).digest() for index in range(count)]
    expected = reference_root(hashes).hex()
    assert merkle_root(h.hex() for h in hashes) == expected
    assert root_from_digests(hashes) == expected


def test_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle_root([]) == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()


def test_order_matters() -> None:
    hashes = [hashlib.sha256(str(index).encode()).hexdigest() for index in range(4)]
    assert merkle_root(hashes) != merkle_root(reversed(hashes))
