from django.apps import AppConfig


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = "见习人员"

    def ready(self):
        from django.urls import reverse

        from jianxi_portal import review_queue
        from trainees.models import Placement

        # Placement filings (上报备案) wait in the city's review queue beside units, posts and claims.
        review_queue.register(
            review_queue.QueueSource(
                key="filing",
                label="见习协议备案",
                model=Placement,
                title=lambda p: f"{p.trainee.name} · {p.unit.name} · {p.post.title}",
                url=lambda p: reverse("trainees:placement_detail", args=[p.pk]),
                select_related=("region", "trainee", "unit", "post"),
            )
        )
