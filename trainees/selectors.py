"""Reads with meaning for the trainees pages, the Excel download and the API. Every one starts from
`visible_to(user)`; none queries per row."""

from collections import defaultdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from jianxi_portal.core import personal
from jianxi_portal.core.models import ReviewLog
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.validators import MOBILE_RE
from trainees.dates import month_bounds
from trainees.models import Application, Internship, Mentor, Placement, Trainee
from trainees.services.register import find_by_id_number
from units.models import Unit

LIST_RELATED = ("trainee", "unit", "post", "region", "mentor")


def placements_for(user):
    return Placement.objects.visible_to(user).select_related(*LIST_RELATED)


def _month(value: str) -> tuple[date, date]:
    year, month = (int(part) for part in value.split("-"))
    return month_bounds(year, month)


def placements_filtered(qs, filters: dict):
    """Apply the cleaned filters of `PlacementFilterForm` (status, unit, category, month started,
    month ended, filing, region, name)."""
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("started"):
        qs = qs.filter(started_on__range=_month(filters["started"]))
    if filters.get("ended"):
        qs = qs.filter(ended_on__range=_month(filters["ended"]))
    filing = filters.get("filing")
    if filing == "unfiled_on_duty":
        qs = qs.filter(status=Placement.Status.ON_DUTY).exclude(filing_status=ReviewStatus.APPROVED)
    elif filing:
        qs = qs.filter(filing_status=filing)
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    if filters.get("q"):
        qs = qs.filter(trainee__name__contains=filters["q"].strip())
    return qs


def units_for_filter(user):
    """Units the person may filter the placement list by (its own for an employer)."""
    return Unit.objects.visible_to(user).filter(placements__isnull=False).distinct().order_by("name").only("pk", "name")


def current_placements(user, today: date):
    """An employer's current trainees: planned or on duty, soonest planned end first."""
    return placements_for(user).filter(status__in=Placement.ACTIVE).order_by("planned_end", "pk")


def ends_in_month(placement: Placement, today: date) -> bool:
    return placement.status == Placement.Status.ON_DUTY and (
        placement.planned_end.year,
        placement.planned_end.month,
    ) == (today.year, today.month)


def events_by_object(objects) -> dict[int, list[ReviewLog]]:
    """The logged events (signing, start, end, outcome, filing decisions…) of several objects of
    one model in one query, oldest first."""
    objects = list(objects)
    if not objects:
        return {}
    ct = ContentType.objects.get_for_model(objects[0])
    rows = ReviewLog.objects.filter(content_type=ct, object_id__in=[o.pk for o in objects]).select_related("by")
    grouped = defaultdict(list)
    for row in rows.order_by("at", "pk"):
        grouped[row.object_id].append(row)
    return grouped


def trainee_placements(trainee: Trainee, user):
    return (
        Placement.objects.visible_to(user)
        .filter(trainee=trainee)
        .select_related("unit", "post", "region", "mentor")
        .prefetch_related("trainings")
        .order_by("signed_on", "pk")
    )


def applications_for(user):
    return Application.objects.visible_to(user).select_related("trainee", "post__unit", "placement")


def mentors_with_load(unit_id: int):
    """A unit's mentors with the number of active trainees each guides (one query)."""
    return (
        Mentor.objects.filter(unit_id=unit_id)
        .annotate(load=Count("placements", filter=Q(placements__status__in=Placement.ACTIVE)))
        .order_by("-active", "name")
    )


def internships_for(user):
    return Internship.objects.visible_to(user).select_related("trainee", "post", "unit", "placement")


def trainees_for(user, *, q: str = "", category: str = ""):
    """The trainee list: a search is a full ID number or a mobile number (matched through their
    keyed digests, never the plaintext), or else part of a name."""
    qs = Trainee.objects.visible_to(user).select_related("region")
    if q:
        q = q.strip()
        if len(q) == 18:
            found = find_by_id_number(q)
            qs = qs.filter(pk=found.pk) if found else qs.none()
        elif MOBILE_RE.match(q):
            qs = qs.filter(**personal.lookup(Trainee, "phone", q))  # through the keyed digest
        else:
            qs = qs.filter(name__contains=q)
    if category:
        qs = qs.filter(category=category)
    return qs
