"""`baro org …`: registry tools (import from a file, a sample template); `baro token issue`: an
API token without the web login.

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
    from baro.core.errors import DomainError, refusal_line
    from baro.core.run import run_command
    from baro.org.models import Unit
    from baro.org.services import org_import

    path = Path(args.file)
    if not path.is_file():
        message = _("Không tìm thấy tệp %(path)s.") % {"path": path}
        print(refusal_line("import.no_file", message), file=sys.stderr)
        return EXIT_ERROR
    actor = _actor(args.as_user)
    parent = None
    if args.parent:
        parent = Unit.objects.filter(code=args.parent).first()
        if parent is None:
            message = _("Không có đơn vị mã “%(code)s”.") % {"code": args.parent}
            print(refusal_line("org.unit_not_found", message), file=sys.stderr)
            return EXIT_ERROR
    try:
        result = run_command(
            org_import, actor=actor, data=path.read_bytes(), filename=path.name, parent=parent
        )
    except DomainError as exc:
        print(refusal_line(exc.code, exc.message), file=sys.stderr)
        for problem in exc.details.get("rows", []):
            row = _("dòng %(row)s, cột %(column)s: %(reason)s") % {
                "row": problem["row"],
                "column": problem["column"] or "—",
                "reason": problem["reason"],
            }
            print(f"  {row}", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"Đã nhập {result.units_created} đơn vị, {result.persons_created} cán bộ, "
        f"{result.positions_created} chức vụ từ {result.filename} (sổ cái #{result.event_seq})."
    )
    return 0


def _person(key: str) -> Any:
    """The person whose code or user name is `key`."""
    from django.db.models import Q

    from baro.core.errors import DomainError
    from baro.org.models import Person

    person = (
        Person.objects.filter(Q(code=key) | Q(user__username=key), is_system=False)
        .select_related("user")
        .first()
    )
    if person is None:
        raise DomainError(
            "org.unknown_person",
            _("Không có cán bộ nào có mã hoặc tên đăng nhập “%(key)s”.") % {"key": key},
            field="person",
        )
    return person


def cmd_token_issue(args: argparse.Namespace) -> int:
    """Issue an API token as `--as` (an administrator over the person, or the person
    themself) through the same command as the web page and the API; the secret goes to
    stdout alone, so that a script can read it, the rest to stderr."""
    import datetime as dt

    from django.utils import timezone

    from baro.core.errors import DomainError, refusal_line
    from baro.core.run import run_command
    from baro.org.services import api_token_issue

    try:
        actor = _actor(args.as_user)
        person = _person(args.person)
        expires_at = None
        if args.expires:
            try:
                day = dt.date.fromisoformat(args.expires)
            except ValueError:
                raise DomainError(
                    "org.invalid",
                    _("Ngày hết hạn “%(day)s” không đúng dạng YYYY-MM-DD.") % {"day": args.expires},
                    field="expires",
                ) from None
            expires_at = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
        token, raw = run_command(
            api_token_issue, actor=actor, person=person, name=args.name, expires_at=expires_at
        )
    except DomainError as exc:
        print(refusal_line(exc.code, exc.message), file=sys.stderr)
        return EXIT_ERROR
    until = (
        f"đến hết {timezone.localtime(token.expires_at):%d/%m/%Y}"
        if token.expires_at
        else "không tự hết hạn"
    )
    print(
        f"Đã cấp mã truy cập “{token.name}” ({token.prefix}…) cho {person.full_name} "
        f"({person.code}), {until}. Mã chỉ hiển thị một lần, dưới đây:",
        file=sys.stderr,
    )
    print(raw)
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


def register_token(sub: Any) -> None:
    token = sub.add_parser("token", help="mã truy cập API (token)")
    commands = token.add_subparsers(dest="token_command", metavar="LỆNH", required=True)
    issue = commands.add_parser(
        "issue", help="cấp mã truy cập API cho một cán bộ (không cần đăng nhập web)"
    )
    issue.add_argument(
        "--person", required=True, metavar="MÃ_HOẶC_TÊN", help="mã cán bộ hoặc tên đăng nhập"
    )
    issue.add_argument(
        "--as",
        dest="as_user",
        metavar="TÊN_ĐĂNG_NHẬP",
        required=True,
        help="người cấp: quản trị viên có quyền với cán bộ đó, hoặc chính cán bộ",
    )
    issue.add_argument("--name", default="Dòng lệnh", help="tên mã, để nhận ra dùng cho việc gì")
    issue.add_argument("--expires", metavar="YYYY-MM-DD", help="dùng được đến hết ngày này")
    issue.set_defaults(handler=cmd_token_issue)
