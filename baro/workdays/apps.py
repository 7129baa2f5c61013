from __future__ import annotations

from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "baro.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from django.core.signals import request_started

        from baro.ledger.labels import register_labels
        from baro.workdays.calendar import recheck_soon
        from baro.workdays.labels import ACTION_LABELS

        register_labels(ACTION_LABELS)

        # Server processes each cache the calendar: a request sees other processes' changes.
        request_started.connect(recheck_soon, dispatch_uid="baro.workdays.recheck_soon")
