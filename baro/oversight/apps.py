from __future__ import annotations

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "baro.oversight"
    label = "oversight"
    verbose_name = "Đôn đốc, phát hiện né tránh, kiểm tra và xử lý người đứng đầu"

    def ready(self) -> None:
        from baro.core.panels import contribute
        from baro.ledger.labels import register_labels
        from baro.oversight import panels
        from baro.oversight.labels import ACTION_LABELS

        register_labels(ACTION_LABELS)
        contribute("work.directive.actions", panels.directive_actions)
        contribute("work.task.panels", panels.task_panel)
