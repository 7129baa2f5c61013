from __future__ import annotations

from django.apps import AppConfig


class CascadeConfig(AppConfig):
    name = "baro.cascade"
    label = "cascade"
    verbose_name = "Cụ thể hóa, triển khai, quán triệt văn bản chỉ đạo"

    def ready(self) -> None:
        from baro.cascade import panels
        from baro.cascade.labels import ACTION_LABELS
        from baro.core.panels import contribute
        from baro.ledger.labels import register_labels

        register_labels(ACTION_LABELS)
        contribute("work.directive.actions", panels.directive_actions)
