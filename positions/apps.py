from importlib import import_module

from django.apps import AppConfig
from django.urls import reverse


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "见习岗位"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): the app registry is loaded only now (models, services, signal receivers)
        from jianxi_portal.core import review_queue
        from positions import unit_pages
        from positions.models import Post
        from positions.receivers import close_posts_of_revoked_unit
        from positions.services import post_decide
        from units.signals import unit_revoked

        review_queue.register(
            review_queue.QueueSource(
                key="post",
                label="见习岗位",
                model=Post,
                title=lambda post: f"{post.title}（{post.unit.name}）",
                url=lambda post: reverse("post_detail", args=[post.pk]),
                select_related=("region", "unit"),
                decide=post_decide,
            )
        )
        # A revoked unit's open posts close in the revocation's transaction (units.signals).
        unit_revoked.connect(close_posts_of_revoked_unit, dispatch_uid="positions_close_posts_of_revoked_unit")
        # A unit's pages list its posts; the directory counts its open ones (units.sections).
        unit_pages.register()
