from importlib import import_module

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "宣传推广与服务"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): receivers and the export register once the app registry is ready
        from outreach import resources, signals  # noqa: F401  (the ranking export; matching indexes, pushes)
