from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "见习岗位"

    def ready(self):
        from django.urls import reverse

        from jianxi_portal.core import review_queue
        from positions.models import Post
        from positions.services import post_decide

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
