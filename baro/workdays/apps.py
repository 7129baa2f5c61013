from __future__ import annotations

from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "baro.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"
