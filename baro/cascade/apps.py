from __future__ import annotations

from django.apps import AppConfig


class CascadeConfig(AppConfig):
    name = "baro.cascade"
    label = "cascade"
    verbose_name = "Cụ thể hóa, triển khai, quán triệt văn bản chỉ đạo"

    def ready(self) -> None:
        from baro.cascade import panels
        from baro.cascade.carry import carry_open_plans, open_plan_items
        from baro.cascade.labels import ACTION_LABELS
        from baro.core.panels import contribute
        from baro.ledger.labels import register_labels
        from baro.org.succession import register_merge_handler

        register_labels(ACTION_LABELS)
        contribute("work.directive.actions", panels.directive_actions)
        register_merge_handler("cascade", carry_open_plans, open_items=open_plan_items)
