from __future__ import annotations

import hashlib

import pytest

from baro.ledger.canonical import event_hash
from baro.ledger.merkle import (
    EMPTY_ROOT,
    inclusion_proof,
    merkle_root,
    root_from_digests,
    verify_inclusion,
)

SIZES = [*range(1, 40), 255, 256, 257, 271, 272, 273, 511, 512, 513, 1000, 4096, 4097]
PROOF_SIZES = [*range(1, 40), 255, 256, 257, 272, 273, 300]


def reference_root(leaves: list[bytes]) -> bytes:
    """The docstring's recursive definition, literally: the node over the roots of slices of
    the largest power of 16 below n; one leaf is its own root."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    size = 1
    while size * 16 < len(leaves):
        size *= 16
    children = [reference_root(leaves[i : i + size]) for i in range(0, len(leaves), size)]
    assert 2 <= len(children) <= 16
    return hashlib.sha256(b"\x01" + b"".join(children)).digest()


def reference_proof(leaves: list[bytes], index: int) -> list[bytes]:
    """Bottom-up siblings, from the same recursion: the deepest group comes first."""
    if len(leaves) == 1:
        return []
    size = 1
    while size * 16 < len(leaves):
        size *= 16
    slot = index // size
    children = [reference_root(leaves[i : i + size]) for i in range(0, len(leaves), size)]
    below = reference_proof(leaves[slot * size : (slot + 1) * size], index - slot * size)
    return below + children[:slot] + children[slot + 1 :]


def leaves_of(count: int) -> list[bytes]:
    return [hashlib.sha256(str(index).encode()).digest() for index in range(count)]


@pytest.mark.parametrize("count", SIZES)
def test_root_is_the_recursive_16_ary_tree(count: int) -> None:
    leaves = leaves_of(count)
    expected = reference_root(leaves).hex()
    assert merkle_root(leaf.hex() for leaf in leaves) == expected
    assert root_from_digests(leaves) == expected


def test_shape_of_small_trees() -> None:
    a, b, c = leaves_of(3)
    assert merkle_root([a.hex()]) == a.hex()  # one leaf is its own root
    assert merkle_root([a.hex(), b.hex()]) == hashlib.sha256(b"\x01" + a + b).hexdigest()
    sixteen = leaves_of(16)
    node = hashlib.sha256(b"\x01" + b"".join(sixteen)).digest()
    # 17 leaves: a full group of 16, and the 17th promoted unchanged beside it.
    seventeen = [*sixteen, c]
    assert root_from_digests(seventeen) == hashlib.sha256(b"\x01" + node + c).hexdigest()


def test_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle_root([]) == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()


def test_order_matters() -> None:
    hashes = [leaf.hex() for leaf in leaves_of(4)]
    assert merkle_root(hashes) != merkle_root(reversed(hashes))


def test_a_node_cannot_pass_for_a_leaf() -> None:
    """Leaves are event hashes, whose input starts with a decimal sequence number."""
    assert all(f"{seq}\t".encode()[0] in b"123456789" for seq in (1, 9, 10, 10**9))
    assert b"\x01"[0] not in b"0123456789"
    digest = event_hash(1, "0" * 64, "{}")
    assert len(bytes.fromhex(digest)) == 32


@pytest.mark.parametrize("count", PROOF_SIZES)
def test_inclusion_proof_of_every_leaf(count: int) -> None:
    leaves = leaves_of(count)
    root = root_from_digests(leaves)
    for index in range(count):
        proof = inclusion_proof(leaves, index)
        assert proof == reference_proof(leaves, index), index
        assert verify_inclusion(leaves[index], index, count, proof, root)
        assert verify_inclusion(leaves[index].hex(), index, count, [p.hex() for p in proof], root)
        # Another leaf, another place, another size, a shortened proof: all refused.
        other = leaves[(index + 1) % count]
        if other != leaves[index]:
            assert not verify_inclusion(other, index, count, proof, root)
        if count > 1:
            assert not verify_inclusion(leaves[index], (index + 1) % count, count, proof, root)
            assert not verify_inclusion(leaves[index], index, count, proof[:-1], root)
            assert not verify_inclusion(leaves[index], index, count, [*proof, leaves[0]], root)


def test_inclusion_proof_is_short() -> None:
    leaves = leaves_of(1000)
    # 1000 leaves: three levels, at most 15 siblings each.
    assert max(len(inclusion_proof(leaves, index)) for index in range(0, 1000, 7)) <= 45


def test_inclusion_proof_refuses_bad_input() -> None:
    leaves = leaves_of(5)
    with pytest.raises(IndexError):
        inclusion_proof(leaves, 5)
    root = root_from_digests(leaves)
    proof = inclusion_proof(leaves, 2)
    assert not verify_inclusion(leaves[2], 2, 5, proof, "zz")
    assert not verify_inclusion(leaves[2], -1, 5, proof, root)
    assert not verify_inclusion(leaves[2][:31], 2, 5, proof, root)
