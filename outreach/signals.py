"""Side effects of other apps' saves that outreach needs, none of them a business rule: the
matching indexes (a registered person's profile, a published post's major keys) follow the
records they copy, and a post's approval queues its targeted push after the commit."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from jianxi_portal.core.models import ReviewLog
from outreach.seekers import post_index, seeker_refresh
from outreach.tasks import push_post
from positions.models import Post
from trainees.models import Trainee


@receiver(post_save, sender=Trainee, dispatch_uid="outreach.trainee_saved")
def trainee_saved(sender, instance: Trainee, raw=False, **kwargs):
    if raw or instance.user_id is None:
        return

    seeker_refresh(instance)


@receiver(post_save, sender=Post, dispatch_uid="outreach.post_saved")
def post_saved(sender, instance: Post, raw=False, **kwargs):
    if raw or instance.status != Post.Status.APPROVED or instance.published_on is None:
        return

    post_index(instance)


@receiver(post_save, sender=ReviewLog, dispatch_uid="outreach.post_approved")
def post_approved(sender, instance: ReviewLog, created=False, raw=False, **kwargs):
    """Every approval goes through `jianxi_portal.core.review`, which logs it: the push follows the log."""
    if raw or not created or instance.action != "approve":
        return
    if instance.content_type_id != ContentType.objects.get_for_model(Post).pk:
        return

    post_id = instance.object_id
    transaction.on_commit(lambda: push_post.delay(post_id))
