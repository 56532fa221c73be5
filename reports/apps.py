from importlib import import_module

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计报表"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): the app registry is loaded only now (models, services, signal receivers)
        from jianxi_portal.core import deadlines
        from reports.services import report_due_dates_recompute

        # The Annex 2 due date moves with the calendar like the review deadlines (DESIGN.md).
        deadlines.register(report_due_dates_recompute)
