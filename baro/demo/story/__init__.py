"""The story of Directive 24-CT/TU, told through the real commands on the demo city.

`tell_story()` runs after the registry is built: the Secretary's directive, the People's
Committee's and the Finance Department's plans, and about thirty tasks living through every
state of the workflow over the last five months (see plots/), so that a new user finds
meaningful data on every screen. Scenes are played in time order on the story clock
(clock.py), each through one service command, so the ledger records them like real work.
"""

from __future__ import annotations

from dataclasses import dataclass

from baro.demo.story import cascade, oversight, plots
from baro.demo.story.clock import StoryClock
from baro.demo.story.stage import Stage, direct
from baro.oversight.models import Flag, Inspection, Urging

__all__ = ["StoryResult", "tell_story"]

# Every plot, played together in time order: the directive and its tasks, the cascade of
# 24-CT/TU down the tree, and Baro's worker, the urging letter and the inspection of the
# Finance Department's Director (the third clear).
PLOTS = [*plots.PLOTS, cascade.plot, *oversight.PLOTS]


@dataclass(frozen=True)
class StoryResult:
    directives: int
    tasks: int
    urgings: int = 0
    flags: int = 0
    inspections: int = 0

    @property
    def summary(self) -> str:
        return (
            f"Câu chuyện Chỉ thị 24-CT/TU: {self.directives} văn bản chỉ đạo, {self.tasks} nhiệm "
            "vụ ở mọi trạng thái (chờ tiếp nhận, đang thực hiện, quá hạn, chờ duyệt, trả lại, "
            "gia hạn, tranh chấp, hoàn thành, đã hủy); giám sát: "
            f"{self.urgings} lượt đôn đốc, {self.flags} dấu hiệu né tránh, đùn đẩy, "
            f"{self.inspections} cuộc kiểm tra có quyết định xử lý."
        )


def tell_story() -> StoryResult:
    """Play the 24-CT/TU story on the demo city (which must already be built)."""
    with StoryClock() as clock:
        stage = Stage(clock)
        direct(stage, PLOTS)
    return StoryResult(
        directives=len(stage.directives),
        tasks=len(stage.tasks),
        urgings=Urging.objects.count(),
        flags=Flag.objects.count(),
        inspections=Inspection.objects.filter(handling_decisions__isnull=False).distinct().count(),
    )
