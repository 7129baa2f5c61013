from __future__ import annotations

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "baro.org"
    label = "org"
    verbose_name = "Cơ cấu tổ chức"

    def ready(self) -> None:
        from baro.ledger.labels import register_labels
        from baro.org.labels import ACTION_LABELS

        register_labels(ACTION_LABELS)
