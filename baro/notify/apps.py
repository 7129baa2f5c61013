from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "baro.notify"
    label = "notify"
    verbose_name = "Thông báo: chuông, thư điện tử, webhook"
