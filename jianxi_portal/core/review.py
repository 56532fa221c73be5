"""The one review workflow shared by units, posts, placement filings and subsidy claims.

    draft ──submit──▶ submitted ──approve──▶ approved
                         │  ├──reject───▶ rejected   (final; needs an opinion)
                         │  └──return───▶ returned   (needs an opinion) ──submit──▶ submitted

The city reviewer of the object's region must decide within 15 working days: the deadline is
`add_working_days(submission day, 15)` (DESIGN.md, Review workflow; the notice: 15个工作日内明确审核意见).
A model takes part by inheriting `Reviewable` (or declaring the same fields under its own names
through `review_field`) and implementing `review_region_id()` and `review_unit_id()`.

The transitions are declared once (`REVIEW_TRANSITIONS`, on `jianxi_portal.core.workflow`); each
app binds them to its reviewable models in its `workflows.py` (`review_machine`).

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
from jianxi_portal.core.dates import local_today
from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.permissions import city_staff_of, employer_of, may
from jianxi_portal.core.workdays import Calendar, add_working_days
from jianxi_portal.core.workflow import (
    InvalidTransition,  # noqa: F401  (the services import it from here)
    Machine,
    machine_for,
    transition,
)

REVIEW_WORKING_DAYS = 15


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    RETURNED = "returned", "已退回"


# The review workflow, declared once (jianxi_portal.core.workflow) and bound to each reviewable model
# by its app's `workflows.py`: (action, from, to, label, opinion required).
REVIEW_TRANSITIONS = (
    ("submit", (ReviewStatus.DRAFT, ReviewStatus.RETURNED), ReviewStatus.SUBMITTED, "提交", False),
    ("approve", (ReviewStatus.SUBMITTED,), ReviewStatus.APPROVED, "通过", False),
    ("reject", (ReviewStatus.SUBMITTED,), ReviewStatus.REJECTED, "不通过", True),
    ("return", (ReviewStatus.SUBMITTED,), ReviewStatus.RETURNED, "退回", True),
)
DECISIONS = {"approve", "reject", "return"}
# The reviewer's choices as the decision form offers them (approve, reject, return).
DECISION_CHOICES = [(action, label) for action, _, _, label, _ in REVIEW_TRANSITIONS if action in DECISIONS]


def review_machine(model: str, *, field: str = "status", labels: dict[str, str] | None = None) -> Machine:
    """The review workflow of `model` (`app_label.model_name`) on its status `field`; `labels`
    renames actions where the model's own words differ (a placement's filing: 上报备案). Who may:
    `<app_label>.<action>_<model_name>` (e.g. `units.approve_unit`)."""
    app_label, model_name = model.split(".")
    labels = labels or {}
    statuses = dict(ReviewStatus.choices)
    return Machine(
        model,
        [
            transition(
                action,
                sources,
                target,
                labels.get(action, label),
                permission=f"{app_label}.{action}_{model_name}",
                opinion=opinion,
            )
            for action, sources, target, label, opinion in REVIEW_TRANSITIONS
        ],
        field=field,
        state=lambda obj: statuses.get(getattr(obj, field), getattr(obj, field)),
    )


def review_machine_of(model) -> Machine:
    return machine_for(model, model.review_field)


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
        if not cls._meta.abstract:
            try:
                review_machine_of(cls)
            except LookupError:
                errors.append(
                    checks.Error(
                        f"{cls.__name__} has no review machine: declare review_machine(...) in its app's workflows.py",
                        obj=cls,
                        id="jianxi.E002",
                    )
                )
        return errors

    @property
    def review_status(self) -> str:
        return getattr(self, self.review_field)

    @property
    def review_logs(self):
        return review_history(self)


def review_deadline_for(submitted_on: date) -> date:
    return add_working_days(submitted_on, REVIEW_WORKING_DAYS)


# Who may submit and who may decide (ARCHITECTURE.md, "One home for each kind of rule"): every
# reviewable model's app declares `<app>.submit_<model>` as `submitter` and `<app>.approve_<model>`,
# `reject_` and `return_` as `reviewer` in its permissions.py (the names `review_machine` gives its
# transitions); the workflow asks those permissions, never the roles by hand.
# Submit: the employer of the object's unit, or city staff of its region (offline channel).
submitter = employer_of("review_unit_id") | city_staff_of("review_region_id")
# Decide: only city staff of the object's region (DESIGN.md, Review workflow: city bureaus review their region).
reviewer = city_staff_of("review_region_id")


def review_perm(obj: Reviewable, action: str) -> str:
    """The permission the review `action` on `obj` needs (its machine's transition names it)."""
    return review_machine_of(type(obj))[action].permission


def can_submit(user: User, obj: Reviewable) -> bool:
    return may(user, review_perm(obj, "submit"), obj)


def can_decide(user: User, obj: Reviewable) -> bool:
    return may(user, review_perm(obj, "approve"), obj)


@transaction.atomic
def review_transition(
    model: type[Reviewable], pk: int, *, action: str, by: User, opinion: str = "", check=None
) -> Reviewable:
    """Apply `action` to the object `pk` of `model` under a row lock, log it and return the object.

    `check(obj)` runs after the lock and before the change: the model's own preconditions (a post
    needs an approved unit, a claim line needs insurance); it raises ValidationError to refuse."""
    machine = review_machine_of(model)
    step = machine[action]  # an unknown action is refused before the lock
    obj = model.objects.select_for_update().get(pk=pk)
    if not may(by, step.permission, obj):
        audit("review.denied", user=by, obj=obj, result="denied", detail={"action": action})
        raise PermissionDenied("您无权对该事项执行此操作。")
    opinion = (opinion or "").strip()
    if step.opinion_required and not opinion:
        raise ValidationError({"opinion": f"{step.label}时必须填写审核意见。"})
    machine.ensure(obj, action)
    if check is not None:
        check(obj)
    return _apply(obj, action, step.target, by=by, opinion=opinion)


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
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        opinion=opinion,
        at=at or timezone.now(),
    )
    audit(f"transition.{action}", user=by, obj=obj, detail={"from": from_status, "to": to_status})


def review_history(obj):
    ct = ContentType.objects.get_for_model(obj)
    return ReviewLog.objects.filter(content_type=ct, object_id=obj.pk).select_related("by")


def working_days_left(deadline: date | None, calendar=None, today: date | None = None) -> int | None:
    """Working days from today to the deadline (0 on the deadline day, negative when overdue)."""
    if deadline is None:
        return None

    return (calendar or Calendar()).working_days_between(today or local_today(), deadline)
