from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "baro.org"
    label = "org"
    verbose_name = "Cơ cấu tổ chức"
