"""The home page of each role (工作台) and the public landing page. Every number is a `Figure` with the
link of the list it counts: the list's own filter gives the same number (tests check each one).
Charts are drawn here as plain geometry (bar heights and widths) for inline SVG and CSS bars: no
script, no CDN. Each builder runs a fixed number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core import review_queue
from jianxi_portal.core.models import Region
from jianxi_portal.core.workdays import Calendar
from outreach import followup
from outreach.charts import bar_chart
from outreach.columns import column_counts
from outreach.demonstration import RETAINED
from outreach.models import Article, Event
from outreach.recommend import posts_for_seeker
from outreach.seekers import profile_for
from positions.models import Post
from reports.indicators import Period as ReportPeriod
from reports.models import TIMELINESS_LABELS, MonthlyReport, timeliness
from reports.selectors import annex1_rows
from subsidies.models import Claim, Disbursement
from trainees.models import Application, Placement
from units.models import Unit

MONTHS_SHOWN = 12


@dataclass
class Figure:
    label: str
    value: int
    url: str
    note: str = ""


def _url(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# ---------------------------------------------------------------------------------------------
# Building blocks


def placement_months(user, today: date) -> dict:
    """Placements started and ended per month over the last 12 months (two grouped queries), with
    each month's link to the placement list filtered the same way, and SVG bar geometry."""
    months = _months_back(today, MONTHS_SHOWN)
    # The regions named (all of them for the province): the (region, date) covering indexes then
    # serve each region's range, and a count per month (a FILTER each, no date_trunc per row)
    # reads the index alone.
    scoped = Placement.objects.visible_to(user).filter(region_id__in=[r.pk for r in Region.objects.visible_to(user)])
    ends = months[1:] + [today + timedelta(days=1)]
    counts = {}
    for field in ("started_on", "ended_on"):
        per_month = {
            f"m{i}": Count("region_id", filter=Q(**{f"{field}__gte": first, f"{field}__lt": end}))
            for i, (first, end) in enumerate(zip(months, ends, strict=True))
        }
        row = scoped.filter(**{f"{field}__gte": months[0], f"{field}__lte": today}).aggregate(**per_month)
        counts[field] = {(first.year, first.month): row[f"m{i}"] for i, first in enumerate(months)}
    top = max([1] + [n for c in counts.values() for n in c.values()])
    series = []
    for i, first in enumerate(months):
        key, ym = (first.year, first.month), f"{first:%Y-%m}"
        started, ended = counts["started_on"].get(key, 0), counts["ended_on"].get(key, 0)
        series.append(
            {
                "label": f"{first.month}月",
                "ym": ym,
                "x": 40 + i * 50,
                "started": Figure("到岗", started, _url("trainees:placement_list", started=ym)),
                "ended": Figure("结束", ended, _url("trainees:placement_list", ended=ym)),
                "h_started": round(150 * started / top),
                "h_ended": round(150 * ended / top),
            }
        )
    for item in series:
        item["y_started"], item["y_ended"] = 170 - item["h_started"], 170 - item["h_ended"]
    chart = bar_chart(
        "近12个月到岗与结束见习人数",
        [m["label"] for m in series],
        [("到岗", [m["started"].value for m in series]), ("结束", [m["ended"].value for m in series])],
        unit="人",
    )
    return {"series": series, "top": top, "width": 40 + MONTHS_SHOWN * 50, "chart": chart}


def employer_months(user, today: date):
    """The unit's last 12 months: posts published, trainees on duty from, and subsidies paid to it
    (yuan), each per month (three grouped queries)."""
    months = _months_back(today, MONTHS_SHOWN)
    ends = months[1:] + [today + timedelta(days=1)]

    def per_month(queryset, field, value=None):
        aggregate = {
            f"m{i}": (
                Sum(value, filter=Q(**{f"{field}__gte": a, f"{field}__lt": b}))
                if value
                else Count("pk", filter=Q(**{f"{field}__gte": a, f"{field}__lt": b}))
            )
            for i, (a, b) in enumerate(zip(months, ends, strict=True))
        }
        row = queryset.filter(**{f"{field}__gte": months[0]}).aggregate(**aggregate)
        return [row[f"m{i}"] or 0 for i in range(len(months))]

    labels = [f"{m.month}月" for m in months]
    posts = per_month(Post.objects.visible_to(user), "published_on")
    started = per_month(Placement.objects.visible_to(user), "started_on")
    paid = per_month(Disbursement.objects.visible_to(user), "paid_on", "amount")
    return [
        bar_chart(
            "近12个月发布岗位与到岗人数", labels, [("发布岗位（个）", posts), ("到岗（人）", started)], unit="个/人"
        ),
        bar_chart("近12个月收到的见习补贴", labels, [("拨付金额（元）", paid)], unit="元", integer=False),
    ]


def retention_by_region(user, year: int) -> list[dict]:
    """Per region the user may see: placements ended in `year`, of them retained, and the rate,
    each linked to its records (one grouped query)."""
    regions = list(Region.objects.visible_to(user))
    # Counting region_id, not the id: the (region, ended_on) index holds all this reads.
    rows = (
        Placement.objects.visible_to(user)
        .filter(ended_on__year=year, region__in=regions)
        .values("region_id")
        .annotate(ended=Count("region_id"), retained=Count("region_id", filter=RETAINED))
        .order_by()
    )
    by_region = {r["region_id"]: r for r in rows}
    result = []
    for region in regions:
        row = by_region.get(region.pk, {"ended": 0, "retained": 0})
        rate = _pct(row["retained"], row["ended"])
        params = {"year": year, "region": region.code}
        result.append(
            {
                "region": region,
                "rate": rate,
                "bar": min(rate or 0, 100),
                "ended": Figure("结束", row["ended"], _url("outreach:figure_records", "ended", **params)),
                "retained": Figure("留用", row["retained"], _url("outreach:figure_records", "retained", **params)),
            }
        )
    return result


def quota_progress(user, year: int) -> list[dict]:
    """Annex 1 per region (five queries, `reports.selectors.annex1_rows`), linked to the Annex 1 page."""
    rows, _ = annex1_rows(year, Region.objects.visible_to(user))
    link = _url("annex1", year=year)
    return [
        {
            "row": r,
            "posts": Figure("岗位", r.posts_recruited, link),
            "trainees": Figure("人员", r.trainees_organised, link),
        }
        for r in rows
    ]


def review_figures(user, today: date) -> dict:
    """The review queue of the user's scope, counted (one grouped query, one for the calendar)."""
    totals = review_queue.queue_totals(user, today=today, calendar=Calendar())
    link = reverse("review_queue")
    return {
        "pending": Figure("待审核事项", totals["pending"], link),
        "overdue": Figure("已超期", totals["overdue"], link, "超过15个工作日未审核"),
        "due_soon": Figure("3个工作日内到期", totals["due_soon"], link),
    }


def report_figures(user, today: date) -> dict:
    """Last month's Annex 2 reports: how many regions have not submitted (province) or the city's
    own report with its due date (one query)."""
    period = ReportPeriod.reported_on(today)
    reports = MonthlyReport.objects.visible_to(user).for_period(period)
    if user.is_city:
        report = reports.filter(region_id=user.region_id).first()
        due = report.due_on if report else period.due_on()
        state = timeliness(due, report.first_submitted_at if report else None, today)
        return {
            "period": period,
            "due": due,
            "state": TIMELINESS_LABELS[state],
            "overdue": state == "overdue",
            "status": report.get_status_display() if report else "未生成",
            "url": reverse("annex2_report", args=[period.year, period.month, user.region.code]),
        }
    submitted = reports.filter(status__in=MonthlyReport.FROZEN).count()
    missing = Region.objects.count() - submitted
    link = _url("annex2_summary", year=period.year, month=period.month)
    return {"period": period, "due": period.due_on(), "missing": Figure("未上报的市（州）", missing, link)}


def followup_figure(user, today: date) -> Figure:
    due = followup.due_count(user, today=today)
    return Figure(f"{followup.CONTACT_DAYS}天内未联系的未留用人员", due, _url("outreach:followup_list", due=1))


# ---------------------------------------------------------------------------------------------
# Per role


def staff_dashboard(user, today: date) -> dict:
    """Province (all regions) and city (its own region): quotas, placements by month, retention,
    reviews, reports, follow-up and events."""
    context = {
        "year": today.year,
        "quota": quota_progress(user, today.year),
        "months": placement_months(user, today),
        "retention": retention_by_region(user, today.year),
        "reviews": review_figures(user, today),
        "reports": report_figures(user, today),
        "followup": followup_figure(user, today),
    }
    events = Event.objects.visible_to(user).filter(starts_on__gte=today).exclude(status=Event.Status.CANCELLED)
    context["events"] = Figure("即将举办的招聘活动", events.count(), _url("outreach:event_manage_list", upcoming=1))
    return context


def employer_dashboard(user, today: date) -> dict:
    posts = Post.objects.visible_to(user)
    claims = Claim.objects.visible_to(user).values("status").annotate(n=Count("pk")).order_by()
    by_status = {row["status"]: row["n"] for row in claims}
    ending = (
        Placement.objects.visible_to(user)
        .filter(status=Placement.Status.ON_DUTY, planned_end__year=today.year, planned_end__month=today.month)
        .count()
    )
    return {
        "posts_open": Figure(
            "已发布岗位",
            posts.filter(status=Post.Status.APPROVED).count(),
            _url("post_manage_list", status=Post.Status.APPROVED),
        ),
        "posts_review": Figure(
            "审核中的岗位",
            posts.filter(status=Post.Status.SUBMITTED).count(),
            _url("post_manage_list", status=Post.Status.SUBMITTED),
        ),
        "applications": Figure(
            "待处理的见习申请",
            Application.objects.visible_to(user).filter(status=Application.Status.PENDING).count(),
            _url("trainees:application_list", status=Application.Status.PENDING),
        ),
        "ending": Figure("本月期满的见习人员", ending, reverse("trainees:placement_current")),
        "claims": [
            Figure(label, by_status.get(value, 0), _url("claim_list", status=value))
            for value, label in Claim.Status.choices
        ],
        "open_posts": posts.published(today).order_by("-published_on", "-pk")[:10],
        "charts": employer_months(user, today),
    }


def youth_dashboard(user, today: date) -> dict:
    rows = Application.objects.visible_to(user).values("status").annotate(n=Count("pk")).order_by()
    by_status = {row["status"]: row["n"] for row in rows}
    profile = profile_for(user)
    statuses = Application.Status.choices
    return {
        "applications": [
            Figure(label, by_status.get(value, 0), _url("trainees:application_list", status=value))
            for value, label in statuses
        ],
        "chart": bar_chart(
            "我的申请（按状态）",
            [label for _, label in statuses],
            [("申请", [by_status.get(value, 0) for value, _ in statuses])],
            unit="个",
            height=260,
        ),
        "profile": profile,
        "recommended": posts_for_seeker(profile, limit=5, today=today) if profile else [],
        "upcoming_events": Event.objects.upcoming(today).select_related("region")[:3],
    }


def public_landing(today: date) -> dict:
    """The public home page: the plan's live counts, the special columns, the newest articles and
    upcoming events."""
    return {
        "posts_open": Figure("在招岗位", Post.objects.published(today).count(), reverse("post_list")),
        "units": Figure("见习单位", Unit.objects.listed().count(), reverse("unit_directory")),
        "placed": Figure(
            f"{today.year}年已到岗见习人员", Placement.objects.filter(started_on__year=today.year).count(), ""
        ),
        "columns": column_counts(),
        "articles": Article.objects.published().select_related("region")[:6],
        "upcoming_events": Event.objects.upcoming(today).select_related("region")[:4],
    }


def home_context(user, today: date | None = None) -> dict:
    """What the home page shows `user`: the role's dashboard (template name and data)."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return {"landing": public_landing(today)}
    if user.sees_all_regions or user.is_city:
        return {"dashboard": "outreach/dashboard_staff.html", "d": staff_dashboard(user, today)}
    if user.is_employer:
        return {"dashboard": "outreach/dashboard_employer.html", "d": employer_dashboard(user, today)}
    if user.is_youth:
        return {"dashboard": "outreach/dashboard_youth.html", "d": youth_dashboard(user, today)}
    return {}
