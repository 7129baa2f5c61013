from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "baro.web"
    label = "web"
    verbose_name = "Giao diện"
