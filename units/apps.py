from importlib import import_module

from django.apps import AppConfig
from django.urls import reverse


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "见习单位"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): the app registry is loaded only now (models, services, signal receivers)
        from jianxi_portal.core import review_queue
        from units.models import Unit
        from units.services import unit_decide

        review_queue.register(
            review_queue.QueueSource(
                key="unit",
                label="见习单位",
                model=Unit,
                title=lambda unit: unit.name,
                url=lambda unit: reverse("unit_detail", args=[unit.pk]),
                decide=unit_decide,
            )
        )
