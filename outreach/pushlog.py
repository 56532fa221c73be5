"""The push log as people read it: each push of a post or an event with its recipient, kind,
reason, channel, when it was sent and opened, and what followed — whether the person applied (to
the post; for an event, through the event) or unsubscribed since. Always from
`PushLog.objects.visible_to(user)`."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from outreach.models import EventApplication, PushLog
from trainees.models import Application


def with_outcomes(qs: QuerySet) -> QuerySet:
    """Annotate `applied` and `unsubscribed` (both since the push was sent)."""
    applied_post = Application.objects.filter(
        trainee_id=OuterRef("profile__trainee_id"), post_id=OuterRef("post_id"), created_at__gte=OuterRef("sent_at")
    )
    applied_event = EventApplication.objects.filter(
        event_id=OuterRef("event_id"),
        application__trainee_id=OuterRef("profile__trainee_id"),
        created_at__gte=OuterRef("sent_at"),
    )
    return qs.annotate(
        applied=ExpressionWrapper(Q(Exists(applied_post)) | Q(Exists(applied_event)), output_field=BooleanField()),
        # "IS NOT NULL AND": someone who never unsubscribed is false, not SQL's unknown.
        unsubscribed=ExpressionWrapper(
            Q(profile__unsubscribed_at__isnull=False, profile__unsubscribed_at__gte=F("sent_at")),
            output_field=BooleanField(),
        ),
    )


def push_log(user, **target) -> QuerySet:
    """The pushes of one post (`post=`) or one event (`event=`) that `user` may see, newest first."""
    qs = PushLog.objects.visible_to(user).filter(**target)
    return with_outcomes(qs).select_related("profile__trainee", "by").order_by("-sent_at", "-pk")


@dataclass(frozen=True)
class Totals:
    sent: int
    opened: int
    applied: int
    unsubscribed: int
    by_kind: dict

    @property
    def open_rate(self) -> str:
        return f"{self.opened * 100 // self.sent}%" if self.sent else "—"


def totals(qs: QuerySet) -> Totals:
    """Counts of a push log (one grouped query and one count per outcome)."""
    kinds = dict(PushLog.Kind.choices)
    by_kind = {kinds[row["kind"]]: row["n"] for row in qs.order_by().values("kind").annotate(n=Count("pk"))}
    return Totals(
        sent=sum(by_kind.values()),
        opened=qs.filter(opened_at__isnull=False).count(),
        applied=qs.filter(applied=True).count(),
        unsubscribed=qs.filter(unsubscribed=True).count(),
        by_kind=by_kind,
    )


def invited_marks(post) -> dict[int, PushLog]:
    """Profile id → the push that told the person of `post` (an invitation or an automatic push),
    with `applied` annotated: the candidate list's marks for the employer."""
    qs = with_outcomes(PushLog.objects.filter(post=post))
    return {log.profile_id: log for log in qs}
