from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Excel/CSV import and export and the background jobs that run them (DESIGN.md: data exchange).
    The registers call it; it imports no register."""

    name = "exchange"
    verbose_name = "数据交换"
