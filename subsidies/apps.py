from importlib import import_module

from django.apps import AppConfig
from django.urls import reverse


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = "见习补贴"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): the app registry is loaded only now (models, services, signal receivers)
        from jianxi_portal.core import review_queue
        from subsidies import services
        from subsidies.models import Claim

        def decide(pk, *, action, by, opinion=""):
            # Approving fixes the approved amount; rejecting frees the placement-months.
            return services.CLAIM_ACTIONS[action](claim_id=pk, by=by, opinion=opinion)

        options = {}
        if "decide" in getattr(review_queue.QueueSource, "__dataclass_fields__", {}):
            options["decide"] = decide
        review_queue.register(
            review_queue.QueueSource(
                key="claim",
                label="补贴申领",
                model=Claim,
                title=lambda c: f"{c.unit.name} {c.period_label} 申领 {c.total} 元",
                url=lambda c: reverse("claim_detail", args=[c.pk]),
                select_related=("region", "unit"),
                **options,
            )
        )
