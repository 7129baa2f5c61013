"""`baro ledger …`: verify, export, checkpoint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from baro.ledger.canonical import DEFAULT_CHAIN

EXIT_BROKEN = 1


def cmd_verify(args: argparse.Namespace) -> int:
    from baro.ledger import reference
    from baro.ledger.verify import verify_database, verify_export

    public_key = args.public_key.read_bytes() if args.public_key else None
    if args.reference:
        # The plain verifier an auditor can read; same report, so the same output below.
        report = reference.verify_export(args.reference, public_key)
    elif args.export:
        report = verify_export(args.export, public_key, workers=args.workers)
    else:
        report = verify_database(chain=args.chain)
    if not report.ok:
        assert report.problem is not None
        print(f"Lỗi [{report.problem.code}]: {report.problem.message}", file=sys.stderr)
        return EXIT_BROKEN
    print(report.summary())
    if report.key_source == "header":
        print(
            "Lưu ý: chữ ký được kiểm bằng khóa ghi trong chính tệp xuất; đối chiếu với khóa "
            "công khai đã công bố bằng --public-key để biết tệp do đúng cài đặt này ký."
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from baro.ledger.export import export_chain

    summary = export_chain(args.file, chain=args.chain)
    print(
        f"Đã xuất {summary.events} sự kiện và {summary.checkpoints} điểm chốt của chuỗi "
        f"“{summary.chain}” vào {summary.path}."
    )
    return 0


def cmd_checkpoint(args: argparse.Namespace) -> int:
    from baro.ledger.checkpoints import checkpoint_create
    from baro.ledger.queries import chain_status

    checkpoint = checkpoint_create(chain=args.chain)
    if checkpoint is None:
        last = chain_status(chain=args.chain).last_checkpoint
        where = f" kể từ điểm chốt số {last.number}" if last else ""
        print(f"Không có sự kiện mới{where}; không tạo điểm chốt.")
        return 0
    print(
        f"Đã ký điểm chốt số {checkpoint.number}: sự kiện số {checkpoint.seq_from} đến "
        f"{checkpoint.seq_to}, gốc Merkle {checkpoint.merkle_root[:16]}… "
        f"(khóa {checkpoint.key_id})."
    )
    return 0


def register(sub: Any) -> None:
    ledger = sub.add_parser("ledger", help="sổ cái: kiểm tra, xuất, chốt")
    commands = ledger.add_subparsers(dest="ledger_command", metavar="LỆNH", required=True)

    verify = commands.add_parser(
        "verify", help="kiểm tra toàn vẹn sổ cái (cơ sở dữ liệu hoặc tệp xuất)"
    )
    source = verify.add_mutually_exclusive_group()
    source.add_argument("--export", type=Path, help="tệp xuất cần kiểm tra (không cần CSDL)")
    source.add_argument(
        "--reference",
        type=Path,
        metavar="TỆP",
        help="kiểm tra tệp xuất bằng bộ kiểm tra tham chiếu: chậm hơn nhưng ngắn, dễ đọc để "
        "tự đối chiếu (baro/ledger/reference.py)",
    )
    verify.add_argument(
        "--public-key", type=Path, help="khóa công khai (PEM) đã công bố của cài đặt"
    )
    verify.add_argument("--chain", default=DEFAULT_CHAIN)
    verify.add_argument(
        "--workers", type=int, default=None, help="số tiến trình (mặc định: số lõi)"
    )
    verify.set_defaults(handler=cmd_verify)

    export = commands.add_parser("export", help="xuất sổ cái ra tệp để kiểm tra độc lập")
    export.add_argument("file", type=Path)
    export.add_argument("--chain", default=DEFAULT_CHAIN)
    export.set_defaults(handler=cmd_export)

    checkpoint = commands.add_parser("checkpoint", help="ký điểm chốt Merkle ngay bây giờ")
    checkpoint.add_argument("--chain", default=DEFAULT_CHAIN)
    checkpoint.set_defaults(handler=cmd_checkpoint)
