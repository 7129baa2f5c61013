from __future__ import annotations

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "baro.work"
    label = "work"
    verbose_name = "Văn bản chỉ đạo và nhiệm vụ"
