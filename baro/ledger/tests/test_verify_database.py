"""Tampering with the database, as someone with raw SQL access would, is found at its event."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger.canonical import canonical_json, event_hash
from baro.ledger.keys import load_signing_key
from baro.ledger.models import LedgerCheckpoint, LedgerEvent
from baro.ledger.verify import verify_database

pytestmark = pytest.mark.django_db


def test_an_untouched_ledger_verifies(make_events: Callable) -> None:
    make_events(13, interval=5)
    report = verify_database()
    assert report.ok
    assert report.summary().startswith("Toàn vẹn đến sự kiện số 13; điểm chốt số 2 đã ký hợp lệ")


def test_an_empty_ledger_verifies() -> None:
    report = verify_database()
    assert report.ok
    assert report.summary() == "Sổ cái chưa có sự kiện nào."


def test_one_changed_payload_byte_is_found(make_events: Callable, tamper: Callable) -> None:
    make_events(12)
    tamper(
        "UPDATE ledger_ledgerevent SET body = REPLACE(body, '\"percent\":21', "
        "'\"percent\":91') WHERE seq = 7"
    )
    report = verify_database()
    assert (report.ok, report.code, report.problem.seq) == (False, "ledger.hash_mismatch", 7)
    assert report.message.startswith("Sổ cái bị sửa tại sự kiện số 7: ")
    assert report.last_seq == 6


def test_a_deleted_event_is_found(make_events: Callable, tamper: Callable) -> None:
    make_events(12)
    tamper("DELETE FROM ledger_ledgerevent WHERE seq = 8")
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.gap", 8)


def test_a_deleted_last_event_is_found_by_the_chain_head(
    make_events: Callable, tamper: Callable
) -> None:
    make_events(12)
    tamper("DELETE FROM ledger_ledgerevent WHERE seq = 12")
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.head_mismatch", 12)


def test_two_swapped_events_are_found(make_events: Callable, tamper: Callable) -> None:
    make_events(12)
    tamper(
        "UPDATE ledger_ledgerevent SET seq = -1 WHERE seq = 3",
        "UPDATE ledger_ledgerevent SET seq = 3 WHERE seq = 4",
        "UPDATE ledger_ledgerevent SET seq = 4 WHERE seq = -1",
    )
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.broken_link", 3)


def test_a_rewritten_column_is_found(make_events: Callable, tamper: Callable) -> None:
    make_events(6)
    tamper("UPDATE ledger_ledgerevent SET actor = 'person:99' WHERE seq = 4")
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.column_mismatch", 4)
    assert "actor" in report.message


def test_a_forged_merkle_root_breaks_the_signature(make_events: Callable, tamper: Callable) -> None:
    make_events(12)
    checkpoint = LedgerCheckpoint.objects.get(number=2)
    forged = checkpoint.body.replace(checkpoint.merkle_root, "ab" * 32)
    tamper(("UPDATE ledger_ledgercheckpoint SET body = %s WHERE number = 2", [forged]))
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.checkpoint_bad_signature", 10)
    assert report.problem.checkpoint == 2


def test_a_checkpoint_signed_with_another_key_is_refused(
    make_events: Callable, tamper: Callable
) -> None:
    make_events(12)
    checkpoint = LedgerCheckpoint.objects.get(number=1)
    signature = Ed25519PrivateKey.generate().sign(checkpoint.body.encode()).hex()
    tamper(("UPDATE ledger_ledgercheckpoint SET signature = %s WHERE number = 1", [signature]))
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.checkpoint_bad_signature", 5)


def test_a_wrong_root_signed_with_the_real_key_is_a_mismatch(
    make_events: Callable, tamper: Callable
) -> None:
    """Even the key's holder cannot vouch for a root the events do not give."""
    make_events(12)
    checkpoint = LedgerCheckpoint.objects.get(number=2)
    fields = {**json.loads(checkpoint.body), "merkle_root": "cd" * 32}
    body = canonical_json(fields)
    signature = load_signing_key().sign(body.encode()).hex()
    tamper(
        (
            "UPDATE ledger_ledgercheckpoint SET body = %s, signature = %s WHERE number = 2",
            [body, signature],
        )
    )
    report = verify_database()
    assert (report.code, report.problem.seq) == ("ledger.checkpoint_mismatch", 10)


def test_a_deleted_checkpoint_is_found(make_events: Callable, tamper: Callable) -> None:
    make_events(16)
    tamper("DELETE FROM ledger_ledgercheckpoint WHERE number = 2")
    report = verify_database()
    assert (report.code, report.problem.checkpoint, report.problem.seq) == (
        "ledger.checkpoint_mismatch",
        3,
        15,
    )


def _edit_and_rehash(seq: int, old: str, new: str) -> list[tuple[str, list[object]]]:
    """Change event `seq`'s body, then recompute its hash and every later link and hash, and
    the chain head: a chain that holds together, as an editor with the database would leave
    it. Only a signed checkpoint can tell."""
    statements: list[tuple[str, list[object]]] = []
    previous = None
    rows = LedgerEvent.objects.filter(seq__gte=seq).order_by("seq")
    for event in rows.values_list("seq", "prev_hash", "body"):
        number, prev, body = event
        body = body.replace(old, new) if number == seq else body
        prev = previous or prev
        digest = event_hash(number, prev, body)
        statements.append(
            (
                "UPDATE ledger_ledgerevent SET body = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [body, prev, digest, number],
            )
        )
        previous = digest
    statements.append(("UPDATE ledger_chainhead SET hash = %s", [previous]))
    return statements


def test_a_rehashed_chain_names_the_first_event_off_the_signed_leaves(
    make_events: Callable, tamper: Callable
) -> None:
    make_events(23)  # checkpoints 1-4 end at events 5, 10, 15, 20
    tamper(*_edit_and_rehash(12, '"percent":36', '"percent":96'))
    report = verify_database()
    assert report.problem is not None
    assert (report.code, report.problem.checkpoint) == ("ledger.checkpoint_mismatch", 3)
    assert (report.problem.seq, report.problem.changed) == (12, 12)
    assert report.message.startswith("Sổ cái bị sửa tại sự kiện số 12: điểm chốt số 3 ")
    assert "sự kiện số 12 (nội dung đã bị sửa rồi băm lại)" in report.message
    assert report.as_dict()["problem"]["changed"] == 12


def test_a_rehashed_chain_with_rewritten_leaves_stays_at_the_checkpoint(
    make_events: Callable, tamper: Callable
) -> None:
    """Leaves rewritten to match no longer hash to the signed root: not believed."""
    make_events(23)
    statements = _edit_and_rehash(12, '"percent":36', '"percent":96')
    leaves = b"".join(bytes.fromhex(str(params[2])) for _, params in statements[:4])  # 12-15
    signed = LedgerCheckpoint.objects.get(number=3).leaves
    assert signed is not None
    leaves = bytes(signed)[:32] + leaves  # event 11 as signed, 12-15 as they now are
    rewrite = ("UPDATE ledger_ledgercheckpoint SET leaves = %s WHERE number = 3", [leaves])
    tamper(*statements, rewrite)
    report = verify_database()
    assert report.problem is not None
    assert (report.code, report.problem.checkpoint) == ("ledger.checkpoint_mismatch", 3)
    assert (report.problem.seq, report.problem.changed) == (15, None)


def test_a_rehashed_chain_under_a_checkpoint_without_leaves_stays_at_the_checkpoint(
    make_events: Callable, tamper: Callable
) -> None:
    """Checkpoints signed before the leaves were kept."""
    make_events(23)
    tamper(
        *_edit_and_rehash(12, '"percent":36', '"percent":96'),
        "UPDATE ledger_ledgercheckpoint SET leaves = NULL",
    )
    report = verify_database()
    assert report.problem is not None
    assert (report.code, report.problem.seq, report.problem.changed) == (
        "ledger.checkpoint_mismatch",
        15,
        None,
    )
