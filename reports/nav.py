"""Top-nav links and home cards of reports (see jianxi_portal.core.navigation). The Annex 1 link is
contributed by jianxi_portal.core.navigation."""

from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.models import Region
from reports.indicators import Period
from reports.models import TIMELINESS_LABELS, MonthlyReport, timeliness


def nav_items(user) -> list[tuple[str, str]]:
    if not (user.is_authenticated and (user.is_city or user.sees_all_regions)):
        return []
    if user.sees_all_regions:
        return [("月报汇总（附件2）", reverse("annex2_summary"))]
    period = Period.reported_on(timezone.localdate())
    return [("月报（附件2）", reverse("annex2_report", args=[period.year, period.month, user.region.code]))]


def home_cards(user) -> list[dict]:
    """The city: the state of last month's report. The province: how many regions have submitted."""
    if not (user.is_authenticated and (user.is_city or user.sees_all_regions)):
        return []

    period = Period.reported_on(timezone.localdate())
    reports = MonthlyReport.objects.visible_to(user).for_period(period)
    if user.is_city:
        report = reports.filter(region_id=user.region_id).first()
        due = report.due_on if report else period.due_on()
        state = timeliness(due, report.first_submitted_at if report else None)
        return [
            {
                "title": f"{period.label}月报",
                "value": report.get_status_display() if report else "未生成",
                "link": reverse("annex2_report", args=[period.year, period.month, user.region.code]),
                "note": f"报送期限 {due:%m月%d日} · {TIMELINESS_LABELS[state]}",
            }
        ]
    submitted = reports.filter(status__in=MonthlyReport.FROZEN).count()
    return [
        {
            "title": f"{period.label}月报已上报",
            "value": f"{submitted} / {Region.objects.count()}",
            "link": reverse("annex2_summary") + f"?year={period.year}&month={period.month}",
            "note": f"报送期限 {period.due_on():%m月%d日}",
        }
    ]
