from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baro.core"
    label = "core"
    verbose_name = "Lõi"
