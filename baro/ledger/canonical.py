"""Canonical encoding and hashing of ledger events.

Pure Python, no Django: the verifier of an export must run without a database or settings.

An event is hashed as SHA-256 over ``f"{seq}\\t{prev_hash}\\t{body}"`` in UTF-8, where ``body``
is the canonical JSON (sorted keys, no spaces, UTF-8 kept) of the event's other fields. Because
the sequence number and the previous hash are a fixed prefix of the hashed bytes, an export line
``hash\\tseq\\tprev_hash\\tbody`` verifies with one slice and one hash, no JSON parsing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any

GENESIS_HASH = "0" * 64
DEFAULT_CHAIN = "main"


def jsonable(value: Any) -> Any:
    """Turn dates, decimals, UUIDs, sets and tuples into plain JSON values, recursively."""
    # Plain values first: they are most of every payload (one pass per ledger event).
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(item) for item in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"ledger payload cannot hold a {type(value).__name__}")


def canonical_json(value: Any) -> str:
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(seq: int, prev_hash: str, body: str) -> str:
    return hashlib.sha256(f"{seq}\t{prev_hash}\t{body}".encode()).hexdigest()


def event_body(
    *,
    chain: str,
    occurred_at: dt.datetime,
    actor: str,
    on_behalf_of: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: dict[str, Any],
) -> str:
    return canonical_json(
        {
            "chain": chain,
            "occurred_at": occurred_at,
            "actor": actor,
            "on_behalf_of": on_behalf_of,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "payload": payload,
        }
    )


def checkpoint_body(
    *,
    chain: str,
    number: int,
    seq_from: int,
    seq_to: int,
    merkle_root: str,
    head_hash: str,
    prev_checkpoint_digest: str,
    key_id: str,
    signed_at: dt.datetime | str,
) -> str:
    """The canonical JSON a checkpoint's signature covers."""
    return canonical_json(
        {
            "chain": chain,
            "number": number,
            "seq_from": seq_from,
            "seq_to": seq_to,
            "merkle_root": merkle_root,
            "head_hash": head_hash,
            "prev_checkpoint_digest": prev_checkpoint_digest,
            "key_id": key_id,
            "signed_at": signed_at,
        }
    )


def checkpoint_digest(body: str) -> str:
    """What the next checkpoint names as its predecessor: SHA-256 of the signed body.

    Ed25519 signatures are deterministic, so the body alone identifies the checkpoint.
    """
    return hashlib.sha256(body.encode()).hexdigest()
