"""Who may change the working-day calendar: the one question, asked by the commands, the pages
and the navigation alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person


def require_calendar_manage(actor: Person) -> Decision:
    """calendar.manage over some active root unit (or Baro's system actor), else AuthorityError."""
    decision = authority.check_over_a_root(actor, Power.CALENDAR_MANAGE)
    if decision:
        return decision
    raise AuthorityError(
        _(
            "%(actor)s không có quyền “%(power)s”: "
            "lịch làm việc áp dụng cho toàn hệ thống, chỉ quản trị viên của một đơn vị cấp cao "
            "nhất mới được điều chỉnh."
        )
        % {"actor": actor.full_name, "power": authority.power_label(Power.CALENDAR_MANAGE)},
        details={"power": Power.CALENDAR_MANAGE},
    )


def calendar_decision(person: Person) -> Decision:
    """calendar.manage as the calendar's commands decide it (over a root unit), as a Decision:
    the pages and the navigation ask this, so they never offer what the command would refuse."""
    try:
        return require_calendar_manage(person)
    except AuthorityError as error:
        return Decision(False, Power.CALENDAR_MANAGE, error.message)
