from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "baro.notify"
    label = "notify"
    verbose_name = "Thông báo: chuông, thư điện tử, webhook"

    def ready(self) -> None:
        from baro.ledger.labels import register_labels
        from baro.notify.labels import ACTION_LABELS

        register_labels(ACTION_LABELS)
