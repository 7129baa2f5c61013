"""Merkle trees over event hashes: 16-ary, leaves are the events' own SHA-256 digests.

Pure Python, no Django: the export verifier uses it too.

Leaves. The leaf of an event is its event hash itself, the raw 32 bytes (no extra leaf hash).
This stays domain-separated from the inner nodes: an event hash is SHA-256 over
``f"{seq}\\t{prev_hash}\\t{body}"``, whose first byte is an ASCII digit (``1``-``9``), while
every node's input starts with the byte 0x01. So a node can never pass for a leaf (or a leaf
for a node) without a SHA-256 second preimage.

Nodes. ``node = SHA-256(0x01 || child_1 || … || child_k)`` over 2 ≤ k ≤ 16 children. The
number of children is fixed by the input's length (1 + 32k bytes), so nodes of different
widths cannot be confused either.

Shape. Levels are built bottom-up, left to right: level 0 is the leaves in sequence order;
each next level groups the one below in consecutive groups of 16, the last group holding what
is left. A last group of exactly one child is promoted unchanged (not hashed); any other group
becomes a node. The root is the single node of the top level; the root of one leaf is that
leaf; the root of no leaves is SHA-256 of nothing. Equivalently (the recursive definition the
tests check against): for n ≥ 2 leaves, let s be the largest power of 16 below n; the root is
the node over the roots of the consecutive slices of s leaves (the last one may be shorter).

Why 16-ary and no leaf hash: verifying an export recomputes every signed root, and each
SHA-256 call costs about a microsecond of Python call overhead whatever the input's size. A
binary tree with hashed leaves needed ~2 small calls per event; this one needs ~1/15.

Inclusion proofs. ``inclusion_proof(digests, index)`` lists, level by level from the bottom,
the other children of each group the path goes through, in group order (skipping groups of
one, which are promoted). ``verify_inclusion(leaf, index, count, proof, root)`` recomputes
the root from the leaf, its index and the tree's size, which fix every group's shape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

NODE_PREFIX = b"\x01"
ARITY = 16
DIGEST_SIZE = 32
GROUP_BYTES = ARITY * DIGEST_SIZE
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def node_hash(children: bytes) -> bytes:
    """The node over 2 to 16 children given back to back (32 bytes each)."""
    return hashlib.sha256(NODE_PREFIX + children).digest()


def _next_level(level: bytes) -> bytes:
    sha = hashlib.sha256
    prefix = NODE_PREFIX
    full = len(level) // GROUP_BYTES * GROUP_BYTES
    parents = [
        sha(prefix + level[i : i + GROUP_BYTES]).digest() for i in range(0, full, GROUP_BYTES)
    ]
    rest = level[full:]
    if len(rest) > DIGEST_SIZE:
        parents.append(sha(prefix + rest).digest())
    elif rest:
        parents.append(rest)  # a lone last child is promoted unchanged
    return b"".join(parents)


def root_from_leaves(leaves: bytes | bytearray) -> str:
    """The hex root over leaves (raw event hashes) given back to back (32 bytes each)."""
    if len(leaves) % DIGEST_SIZE:
        raise ValueError("leaves must be a multiple of 32 bytes")
    if not leaves:
        return EMPTY_ROOT
    level = bytes(leaves)
    while len(level) > DIGEST_SIZE:
        level = _next_level(level)
    return level.hex()


def root_from_digests(digests: Sequence[bytes]) -> str:
    """The hex root over raw 32-byte event hashes (the verifier's form: one list, no hex)."""
    return root_from_leaves(b"".join(digests))


def merkle_root(event_hashes: Iterable[str]) -> str:
    """The hex root over event hashes (hex strings) in sequence order."""
    return root_from_leaves(b"".join([bytes.fromhex(event_hash) for event_hash in event_hashes]))


def inclusion_proof(digests: Sequence[bytes], index: int) -> list[bytes]:
    """The sibling hashes proving that leaf `index` is under the root of `digests`.

    Bottom-up; at each level, the other children of the leaf's group in group order (none
    for a group of one, which is promoted).
    """
    if not 0 <= index < len(digests):
        raise IndexError(f"leaf {index} is not in a tree of {len(digests)}")
    level = b"".join(digests)
    if len(level) != DIGEST_SIZE * len(digests):
        raise ValueError("every leaf must be 32 bytes")
    proof: list[bytes] = []
    while len(level) > DIGEST_SIZE:
        count = len(level) // DIGEST_SIZE
        start = index - index % ARITY
        end = min(start + ARITY, count)
        proof.extend(
            level[i * DIGEST_SIZE : (i + 1) * DIGEST_SIZE] for i in range(start, end) if i != index
        )
        level = _next_level(level)
        index //= ARITY
    return proof


def _raw(value: bytes | str) -> bytes:
    return bytes.fromhex(value) if isinstance(value, str) else bytes(value)


def verify_inclusion(
    leaf: bytes | str, index: int, count: int, proof: Sequence[bytes | str], root: bytes | str
) -> bool:
    """Whether `proof` (from inclusion_proof) puts `leaf` at `index` of a tree of `count`
    leaves whose root is `root`. Hashes are raw 32 bytes or hex."""
    try:
        node = _raw(leaf)
        siblings = [_raw(sibling) for sibling in proof]
        expected = _raw(root)
    except ValueError:
        return False
    if not 0 <= index < count or len(node) != DIGEST_SIZE:
        return False
    if any(len(sibling) != DIGEST_SIZE for sibling in siblings):
        return False
    used = 0
    while count > 1:
        start = index - index % ARITY
        width = min(ARITY, count - start)
        if width > 1:
            others = siblings[used : used + width - 1]
            if len(others) != width - 1:
                return False
            used += width - 1
            position = index - start
            node = node_hash(b"".join([*others[:position], node, *others[position:]]))
        index //= ARITY
        count = (count + ARITY - 1) // ARITY
    return used == len(siblings) and node == expected
