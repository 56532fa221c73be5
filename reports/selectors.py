"""Reads with meaning for reports. Annex 1 progress: quotas against what the records show."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from jianxi_portal.models import AnnualQuota, Region


@dataclass
class Annex1Row:
    region: Region | None
    quota_id: int | None
    post_quota: int
    posts_recruited: int
    trainee_quota: int
    trainees_organised: int

    @staticmethod
    def _pct(done: int, target: int) -> Decimal | None:
        if not target:
            return None
        return (Decimal(done) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def post_pct(self):
        return self._pct(self.posts_recruited, self.post_quota)

    @property
    def trainee_pct(self):
        return self._pct(self.trainees_organised, self.trainee_quota)

    @property
    def post_bar(self):
        return min(self.post_pct or 0, 100)

    @property
    def trainee_bar(self):
        return min(self.trainee_pct or 0, 100)


def annex1_rows(year: int, regions) -> tuple[list[Annex1Row], Annex1Row]:
    """Per region: the year's quotas, the slots of posts first approved in the year (posts
    recruited) and the placements started in the year (trainees organised); plus the province row,
    always the sum of the regions. Three queries whatever the data size."""
    from positions.models import Post
    from trainees.models import Placement

    regions = list(regions)
    ids = [r.pk for r in regions]
    quotas = {q.region_id: q for q in AnnualQuota.objects.filter(year=year, region_id__in=ids)}
    posts = dict(
        Post.objects.filter(first_approved_on__year=year, region_id__in=ids)
        .values_list("region_id").annotate(n=Sum("slots")).values_list("region_id", "n")
    )
    started = dict(
        Placement.objects.filter(started_on__year=year, region_id__in=ids)
        .values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n")
    )
    rows = []
    for region in regions:
        quota = quotas.get(region.pk)
        rows.append(Annex1Row(
            region=region, quota_id=quota.pk if quota else None,
            post_quota=quota.post_quota if quota else 0, posts_recruited=posts.get(region.pk) or 0,
            trainee_quota=quota.trainee_quota if quota else 0, trainees_organised=started.get(region.pk, 0),
        ))
    total = Annex1Row(
        region=None, quota_id=None,
        post_quota=sum(r.post_quota for r in rows), posts_recruited=sum(r.posts_recruited for r in rows),
        trainee_quota=sum(r.trainee_quota for r in rows), trainees_organised=sum(r.trainees_organised for r in rows),
    )
    return rows, total


def regions_visible_to(user):
    """Regions whose figures `user` may see: all for province and admin, its own for a city."""
    if user.sees_all_regions:
        return Region.objects.all()
    if user.is_city:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()
