"""`baro org …`: registry tools (import from a file, a sample template).

`baro` builds its argument parser before Django is set up (the settings come from the
environment it prepares), so this module is imported before the apps are loaded: the models and
services are imported inside the handlers, which run after django.setup().
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

EXIT_ERROR = 1


def _actor(username: str) -> Any:
    from baro.core.errors import DomainError
    from baro.org.models import Person

    person = (
        Person.objects.select_related("user").filter(user__username=username).first()
        if username
        else None
    )
    if person is None:
        raise DomainError(
            "org.unknown_user",
            _("Không có cán bộ nào có tên đăng nhập “%(username)s”.") % {"username": username},
            field="as",
        )
    return person


def cmd_import(args: argparse.Namespace) -> int:
    from baro.core.errors import DomainError
    from baro.core.run import run_command
    from baro.org.models import Unit
    from baro.org.services import org_import

    path = Path(args.file)
    if not path.is_file():
        print(f"Lỗi [import.no_file]: Không tìm thấy tệp {path}.", file=sys.stderr)
        return EXIT_ERROR
    actor = _actor(args.as_user)
    parent = None
    if args.parent:
        parent = Unit.objects.filter(code=args.parent).first()
        if parent is None:
            print(f"Lỗi [org.unit_not_found]: Không có đơn vị mã “{args.parent}”.", file=sys.stderr)
            return EXIT_ERROR
    try:
        result = run_command(
            org_import, actor=actor, data=path.read_bytes(), filename=path.name, parent=parent
        )
    except DomainError as exc:
        print(f"Lỗi [{exc.code}]: {exc.message}", file=sys.stderr)
        for problem in exc.details.get("rows", []):
            print(
                f"  dòng {problem['row']}, cột {problem['column'] or '—'}: {problem['reason']}",
                file=sys.stderr,
            )
        return EXIT_ERROR
    print(
        f"Đã nhập {result.units_created} đơn vị, {result.persons_created} cán bộ, "
        f"{result.positions_created} chức vụ từ {result.filename} (sổ cái #{result.event_seq})."
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from baro.org.importer import write_template

    target = write_template(args.file)
    print(f"Đã tạo tệp mẫu {target}.")
    return 0


def register(sub: Any) -> None:
    org = sub.add_parser("org", help="cơ cấu tổ chức: nhập từ tệp, tệp mẫu")
    commands = org.add_subparsers(dest="org_command", metavar="LỆNH", required=True)

    imp = commands.add_parser("import", help="nhập đơn vị và cán bộ từ tệp .xlsx hoặc .csv")
    imp.add_argument("file", metavar="TỆP")
    imp.add_argument("--parent", metavar="MÃ", help="mã đơn vị cấp trên của các đơn vị gốc")
    imp.add_argument(
        "--as", dest="as_user", metavar="TÊN_ĐĂNG_NHẬP", required=True, help="người thực hiện"
    )
    imp.set_defaults(handler=cmd_import)

    template = commands.add_parser("template", help="tạo tệp .xlsx mẫu để nhập")
    template.add_argument("file", metavar="TỆP.xlsx")
    template.set_defaults(handler=cmd_template)
