from __future__ import annotations

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "baro.work"
    label = "work"
    verbose_name = "Văn bản chỉ đạo và nhiệm vụ"

    def ready(self) -> None:
        from baro.ledger.labels import register_labels
        from baro.org.permissions import register_works_with
        from baro.org.succession import register_merge_handler
        from baro.work.labels import ACTION_LABELS
        from baro.work.permissions import units_worked_with
        from baro.work.services.carry import carry_open_work, open_work_items

        register_labels(ACTION_LABELS)
        register_merge_handler("work", carry_open_work, open_items=open_work_items)
        # The units of one's tasks: their public cards open to who works on them.
        register_works_with(units_worked_with)
