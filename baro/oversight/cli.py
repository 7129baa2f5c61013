"""`baro worker`: the urging ladder, the detectors, notification deliveries and ledger
checkpoints, on a schedule (or one pass with --once)."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from typing import Any

EXIT_ERROR = 1


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày “{text}” không đúng dạng YYYY-MM-DD") from None


def cmd_worker(args: argparse.Namespace) -> int:
    from baro.oversight.worker import run_forever, run_pass

    if args.once:

        def progress(step: str, done: int, total: int) -> None:
            print(f"  … {step}: {done}/{total}", flush=True)

        report = run_pass(args.date, progress=progress if args.verbose else None)
        print(report.summary(), flush=True)
        return 0
    if args.interval < 1:
        print(
            "Lỗi [worker.interval]: khoảng thời gian giữa hai lượt phải từ 1 giây.", file=sys.stderr
        )
        return EXIT_ERROR
    stop = threading.Event()

    def finish(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    print(f"Baro worker: một lượt mỗi {args.interval:g} giây. Nhấn Ctrl+C để dừng.", flush=True)
    run_forever(args.interval, stop=stop, log=lambda line: print(line, flush=True))
    return 0


def register(sub: Any) -> None:
    import os

    worker = sub.add_parser(
        "worker",
        help="chạy đôn đốc tự động, phát hiện né tránh, gửi thông báo theo lịch",
    )
    worker.add_argument("--once", action="store_true", help="chạy một lượt rồi dừng")
    worker.add_argument(
        "--interval",
        type=float,
        default=float(os.environ.get("BARO_WORKER_INTERVAL", "60")),
        help="số giây giữa hai lượt (mặc định 60)",
    )
    worker.add_argument(
        "--date", type=_day, default=None, help="chạy như vào ngày này (YYYY-MM-DD), cho thử nghiệm"
    )
    worker.add_argument("--verbose", action="store_true", help="in tiến độ từng bước")
    worker.set_defaults(handler=cmd_worker)
