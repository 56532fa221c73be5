"""Reads with meaning for reports: Annex 1 progress (quotas against what the records show, with the
previous year for 只增不减) and the Annex 2 monthly indicators, their records and the province
summary. Every selector runs a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jianxi_portal.core.models import AnnualQuota, Region
from positions.models import Post
from reports import rules
from reports.indicators import INDICATORS, NUMBERS, SCANS, Period, indicator
from reports.models import TIMELINESS_LABELS, Annex1Baseline, MonthlyReport, timeliness
from trainees.models import Placement

# ---------------------------------------------------------------------------------------------
# Annex 1


@dataclass
class Annex1Row:
    region: Region | None
    quota_id: int | None
    post_quota: int
    posts_recruited: int
    trainee_quota: int
    trainees_organised: int
    # The previous year (只增不减): from the records, or an admin-entered baseline.
    prev_posts: int | None = None
    prev_trainees: int | None = None
    prev_from_baseline: bool = False
    from_baseline: bool = False
    # Why the quota is below the previous programme year's (只增不减), as the admin wrote it.
    quota_note: str = ""

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

    @property
    def post_delta(self) -> int | None:
        return None if self.prev_posts is None else self.posts_recruited - self.prev_posts

    @property
    def trainee_delta(self) -> int | None:
        return None if self.prev_trainees is None else self.trainees_organised - self.prev_trainees

    @property
    def posts_below_prev(self) -> bool:
        return self.post_delta is not None and self.post_delta < 0

    @property
    def trainees_below_prev(self) -> bool:
        return self.trainee_delta is not None and self.trainee_delta < 0

    @property
    def below_prev(self) -> bool:
        return self.posts_below_prev or self.trainees_below_prev


def _by_region_year(qs, date_field: str, measure, years: list[int]) -> dict[tuple[int, int], int]:
    """(region id, year) → the measure over the rows whose `date_field` falls in the year: one
    grouped query, a conditional aggregate per year (no EXTRACT per row), read in region order
    from the (region, date) covering indexes."""
    bounds = {y: (date(y, 1, 1), date(y, 12, 31)) for y in years}
    first, last = min(b[0] for b in bounds.values()), max(b[1] for b in bounds.values())
    per_year = {
        f"y{y}": measure(filter=Q(**{f"{date_field}__gte": lo, f"{date_field}__lte": hi}))
        for y, (lo, hi) in bounds.items()
    }
    rows = (
        qs.filter(**{f"{date_field}__gte": first, f"{date_field}__lte": last})
        .values("region_id")
        .annotate(**per_year)
        .order_by()
    )
    return {(r["region_id"], y): r[f"y{y}"] or 0 for r in rows for y in years}


def annex1_figures(years: list[int], region_ids: list[int]) -> dict[tuple[int, int], tuple[int, int, bool]]:
    """(region id, year) → (posts recruited, trainees organised, from a baseline) for `years`:
    the slots of posts first approved in the year and the placements started in it, unless an
    admin entered a baseline for that region and year. Three queries."""
    posts = _by_region_year(
        Post.objects.filter(region_id__in=region_ids), "first_approved_on", partial(Sum, "slots"), years
    )
    # Counting region_id (never null), not the id, which no index holds. A continuation after a
    # unit's change is not a new person organised (reports.indicators.NEW_PERSON).
    started = _by_region_year(
        Placement.objects.filter(region_id__in=region_ids, continues__isnull=True),
        "started_on",
        partial(Count, "region_id"),
        years,
    )
    baselines = {
        (b.region_id, b.year): b for b in Annex1Baseline.objects.filter(region_id__in=region_ids, year__in=years)
    }
    figures = {}
    for rid in region_ids:
        for year in years:
            base = baselines.get((rid, year))
            if base is not None:
                figures[rid, year] = (base.posts_recruited, base.trainees_organised, True)
            else:
                figures[rid, year] = (posts.get((rid, year), 0), started.get((rid, year), 0), False)
    return figures


def annex1_rows(year: int, regions) -> tuple[list[Annex1Row], Annex1Row]:
    """Per region: the year's quotas, the slots of posts first approved in the year (posts
    recruited), the placements started in the year (trainees organised) and the same figures of
    the previous year; plus the province row, always the sum of the regions. Five queries
    whatever the data size."""
    regions = list(regions)
    ids = [r.pk for r in regions]
    quotas = {q.region_id: q for q in AnnualQuota.objects.filter(year=year, region_id__in=ids)}
    figures = annex1_figures([year - 1, year], ids) if ids else {}
    rows = []
    for region in regions:
        quota = quotas.get(region.pk)
        posts, trainees, from_baseline = figures[region.pk, year]
        prev_posts, prev_trainees, prev_from_baseline = figures[region.pk, year - 1]
        rows.append(
            Annex1Row(
                region=region,
                quota_id=quota.pk if quota else None,
                post_quota=quota.post_quota if quota else 0,
                posts_recruited=posts,
                trainee_quota=quota.trainee_quota if quota else 0,
                trainees_organised=trainees,
                prev_posts=prev_posts,
                prev_trainees=prev_trainees,
                prev_from_baseline=prev_from_baseline,
                from_baseline=from_baseline,
                quota_note=quota.note if quota else "",
            )
        )
    return rows, annex1_total(rows)


def annex1_total(rows: list[Annex1Row]) -> Annex1Row:
    return Annex1Row(
        region=None,
        quota_id=None,
        post_quota=sum(r.post_quota for r in rows),
        posts_recruited=sum(r.posts_recruited for r in rows),
        trainee_quota=sum(r.trainee_quota for r in rows),
        trainees_organised=sum(r.trainees_organised for r in rows),
        prev_posts=sum(r.prev_posts or 0 for r in rows) if rows else None,
        prev_trainees=sum(r.prev_trainees or 0 for r in rows) if rows else None,
        prev_from_baseline=any(r.prev_from_baseline for r in rows),
        from_baseline=any(r.from_baseline for r in rows),
    )


def annex1_chart(rows: list[Annex1Row]) -> list[dict]:
    """Bar widths (percent of the largest figure on the page) for this year, last year and the
    quota of each region, posts and trainees on separate scales."""
    post_max = max([1] + [max(r.post_quota, r.posts_recruited, r.prev_posts or 0) for r in rows])
    trainee_max = max([1] + [max(r.trainee_quota, r.trainees_organised, r.prev_trainees or 0) for r in rows])

    def width(value, top):
        return (Decimal(value or 0) * 100 / top).quantize(Decimal("0.1"))

    return [
        {
            "row": r,
            "posts": width(r.posts_recruited, post_max),
            "prev_posts": width(r.prev_posts, post_max),
            "post_quota": width(r.post_quota, post_max),
            "trainees": width(r.trainees_organised, trainee_max),
            "prev_trainees": width(r.prev_trainees, trainee_max),
            "trainee_quota": width(r.trainee_quota, trainee_max),
        }
        for r in rows
    ]


# ---------------------------------------------------------------------------------------------
# Annex 2


def normalise(number: int, value) -> int | Decimal:
    """A stored value as the form shows it: whole numbers for 1–13, 万元 with two decimals for 14."""
    value = Decimal(value)
    if number == 14:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else value


@dataclass
class Annex2Row:
    """The 14 values of a region for a month (region None: the province total)."""

    region: Region | None
    values: dict[int, int | Decimal]

    @property
    def code(self) -> str:
        return self.region.code if self.region is not None else "province"

    @property
    def name(self) -> str:
        return self.region.name if self.region is not None else "全省"

    def as_list(self) -> list:
        return [self.values[n] for n in NUMBERS]

    def as_json(self) -> dict:
        """The row for machines: region code and name, then "1"…"14"; 14 a decimal string."""
        row = {"region": self.code, "name": self.name}
        row.update({str(n): (str(v) if n == 14 else v) for n, v in self.values.items()})
        return row


def annex2_queries(period: Period, region_ids: list[int]) -> list[tuple[object, dict]]:
    """One grouped queryset per scan, with the indicator of each of its aggregate columns."""
    queries = []
    for scan in SCANS if region_ids else ():
        parts = {
            f"i{ind.number}_{k}": (ind, part)
            for ind in INDICATORS
            for k, part in enumerate(ind.parts)
            if part.scan is scan
        }
        grouped = (
            scan.source.model.objects.filter(region_id__in=region_ids)
            .filter(scan.where(period))
            .values("region_id")
            .annotate(**{key: ind.aggregate(period, part) for key, (ind, part) in parts.items()})
            .order_by()
        )
        queries.append((grouped, {key: ind for key, (ind, _) in parts.items()}))
    return queries


def annex2_rows(year: int, month: int, regions) -> list[Annex2Row]:
    """The 14 indicators of DESIGN.md's Annex 2 table for each of `regions` in the month: one
    grouped query per scan (reports.indicators.SCANS: units, posts, five of placements,
    disbursements), each narrowed by one covering index and carrying a conditional aggregate
    per indicator part it counts, so eight queries whatever the number of records. An indicator
    counted in two scans (5, 13) is the sum of its disjoint parts."""
    period = Period(year, month)
    regions = list(regions)
    raw: dict[int, dict[int, object]] = {r.pk: {} for r in regions}
    for grouped, parts in annex2_queries(period, [r.pk for r in regions]):
        for row in grouped:
            values = raw[row["region_id"]]
            for key, ind in parts.items():
                if row[key] is not None:
                    values[ind.number] = values.get(ind.number, 0) + row[key]
    return [
        Annex2Row(region=r, values={i.number: i.from_db(raw[r.pk].get(i.number)) for i in INDICATORS}) for r in regions
    ]


def annex2_total(rows: list[Annex2Row]) -> Annex2Row:
    """The province row: always the sum of the region rows (DESIGN.md)."""
    return Annex2Row(
        region=None, values={n: sum((r.values[n] for r in rows), 0 if n != 14 else Decimal("0.00")) for n in NUMBERS}
    )


def indicator_records(number: int, period: Period, base):
    """The records behind indicator `number` in `period`: `base` (a scoped queryset of the
    indicator's source model, already narrowed to a region if wanted) filtered by the very `Q`
    the aggregate uses."""
    ind = indicator(number)
    return base.filter(ind.q(period)).select_related(*ind.source.select_related)


def indicator_value(number: int, period: Period, base) -> int | Decimal:
    """The indicator over `base`, measured the same way as the aggregate (count or sum)."""
    ind = indicator(number)
    qs = base.filter(ind.q(period))
    if ind.measure is None:
        return qs.count()
    return ind.from_db(qs.aggregate(total=Sum(ind.measure))["total"])


@dataclass
class SummaryRow:
    """A row of the province summary: the report's values where it exists (frozen once
    submitted), else the values computed now; its status, timeliness and rule messages."""

    region: Region | None
    values: dict[int, int | Decimal]
    report: MonthlyReport | None = None
    due_on: date | None = None
    timeliness: str = ""
    messages: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else "none"

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report is not None else "未生成"

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS_LABELS.get(self.timeliness, "")

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.is_frozen

    @property
    def valid(self) -> bool:
        return not self.messages

    def as_list(self) -> list:
        return [self.values[n] for n in NUMBERS]


def report_values(report: MonthlyReport) -> dict[int, int | Decimal]:
    return {n: normalise(n, v) for n, v in report.reported_values().items()}


def annex2_summary(period: Period, regions, today: date | None = None) -> tuple[list[SummaryRow], SummaryRow]:
    """The province summary of a month: per region the report (or the live computation where no
    report was generated yet), plus the 全省 row as the sum of the rows shown. At most eleven
    queries (reports, their lines, the eight aggregates, the calendar) whatever the data size;
    the aggregates only when some region has no complete report, and only for those regions."""
    today = today or timezone.localdate()
    regions = list(regions)
    reports = {
        r.region_id: r
        for r in MonthlyReport.objects.for_period(period).filter(region__in=regions).prefetch_related("lines")
    }

    def complete(report):
        return report is not None and len(report.lines.all()) == len(NUMBERS)

    missing = [region for region in regions if not complete(reports.get(region.pk))]
    live = {row.region.pk: row for row in annex2_rows(period.year, period.month, missing)}
    due = period.due_on()
    rows = []
    for region in regions:
        report = reports.get(region.pk)
        if complete(report):
            values, due_on = report_values(report), report.due_on
            stamp = report.first_submitted_at
        else:
            values, due_on, stamp = live[region.pk].values, due, None
        rows.append(
            SummaryRow(
                region=region,
                values=values,
                report=report,
                due_on=due_on,
                timeliness=timeliness(due_on, stamp, today),
                messages=rules.check(values),
            )
        )
    total_values = annex2_total([Annex2Row(r.region, r.values) for r in rows]).values
    total = SummaryRow(region=None, values=total_values, due_on=due, messages=rules.check(total_values))
    return rows, total
