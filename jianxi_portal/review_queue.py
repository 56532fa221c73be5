"""The review queue: every submitted item a reviewer must decide, from every reviewable kind
(units, posts, placement filings, claims), sorted by deadline with the working days left.

Each app registers its kind once (in its AppConfig.ready):

    review_queue.register(QueueSource(key="unit", label="见习单位", model=Unit,
                                      title=lambda u: u.name, url=lambda u: reverse(...)))

`pending_items(user)` runs one query per kind (scoped by `visible_to`) and one for the calendar,
whatever the number of items."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from jianxi_portal.review import ReviewStatus, local_today
from jianxi_portal.workdays import Calendar

DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class QueueSource:
    key: str
    label: str
    model: type
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    select_related: tuple = ("region",)
    region: Callable[[Any], Any] = field(default=lambda obj: obj.region)
    # The app's own decision service, `decide(pk, *, action, by, opinion) -> obj`, when a decision
    # does more than the transition (publish a post, notify); None: `review_transition` alone.
    decide: Callable[..., Any] | None = None


@dataclass
class QueueItem:
    source: QueueSource
    obj: Any
    deadline: date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_WORKING_DAYS

    @property
    def title(self) -> str:
        return self.source.title(self.obj)

    @property
    def url(self) -> str:
        return self.source.url(self.obj)

    @property
    def region(self):
        return self.source.region(self.obj)


SOURCES: dict[str, QueueSource] = {}


def register(source: QueueSource) -> None:
    SOURCES[source.key] = source


def get_source(key: str) -> QueueSource | None:
    return SOURCES.get(key)


def decide(source: QueueSource, pk: int, *, action: str, by, opinion: str = ""):
    """Approve, reject or return item `pk` of `source` through the app's service (or the plain
    workflow). The generic review pages call this; the service checks permission and state."""
    from jianxi_portal.review import DECISIONS, InvalidTransition, review_transition

    if action not in DECISIONS:
        raise InvalidTransition(f"未知审核操作：{action}")
    if source.decide is not None:
        return source.decide(pk, action=action, by=by, opinion=opinion)
    return review_transition(source.model, pk, action=action, by=by, opinion=opinion)


def submitted(source: QueueSource, user):
    review_field = getattr(source.model, "review_field", "status")
    return (
        source.model.objects.visible_to(user)
        .filter(**{review_field: ReviewStatus.SUBMITTED})
        .select_related(*source.select_related)
        .order_by("review_deadline", "pk")
    )


def pending_items(user, *, kinds=None, today: date | None = None, calendar: Calendar | None = None) -> list[QueueItem]:
    """Submitted items `user` may see, of the registered kinds (or `kinds`), soonest deadline first."""
    today = today or local_today()
    calendar = calendar or Calendar()
    items = []
    for key, source in SOURCES.items():
        if kinds and key not in kinds:
            continue
        for obj in submitted(source, user):
            left = calendar.working_days_between(today, obj.review_deadline) if obj.review_deadline else None
            items.append(QueueItem(source, obj, obj.review_deadline, left))
    items.sort(key=lambda i: (i.deadline or date.max, i.source.key, i.obj.pk))
    return items
