"""The `baro` command: set-up, demo, server, ledger and registry tools.

Each subcommand is a thin wrapper: it parses arguments and calls services or queries. Errors
come out as one line on stderr with their stable code, and a non-zero exit: in Vietnamese, or in
English when the shell's locale is English (cli_language).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]

# The locale variables in the order gettext reads them: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Commands whose words are written for other people rather than to the shell: the worker's
# reminders and notifications, the server (which brings the worker along), the demo's data.
# They keep to the installation's language (LANGUAGE_CODE) whatever the shell's locale.
SHARED_OUTPUT_COMMANDS = frozenset({"serve", "worker", "demo"})


def cli_language(environ: Mapping[str, str]) -> str:
    """ "en" when the shell's locale is English (LANGUAGE=en…, LANG=en_US.UTF-8…), else "vi"."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    import django

    django.setup()


def cmd_init(args: argparse.Namespace) -> int:
    from baro.setup import initialise

    report = initialise(verbosity=0 if args.quiet else 1)
    for line in report:
        print(line)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from baro.demo import load_demo
    from baro.setup import initialise

    # Set-up without its report: the data directory is named once, by `baro serve` that
    # follows (scripts/demo.sh) or by `baro init`; the demo prints its accounts.
    initialise(verbosity=0)
    summary = load_demo(reset=args.reset, if_empty=args.if_empty, seed=args.seed)
    print(summary)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from django.db import connections

    from baro.setup import initialise
    from baro.wsgi import application

    _require_free_address(args.host, args.port)
    for line in initialise(verbosity=0):
        print(line)
    _load_url_map()
    # Worker processes open their own connections; none is inherited from set-up.
    connections.close_all()
    _start_worker(args)
    base = f"http://{args.host}:{args.port}"
    print(f"Baro đang chạy tại {base}/ — đăng nhập tại {base}/dang-nhap/", flush=True)
    print("Nhấn Ctrl+C để dừng.", flush=True)
    # Everything loaded so far (Django, the URL map, templates) lives as long as the server:
    # moved out of the collector's sight, so each collection scans only per-request objects
    # (and, with granian on Linux, stays shared between the forked workers).
    gc.collect()
    gc.freeze()
    if sys.platform != "win32" and not args.waitress:
        _serve_granian(args)
    else:
        from waitress import serve

        serve(application, host=args.host, port=args.port, threads=args.threads, ident="Baro")
    return 0


def _require_free_address(host: str, port: int) -> None:
    """Refuse to start where something already listens. granian binds with SO_REUSEPORT, so a
    second `baro serve` on the same port would start without a word and the kernel would
    share the requests between two servers, perhaps on two different databases."""
    import errno
    import socket

    from baro.core.errors import DomainError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            # Without it a port whose last connections are still in TIME_WAIT, right after a
            # restart, would look taken; Linux still refuses a port with a listener.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise DomainError(
                "serve.address_in_use",
                gettext(
                    "Cổng %(port)s trên %(host)s đang được dùng (có thể một máy chủ Baro khác đang "
                    "chạy): dừng nó hoặc chọn cổng khác bằng --port."
                )
                % {"port": port, "host": host},
            ) from exc
        raise DomainError(
            "serve.address_unusable",
            gettext("Không mở được địa chỉ %(host)s:%(port)s: %(error)s.")
            % {"host": host, "port": port, "error": exc.strerror or exc},
        ) from exc


def wants_worker(choice: str) -> bool:
    """Whether `baro serve --worker=choice` brings its worker: "yes", "no", or "auto" (on the
    embedded SQLite default, whatever its ENGINE's name)."""
    from django.db import connection

    return choice == "yes" or (choice == "auto" and connection.vendor == "sqlite")


def _start_worker(args: argparse.Namespace) -> None:
    """In the embedded default (SQLite, one machine) the server brings its worker along, so the
    ladder and the detectors run without a second command; with PostgreSQL an installation runs
    `baro worker` as its own service (several may run at once)."""
    import atexit
    import subprocess

    if not wants_worker(args.worker):
        return
    child = subprocess.Popen([sys.executable, "-m", "baro", "worker"])
    print(f"Đã chạy kèm baro worker (tiến trình {child.pid}).", flush=True)

    def stop() -> None:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)


def _load_url_map() -> None:
    """Import the URL map now, before the server forks: every view, the API with its schemas
    and validators (~280 modules). Django loads it on the first request, so each server worker
    imported it again by itself (the first request each worker served took 0.7-1.2 s instead of
    ~0.15 s), outside gc.freeze() and outside the memory the workers share (private memory per
    worker 52 -> 27 MB; bench/README.md, "Over HTTP")."""
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf and what it includes)
    resolver.reverse_dict  # noqa: B018 (compiles every pattern once, for all workers)


def _serve_granian(args: argparse.Namespace) -> None:
    """granian's WSGI workers, forked after Django is loaded, one request at a time each (like
    a sync worker; SQLite takes one writer at a time anyway), with keep-alive and the HTTP
    parsing in Rust: ~0.25 ms of server CPU per API request besides Django's, against ~0.45 ms
    for gunicorn's sync workers (bench/README.md, "Over HTTP")."""
    import multiprocessing

    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    if sys.platform.startswith("linux"):
        # From Python 3.14 the default is forkserver, and granian then spawns: each worker
        # would import Django and the URL map again, outside the memory the workers share.
        multiprocessing.set_start_method("fork", force=True)
    Server(
        target="baro.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=1,
        respawn_failed_workers=True,
        workers_kill_timeout=30,
        log_level=LogLevels.warning,
    ).serve()


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["baro manage", *args.rest])
    return 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày “{text}” không đúng dạng YYYY-MM-DD") from None


def cmd_worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from baro.worker import run_forever, run_pass

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


def _register_worker(sub: Any) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baro",
        description="Baro (Ba Rõ): giao việc, theo dõi đến cùng, làm rõ trách nhiệm.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)

    init = sub.add_parser("init", help="tạo thư mục dữ liệu, cơ sở dữ liệu và khóa ký sổ cái")
    init.add_argument("--quiet", action="store_true")
    init.set_defaults(handler=cmd_init)

    demo = sub.add_parser("demo", help="nạp dữ liệu mẫu (một thành phố kiểu Hà Nội)")
    demo.add_argument("--reset", action="store_true", help="xóa dữ liệu hiện có rồi nạp lại")
    demo.add_argument(
        "--if-empty", action="store_true", help="chỉ nạp khi chưa có dữ liệu, không báo lỗi"
    )
    demo.add_argument("--seed", type=int, default=24, help="hạt giống ngẫu nhiên (mặc định 24)")
    demo.set_defaults(handler=cmd_demo)

    serve = sub.add_parser("serve", help="chạy máy chủ web")
    serve.add_argument("--host", default=os.environ.get("BARO_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("BARO_PORT", "8000")))
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("BARO_WORKERS", "2")),
        help="số tiến trình phục vụ (granian, Linux/macOS)",
    )
    serve.add_argument("--threads", type=int, default=8, help="số luồng (waitress)")
    serve.add_argument("--waitress", action="store_true", help="dùng waitress thay cho granian")
    serve.add_argument(
        "--worker",
        choices=["auto", "yes", "no"],
        default=os.environ.get("BARO_SERVE_WORKER", "auto"),
        help="chạy kèm `baro worker` (auto: có khi dùng SQLite mặc định)",
    )
    serve.set_defaults(handler=cmd_serve)

    from baro.ledger.cli import register as register_ledger
    from baro.org.cli import register as register_org
    from baro.org.cli import register_token
    from baro.work.cli import register as register_work

    register_ledger(sub)
    register_org(sub)
    register_token(sub)
    register_work(sub)
    _register_worker(sub)

    manage = sub.add_parser("manage", help="lệnh quản trị Django (migrate, shell…)")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    from baro.core.errors import DomainError, refusal_line
    from baro.env import ConfigError

    language = (
        settings.LANGUAGE_CODE
        if args.command in SHARED_OUTPUT_COMMANDS
        else cli_language(os.environ)
    )
    with translation.override(language):
        try:
            handler: Handler = args.handler
            return handler(args)
        except DomainError as exc:
            print(refusal_line(exc.code, exc.message), file=sys.stderr)
            return EXIT_ERROR
        except ConfigError as exc:
            print(gettext("Lỗi cấu hình: %(error)s") % {"error": exc}, file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    sys.exit(main())
