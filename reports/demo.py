"""Demo records for `make run`: last month's Annex 2 drafts for every region, 长春市's report
submitted and accepted, 吉林市's submitted and waiting for the province. Idempotent."""

from datetime import date

from django.core.exceptions import ValidationError

from jianxi_portal.core.models import User
from reports import services
from reports.indicators import Period
from reports.models import MonthlyReport


def load_demo(today: date) -> None:
    period = Period.reported_on(today)
    services.reports_generate(period=period)
    province = User.objects.filter(username="province").first()
    for code, accept in (("changchun", True), ("jilin", False)):
        city = User.objects.filter(username=f"city_{code}").first()
        report = MonthlyReport.objects.for_period(period).filter(region__code=code).first()
        if city is None or report is None or not report.is_editable:
            continue
        try:
            services.report_submit(
                report_id=report.pk,
                reporter_name=city.first_name or city.username,
                reporter_phone="0431-85611189",
                by=city,
            )
        except ValidationError:
            continue  # the demo records break a rule: leave the draft for the city to correct
        if accept and province is not None:
            services.report_accept(report_id=report.pk, by=province, opinion="数据无误，予以接收。")
