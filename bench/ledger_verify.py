"""How fast does `baro ledger verify --export` check an export? Target: ≥ 500,000 events/s.

Generates a realistic export (Vietnamese payloads of about 300 bytes, a signed checkpoint every
1,000 events) with baro.ledger.canonical only, no database, into a temporary directory, then
verifies it with one process and with the default number of processes (--repeat times each:
the shared box's speed drifts by up to 1.5× from minute to minute). A line times SHA-256 of
one event's hashed bytes alone, the floor per event, to tell a slow machine from slow code.

    .venv/bin/python bench/ledger_verify.py [--events 1000000] [--interval 1000] [--repeat 1]
                                            [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger.canonical import (
    DEFAULT_CHAIN,
    GENESIS_HASH,
    canonical_json,
    checkpoint_body,
    checkpoint_digest,
    event_body,
    event_hash,
)
from baro.ledger.merkle import merkle_root
from baro.ledger.verify import HEADER_TAG, public_key_id, verify_export

ACTIONS = [
    ("work.task.assigned", "work.task"),
    ("work.task.accepted", "work.task"),
    ("work.progress.reported", "work.task"),
    ("work.task.submitted", "work.task"),
    ("work.task.approved", "work.task"),
    ("oversight.urging.sent", "oversight.urging"),
    ("supervision.feedback.received", "supervision.feedback"),
    ("org.position.assigned", "org.position"),
]
NOTES = [
    "Đã hoàn thành 70% khối lượng, đang chờ Sở Tài chính thẩm định dự toán kinh phí.",
    "Đề nghị UBND phường Hoàn Kiếm phối hợp rà soát hồ sơ giải phóng mặt bằng.",
    "Quá hạn 3 ngày làm việc; đôn đốc lần 2 theo Chỉ thị 24-CT/TU.",
    "Người dân phản ánh tình trạng lấn chiếm vỉa hè tại phố Hàng Bông.",
    "Tiếp nhận nhiệm vụ, giao chuyên viên Nguyễn Thị Hồng Nhung chủ trì xử lý.",
    "Báo cáo kết quả triển khai kế hoạch cải cách hành chính quý III/2026.",
]
UNITS = ["Sở Xây dựng", "Sở Tài chính", "UBND quận Ba Đình", "Văn phòng UBND Thành phố"]


def payload(rng: random.Random, index: int) -> dict[str, object]:
    return {
        "note": rng.choice(NOTES),
        "unit": rng.choice(UNITS),
        "deadline": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "percent": rng.randint(0, 100),
        "document": f"{index % 9000 + 100}/KH-UBND",
    }


def generate(path: Path, events: int, interval: int) -> None:
    rng = random.Random(24)
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = public_key_id(key.public_key())
    start = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
    header = {
        "chain": DEFAULT_CHAIN,
        "public_key": pem.decode(),
        "key_id": kid,
        "exported_at": start,
        "last_seq": events,
    }
    prev, previous_digest, number = GENESIS_HASH, GENESIS_HASH, 0
    pending: list[str] = []
    with path.open("wb") as out:
        out.write(f"{HEADER_TAG}\t{canonical_json(header)}\n".encode())
        # event_body() costs ~15 µs; a pool of canonical payloads and an f-string in the same
        # canonical key order makes 1M events in seconds. The first events are checked
        # against event_body() so the shortcut cannot drift from the real encoding.
        pool = [canonical_json(payload(rng, index)) for index in range(4096)]
        for seq in range(1, events + 1):
            action, object_type = ACTIONS[seq % len(ACTIONS)]
            occurred_at = start + dt.timedelta(seconds=seq * 7)
            actor, object_id = f"person:{rng.randint(1, 20000)}", str(rng.randint(1, 500000))
            data = pool[seq % len(pool)]
            body = (
                f'{{"action":"{action}","actor":"{actor}","chain":"{DEFAULT_CHAIN}",'
                f'"object_id":"{object_id}","object_type":"{object_type}",'
                f'"occurred_at":"{occurred_at.isoformat(timespec="microseconds")}",'
                f'"on_behalf_of":"","payload":{data}}}'
            )
            if seq <= 100:
                assert body == event_body(
                    chain=DEFAULT_CHAIN,
                    occurred_at=occurred_at,
                    actor=actor,
                    on_behalf_of="",
                    action=action,
                    object_type=object_type,
                    object_id=object_id,
                    payload=json.loads(data),
                )
            digest = event_hash(seq, prev, body)
            out.write(f"{digest}\t{seq}\t{prev}\t{body}\n".encode())
            pending.append(digest)
            prev = digest
            if seq % interval == 0:
                number += 1
                cp_body = checkpoint_body(
                    chain=DEFAULT_CHAIN,
                    number=number,
                    seq_from=seq - len(pending) + 1,
                    seq_to=seq,
                    merkle_root=merkle_root(pending),
                    head_hash=digest,
                    prev_checkpoint_digest=previous_digest,
                    key_id=kid,
                    signed_at=start + dt.timedelta(seconds=seq * 7, milliseconds=1),
                )
                signature = key.sign(cp_body.encode()).hex()
                out.write(f"C\t{cp_body}\t{signature}\n".encode())
                previous_digest = checkpoint_digest(cp_body)
                pending = []


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def sha256_floor(path: Path, lines: int = 200_000) -> float:
    """µs per SHA-256 of an event line's hashed part (what every event costs at least)."""
    with path.open("rb") as handle:
        handle.readline()
        sample = [line[65:].rstrip(b"\n") for _, line in zip(range(lines), handle, strict=False)]
    sha = hashlib.sha256
    best = float("inf")
    for _ in range(3):
        began = time.process_time()
        for part in sample:
            sha(part).digest()
        best = min(best, time.process_time() - began)
    return best / len(sample) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--interval", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="verifications per mode")
    parser.add_argument("--keep", action="store_true", help="keep the generated export")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="baro-bench-"))
    path = directory / "ledger.export"
    began = time.perf_counter()
    generate(path, args.events, args.interval)
    size = path.stat().st_size
    print(
        f"generated {args.events:,} events ({size / args.events:.0f} bytes/line, "
        f"{size / 1e6:.0f} MB) in {time.perf_counter() - began:.1f} s"
    )
    print(f"SHA-256 alone: {sha256_floor(path):.2f} µs per event line (the floor per event)")
    for workers in [1, None] * args.repeat:
        cpu_before = _cpu_seconds()
        began = time.perf_counter()
        report = verify_export(path, workers=workers)
        elapsed = time.perf_counter() - began
        cpu = _cpu_seconds() - cpu_before
        label = "1 process" if workers == 1 else f"{min(os.cpu_count() or 1, 4)} processes"
        # CPU seconds show what the machine would do unloaded: other work on a shared box
        # stretches wall time but not the CPU time each event costs.
        print(
            f"verify, {label}: {elapsed:.2f} s wall = {report.events / elapsed:,.0f} events/s; "
            f"{cpu:.2f} CPU s = {cpu / report.events * 1e6:.2f} µs/event "
            f"— {report.summary()}"
        )
        if not report.ok:
            return 1
    if args.keep:
        print(f"export kept at {path}")
    else:
        path.unlink()
        directory.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
