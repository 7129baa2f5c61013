"""The oversight part of the demo story: Baro's worker watching the city, a leader's urging
letter, and the City Party Committee's inspectors handling what it found.

Three plots, played by the story's director in time order with every other scene:
- the worker's morning pass on every working day of the story's last months (the urging
  ladder, and the avoidance detectors on Mondays and every day of the last two weeks), at the
  moment a real worker would have run, so urgings and flags carry the dates they would have
  had;
- the Chairman's official urging letter to the departments and wards on their overdue tasks,
  and an urging by hand from the Vice-Chairman;
- the inspector (kiemtra) dismissing one sign of avoidance with a reason, confirming one on
  the Finance Department, inspecting its Director with the flag and the overdue tasks as
  evidence, and deciding a criticism (phê bình), which the Director sees on his record.

Everything goes through the oversight services, so the demo's ledger holds the same events a
real installation would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterator
from typing import TypeVar

from baro.core.timeutil import format_date
from baro.demo.story.stage import At, Stage
from baro.org.models import system_person
from baro.oversight import services
from baro.oversight.detectors import run_detectors
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import Flag, FlagStatus, HandlingMeasure
from baro.work.models import Task
from baro.workdays.calendar import is_working_day

# The worker starts watching this many days before today (the story's first tasks are older:
# the first pass gives them every step already due, as a newly started worker would).
WATCH_FROM = -120
# The inspector reviews the open signs each morning from this day on.
REVIEW_FROM = -12
FINANCE = "HN-STC"
CITY = "HN-UBND"
LETTER_TASKS = 8
LETTER_NUMBER = "2150/UBND-KT"
HANDLING_NUMBER = "37-QĐ/UBKTTU"


T = TypeVar("T")


def _overdue(stage: Stage, unit_code: str, day: dt.date) -> list[Task]:
    """Tasks under `unit_code` still in the lead's hands with a deadline before `day`."""
    unit = stage.unit(unit_code)
    return list(
        Task.objects.filter(
            lead_unit__path__startswith=unit.path,
            status__in=services.LADDER_STATUSES,
            deadline__lt=day,
        )
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )


def _first_day(
    first: int, hour: int, find: Callable[[int], T]
) -> Generator[At, None, tuple[int, T]]:
    """Scenes at `hour` on each day from `first` (days from today) to yesterday, until `find`
    returns something: (that day, what it found), else (yesterday, its last empty answer).
    After a long holiday the story's last weeks are short, so a plot waits for its cue."""

    days = first
    while True:
        yield At(days, hour, 0)
        found = find(days)
        if found or days >= -1:
            return days, found
        days += 1


def worker_plot(stage: Stage) -> Iterator[At]:
    """`baro worker` every working morning: the ladder each day, the detectors on Mondays and
    every day of the last two weeks (when the inspector reviews them)."""

    system = system_person()
    for days in range(WATCH_FROM, 0):
        day = stage.today + dt.timedelta(days=days)
        if not is_working_day(day):
            continue
        yield At(days, 6, 30)
        run_ladder(day, actor=system)
        if day.weekday() == 0 or days > REVIEW_FROM - 3:
            run_detectors(day, actor=system)


def letter_plot(stage: Stage) -> Iterator[At]:
    """The Chairman's urging letter to the departments and wards with overdue tasks, and an
    urging by hand from the Vice-Chairman on the oldest overdue task of a ward."""

    # The first afternoon from a week before today when the city has overdue tasks.
    days, tasks = yield from _first_day(
        -8, 15, lambda d: _overdue(stage, CITY, stage.day(d))[:LETTER_TASKS]
    )
    issued_on = stage.day(days)
    if tasks:
        chairman = stage.person("chutich")
        services.urging_letter_issue(
            actor=chairman,
            draft=services.LetterDraft(
                issuing_unit=stage.unit(CITY),
                number_symbol=LETTER_NUMBER,
                place="Hà Nội",
                issued_on=issued_on,
                subject="V/v đôn đốc thực hiện các nhiệm vụ quá hạn theo Chỉ thị số 24-CT/TU",
                opening=(
                    "Thực hiện Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy về nâng cao hiệu "
                    "quả thực thi công vụ theo phương châm “3 rõ”, qua theo dõi trên hệ thống "
                    "Baro, một số cơ quan, đơn vị còn nhiệm vụ đã quá hạn mà chưa hoàn thành, "
                    "cụ thể:"
                ),
                closing=(
                    "Chủ tịch UBND Thành phố yêu cầu Thủ trưởng các cơ quan, đơn vị nêu trên "
                    "khẩn trương chỉ đạo hoàn thành các nhiệm vụ; trường hợp không hoàn thành, "
                    "báo cáo rõ nguyên nhân, trách nhiệm của tập thể, cá nhân có liên quan."
                ),
                reply_by=stage.due(days + 7),
                signer=chairman,
                signer_mark="",
                signer_position="Chủ tịch",
                recipients=(
                    "- Như trên;\n- Thường trực Thành ủy (để b/c);\n"
                    "- Chủ tịch, các Phó Chủ tịch UBND Thành phố;\n- Lưu: VT, KT."
                ),
            ),
            tasks=tasks,
        )

    yield At(-4, 16, 30)
    wards = _overdue(stage, CITY, stage.day(-4))
    ward_tasks = [t for t in wards if not t.lead_unit.path.startswith(stage.unit(FINANCE).path)]
    if ward_tasks:
        services.task_urge(
            actor=stage.person("phochutich"),
            task=ward_tasks[0],
            note=(
                "Đề nghị đơn vị chủ trì báo cáo ngay tiến độ, khó khăn vướng mắc và thời điểm "
                f"hoàn thành; nhiệm vụ đã quá hạn từ {format_date(ward_tasks[0].deadline)}."
            ),
        )


def inspection_plot(stage: Stage) -> Iterator[At]:
    """The inspector dismisses a sign of avoidance elsewhere; reviewing the open signs each
    morning, confirms the first one on the Finance Department and the next day opens an
    inspection of its Director, then records findings and decides a criticism."""

    yield At(REVIEW_FROM, 9, 0)
    inspector = stage.person("kiemtra")
    finance = stage.unit(FINANCE)
    open_flags = Flag.objects.filter(status=FlagStatus.OPEN).select_related("unit")
    elsewhere = open_flags.exclude(unit__path__startswith=finance.path).order_by("pk").first()
    if elsewhere is not None:
        services.flag_decide(
            actor=inspector,
            flag=elsewhere,
            confirm=False,
            reason=(
                "Đơn vị đã giải trình bằng văn bản: chậm do chờ ý kiến thẩm định của cơ quan "
                "trung ương, không phải né tránh; tiếp tục theo dõi."
            ),
        )
    days, flag = yield from _first_day(
        REVIEW_FROM + 1,
        9,
        lambda _day: (
            open_flags.filter(unit__path__startswith=finance.path)
            .order_by("raised_at", "pk")
            .first()
        ),
    )
    if flag is not None:
        services.flag_decide(
            actor=inspector,
            flag=flag,
            confirm=True,
            reason=(
                "Đối chiếu sổ cái và hồ sơ: nhiệm vụ quá hạn, đã được đôn đốc nhiều lần nhưng "
                "đơn vị không báo cáo tiến độ, không đề nghị gia hạn."
            ),
        )

    days = min(days + 1, -1)
    yield At(days, 9, 30)
    director = stage.head(FINANCE)
    inspection = services.inspection_open(
        actor=inspector,
        target_unit=finance,
        target_person=director,
        title="Kiểm tra trách nhiệm người đứng đầu Sở Tài chính trong thực hiện Chỉ thị 24-CT/TU",
        period_from=stage.day(WATCH_FROM),
        period_to=stage.day(days),
    )
    if flag is not None:
        services.inspection_add_evidence(
            actor=inspector,
            inspection=inspection,
            flag=flag,
            note="Dấu hiệu đã được xác nhận.",
        )
    for task in _overdue(stage, FINANCE, stage.day(days))[:2]:
        services.inspection_add_evidence(
            actor=inspector,
            inspection=inspection,
            task=task,
            note=f"Nhiệm vụ quá hạn từ {format_date(task.deadline)}, chưa hoàn thành.",
        )

    yield At(min(days + 1, -1), 14, 0)
    services.inspection_record_findings(
        actor=inspector,
        inspection=inspection,
        findings=(
            "Sở Tài chính để nhiều nhiệm vụ theo Chỉ thị 24-CT/TU quá hạn; một số nhiệm vụ không "
            "cập nhật tiến độ trên hệ thống quá 10 ngày; Giám đốc Sở chưa kịp thời kiểm tra, "
            "đôn đốc, chưa báo cáo khó khăn để xin ý kiến chỉ đạo."
        ),
    )

    yield At(-1, 16, 0)
    services.inspection_conclude(
        actor=inspector,
        inspection=inspection,
        conclusion=(
            "Giám đốc Sở Tài chính chịu trách nhiệm người đứng đầu về việc để nhiệm vụ quá hạn "
            "kéo dài. Yêu cầu kiểm điểm, rút kinh nghiệm và hoàn thành các nhiệm vụ trong tháng."
        ),
    )
    services.handling_decide(
        actor=inspector,
        inspection=inspection,
        measure=HandlingMeasure.CRITICISM,
        document_number=HANDLING_NUMBER,
        document_date=stage.day(-1),
        reason=(
            "Thiếu kiểm tra, đôn đốc; để nhiệm vụ quá hạn kéo dài, không cập nhật tiến độ, "
            "sau khi đã có công văn đôn đốc của Chủ tịch UBND Thành phố."
        ),
        person=director,
    )


PLOTS = [worker_plot, letter_plot, inspection_plot]
