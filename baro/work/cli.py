"""`baro work lines …`: the assignment lines (baro.work.lines), listed and changed.

Imported before Django is set up (as baro.org.cli): models and services are imported inside
the handlers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_ERROR = 1
SYSTEMS = ("whole", "government", "party", "front", "socio_political")
REACHES = {"none": "", "below": "below", "level": "level"}


def cmd_lines(args: argparse.Namespace) -> int:
    from baro.org.models import UnitSystem
    from baro.work.lines import current_lines
    from baro.work.models import LineReach

    for (assigner, lead), (reach, note) in current_lines().items():
        print(
            f"{assigner:>16} → {lead:<16} {reach or 'none':<6} "
            f"{UnitSystem(assigner).label} → {UnitSystem(lead).label}: "
            f"{LineReach(reach).label}{' — ' + note if note else ''}"
        )
    return 0


def cmd_line_set(args: argparse.Namespace) -> int:
    from baro.core.errors import DomainError, refusal_line
    from baro.core.run import run_command
    from baro.org.cli import _actor
    from baro.work.services import assignment_line_set

    try:
        line = run_command(
            assignment_line_set,
            actor=_actor(args.as_user),
            assigner_system=args.assigner,
            lead_system=args.lead,
            reach=REACHES[args.reach],
            note=args.note,
        )
    except DomainError as exc:
        print(refusal_line(exc.code, exc.message), file=sys.stderr)
        return EXIT_ERROR
    print(f"Đã đặt tuyến {line.assigner_system} → {line.lead_system}: {args.reach}.")
    return 0


def register(sub: Any) -> None:
    work = sub.add_parser("work", help="nhiệm vụ: tuyến giao nhiệm vụ giữa các khối")
    commands = work.add_subparsers(dest="work_command", metavar="LỆNH", required=True)

    lines = commands.add_parser("lines", help="liệt kê tuyến giao nhiệm vụ chủ trì")
    lines.set_defaults(handler=cmd_lines)

    line_set = commands.add_parser("line-set", help="đặt một tuyến giao nhiệm vụ chủ trì")
    line_set.add_argument("assigner", choices=SYSTEMS, help="khối của đơn vị giao")
    line_set.add_argument("lead", choices=SYSTEMS, help="khối của đơn vị chủ trì")
    line_set.add_argument(
        "reach",
        choices=tuple(REACHES),
        help="none: không được giao; below: cấp dưới; level: cùng cấp và cấp dưới",
    )
    line_set.add_argument("--note", default="", help="căn cứ, ghi chú")
    line_set.add_argument(
        "--as", dest="as_user", metavar="TÊN_ĐĂNG_NHẬP", required=True, help="người thực hiện"
    )
    line_set.set_defaults(handler=cmd_line_set)
