"""The one review workflow shared by units, posts, placement filings and subsidy claims.

    draft ──submit──▶ submitted ──approve──▶ approved
                         │  ├──reject───▶ rejected   (final; needs an opinion)
                         │  └──return───▶ returned   (needs an opinion) ──submit──▶ submitted

The city reviewer of the object's region must decide within 15 working days: the deadline is
`add_working_days(submission day, 15)` (DESIGN.md, Review workflow; the notice: 15个工作日内明确审核意见).
A model takes part by inheriting `Reviewable` (or declaring the same fields under its own names
through `review_field`) and implementing `review_region_id()` and `review_unit_id()`.

Every transition runs under a row lock (select_for_update), so of two reviewers deciding the same
item at once exactly one decision stands; the other gets `InvalidTransition`."""

from abc import abstractmethod
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.permissions import city_staff_of, employer_of, may
from jianxi_portal.core.workdays import add_working_days

REVIEW_WORKING_DAYS = 15


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    RETURNED = "returned", "已退回"


class InvalidTransition(Exception):
    """A transition that the workflow does not allow from the object's current status."""


# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ({ReviewStatus.DRAFT, ReviewStatus.RETURNED}, ReviewStatus.SUBMITTED),
    "approve": ({ReviewStatus.SUBMITTED}, ReviewStatus.APPROVED),
    "reject": ({ReviewStatus.SUBMITTED}, ReviewStatus.REJECTED),
    "return": ({ReviewStatus.SUBMITTED}, ReviewStatus.RETURNED),
}
ACTION_LABELS = {"submit": "提交", "approve": "通过", "reject": "不通过", "return": "退回"}
NEEDS_OPINION = {"reject", "return"}
DECISIONS = {"approve", "reject", "return"}


class Reviewable(models.Model):
    """Fields of an object under review. `status` may carry more states than the review ones
    (a unit can later be suspended or revoked, a post closed): those are the model's own."""

    review_field = "status"

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    review_deadline = models.DateField("审核期限", null=True, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    first_approved_on = models.DateField("首次通过日期", null=True, blank=True)

    class Meta:
        abstract = True

    # Hooks every concrete reviewable model defines (a system check, `check()` below, refuses a
    # model that forgets one, so they are never reached at run time).
    @abstractmethod
    def review_region_id(self) -> int:
        """The region whose city staff review this object."""

    @abstractmethod
    def review_unit_id(self) -> int | None:
        """The unit whose employers may submit it (None: not submitted by an employer)."""

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        for hook in ("review_region_id", "review_unit_id"):
            if getattr(getattr(cls, hook), "__isabstractmethod__", False):
                errors.append(checks.Error(f"{cls.__name__} must define {hook}()", obj=cls, id="jianxi.E001"))
        return errors

    @property
    def review_status(self) -> str:
        return getattr(self, self.review_field)

    @property
    def review_logs(self):
        return review_history(self)


def local_today() -> date:
    return timezone.localdate()


def review_deadline_for(submitted_on: date) -> date:
    return add_working_days(submitted_on, REVIEW_WORKING_DAYS)


# Who may submit and who may decide (ARCHITECTURE.md, "One home for each kind of rule"): every
# reviewable model's app declares `<app>.submit_<model>` as `submitter` and `<app>.review_<model>` as
# `reviewer` in its permissions.py; the workflow asks those permissions, never the roles by hand.
# Submit: the employer of the object's unit, or city staff of its region (offline channel).
submitter = employer_of("review_unit_id") | city_staff_of("review_region_id")
# Decide: only city staff of the object's region (DESIGN.md, Review workflow: city bureaus review their region).
reviewer = city_staff_of("review_region_id")


def review_perm(obj: Reviewable, action: str) -> str:
    """The permission an `action` on `obj` needs: `<app>.review_<model>` to decide, `<app>.submit_<model>`."""
    verb = "review" if action in DECISIONS else "submit"
    return f"{obj._meta.app_label}.{verb}_{obj._meta.model_name}"


def can_submit(user: User, obj: Reviewable) -> bool:
    return may(user, review_perm(obj, "submit"), obj)


def can_decide(user: User, obj: Reviewable) -> bool:
    return may(user, review_perm(obj, "approve"), obj)


def ensure_transition(obj: Reviewable, action: str) -> str:
    sources, target = TRANSITIONS[action]
    current = obj.review_status
    if current not in sources:
        label = dict(ReviewStatus.choices).get(current, current)
        raise InvalidTransition(f"当前状态为“{label}”，不能{ACTION_LABELS[action]}。")
    return target


@transaction.atomic
def review_transition(model: type[Reviewable], pk: int, *, action: str, by: User, opinion: str = "",
                      check=None) -> Reviewable:
    """Apply `action` to the object `pk` of `model` under a row lock, log it and return the object.

    `check(obj)` runs after the lock and before the change: the model's own preconditions (a post
    needs an approved unit, a claim line needs insurance); it raises ValidationError to refuse."""
    if action not in TRANSITIONS:
        raise InvalidTransition(f"未知操作：{action}")
    obj = model.objects.select_for_update().get(pk=pk)
    if not may(by, review_perm(obj, action), obj):
        audit("review.denied", user=by, obj=obj, result="denied", detail={"action": action})
        raise PermissionDenied("您无权对该事项执行此操作。")
    opinion = (opinion or "").strip()
    if action in NEEDS_OPINION and not opinion:
        raise ValidationError({"opinion": f"{ACTION_LABELS[action]}时必须填写审核意见。"})
    target = ensure_transition(obj, action)
    if check is not None:
        check(obj)
    return _apply(obj, action, target, by=by, opinion=opinion)


def _apply(obj: Reviewable, action: str, target: str, *, by: User, opinion: str) -> Reviewable:
    now = timezone.now()
    source = obj.review_status
    setattr(obj, obj.review_field, target)
    if action == "submit":
        obj.submitted_at = now
        obj.review_deadline = review_deadline_for(timezone.localdate(now))
        obj.decided_at = None
    else:
        obj.decided_at = now
    if action == "approve" and obj.first_approved_on is None:
        obj.first_approved_on = timezone.localdate(now)
    obj.save()
    log_transition(obj, action=action, from_status=source, to_status=target, by=by, opinion=opinion, at=now)
    return obj


def log_transition(obj, *, action: str, from_status: str, to_status: str, by: User, opinion: str = "", at=None):
    """Append one history row (and one audit row) for a status change of `obj`. Models with
    transitions of their own (suspend, revoke, close) call this too."""
    ReviewLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, action=action,
        from_status=from_status, to_status=to_status, by=by, opinion=opinion, at=at or timezone.now(),
    )
    audit(f"transition.{action}", user=by, obj=obj, detail={"from": from_status, "to": to_status})


def review_history(obj):
    ct = ContentType.objects.get_for_model(obj)
    return ReviewLog.objects.filter(content_type=ct, object_id=obj.pk).select_related("by")


def working_days_left(deadline: date | None, calendar=None, today: date | None = None) -> int | None:
    """Working days from today to the deadline (0 on the deadline day, negative when overdue)."""
    if deadline is None:
        return None
    from jianxi_portal.core.workdays import Calendar

    return (calendar or Calendar()).working_days_between(today or local_today(), deadline)
