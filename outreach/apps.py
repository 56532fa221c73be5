from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "宣传推广与服务"

    def ready(self):
        from outreach import resources, signals  # noqa: F401  (the ranking export; matching indexes, pushes)
