from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "baro.ledger"
    label = "ledger"
    verbose_name = "Sổ cái"
