"""The one scoping rule: what a person may see, by role. Each model's QuerySet.visible_to(user)
calls `scope()` with the paths from the model to its region and unit, so no view or API filters
by hand. Another city's record is simply absent: a detail lookup answers 404."""

from django.db.models import Q, QuerySet


def scope(
    qs: QuerySet,
    user,
    *,
    region: str | None,
    unit: str | None = None,
    owner: str | None = None,
    public: Q | None = None,
) -> QuerySet:
    """Admin and province: everything. City: rows whose `region` path is the user's region.
    Employer: rows whose `unit` path is the user's unit. Youth: rows whose `owner` path is the user.
    Anyone else (and any role without a path): the `public` rows, or nothing."""
    if user is None or not user.is_authenticated:
        return qs.filter(public) if public is not None else qs.none()
    if user.sees_all_regions:
        return qs
    condition = None
    if user.is_city and region:
        condition = Q(**{region: user.region_id})
    elif user.is_employer and unit and user.unit_id:
        condition = Q(**{unit: user.unit_id})
    elif user.is_youth and owner:
        condition = Q(**{owner: user.pk})
    if public is not None:
        condition = public if condition is None else condition | public
    return qs.filter(condition) if condition is not None else qs.none()
