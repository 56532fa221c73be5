"""API endpoints of reports: viewsets registered on jianxi_portal.core.api.router.

    GET  /api/v1/reports/annex2/?year=&month=[&region=]   the month's rows (a city: its own region)
    GET  /api/v1/reports/annex2/{id}/                      one report
    POST /api/v1/reports/annex2/                           {year, month}: the city's draft (idempotent)
    POST /api/v1/reports/annex2/{id}/recompute|adjust|submit/   the city's actions
    POST /api/v1/reports/annex2/{id}/accept|return/        the province's decisions

Each row carries the values (the report's where one exists, frozen once submitted; else computed
now), the computed values, the city's adjustments with their notes, the status, the timeliness and
the messages of the form's validation rules."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jianxi_portal.core import personal
from jianxi_portal.core.api import OpinionSerializer, router
from jianxi_portal.core.models import Region
from jianxi_portal.core.query import parse_query
from reports import services
from reports.forms import PeriodQuery
from reports.indicators import NUMBERS, Period
from reports.models import TIMELINESS_LABELS, MonthlyReport
from reports.selectors import annex2_summary, normalise


class IsReportStaff(permissions.BasePermission):
    """City bureaus, the province and admins; employers and young people have no reports."""

    message = "只有市州经办、省级用户和系统管理员可以查看月报。"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_city or user.sees_all_regions))


class Annex2RowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="月报编号；尚未生成时为空")
    region = serializers.CharField(help_text="地区代码；全省合计为 province")
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    status = serializers.CharField(help_text="none | draft | submitted | accepted | returned")
    status_label = serializers.CharField()
    source = serializers.CharField(help_text="report（月报中的数值）或 computed（按当前记录实时计算）")
    due_on = serializers.DateField()
    timeliness = serializers.CharField(help_text="on_time | late | overdue | pending")
    timeliness_label = serializers.CharField()
    values = serializers.DictField(help_text="指标 1–14 的上报值；14 为万元，两位小数的字符串")
    computed = serializers.DictField(help_text="指标 1–14 的系统计算值")
    adjustments = serializers.ListField(child=serializers.DictField())
    valid = serializers.BooleanField()
    messages = serializers.ListField(child=serializers.CharField())
    reporter_name = serializers.CharField()
    reporter_phone = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    opinion = serializers.CharField()


class Annex2ListSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    rows = Annex2RowSerializer(many=True)
    total = Annex2RowSerializer(allow_null=True, help_text="全省合计（各地区之和）；仅在未按地区筛选时给出")


class PrepareSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class SubmitSerializer(serializers.Serializer):
    reporter_name = serializers.CharField(allow_blank=True)
    reporter_phone = serializers.CharField(allow_blank=True)


class AdjustSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=14)
    value = serializers.CharField(allow_blank=True, allow_null=True, help_text="空值表示取消调整")
    note = serializers.CharField(allow_blank=True, required=False, default="")


def _json_values(values: dict) -> dict:
    return {str(n): (str(v) if n == 14 else v) for n, v in values.items()}


def row_data(period: Period, row, user=None) -> dict:
    """A summary row (selectors.SummaryRow) as the API shows it to `user` (the reporter's phone in
    full only for the people `jianxi_portal.core.personal` names, each such read audited)."""
    report = row.report
    lines = report.lines_by_number() if report is not None else {}
    computed = {n: normalise(n, lines[n].computed) for n in NUMBERS} if lines else row.values
    return {
        "id": report.pk if report is not None else None,
        "region": row.region.code if row.region is not None else "province",
        "region_name": row.region.name if row.region is not None else "全省",
        "year": period.year,
        "month": period.month,
        "status": row.status if row.region is not None else "",
        "status_label": row.status_label if row.region is not None else "各地区之和",
        "source": "report" if lines else "computed",
        "due_on": row.due_on,
        "timeliness": row.timeliness,
        "timeliness_label": TIMELINESS_LABELS.get(row.timeliness, ""),
        "values": _json_values(row.values),
        "computed": _json_values(computed),
        "adjustments": [
            {
                "number": n,
                "computed": str(normalise(n, line.computed)),
                "reported": str(normalise(n, line.reported)),
                "note": line.note,
            }
            for n, line in lines.items()
            if line.reported is not None
        ],
        "valid": row.valid,
        "messages": row.messages,
        "reporter_name": report.reporter_name if report else "",
        "reporter_phone": personal.shown(user, report, "reporter_phone", via="api") if report else "",
        "submitted_at": report.submitted_at if report else None,
        "opinion": report.opinion if report else "",
    }


def _period_param(request) -> tuple[Period, str]:
    """The month asked for (absent: the month reported on today) and the region code."""
    default, query = Period.reported_on(timezone.localdate()), parse_query(request, PeriodQuery)
    return Period(query["year"] or default.year, query["month"] or default.month), query["region"]


class Annex2ViewSet(viewsets.ViewSet):
    """Annex 2 monthly reports (百万就业见习岗位募集计划工作情况汇总表), scoped: a city sees its
    own region only, the province and admins every region and the 全省 total."""

    permission_classes = [permissions.IsAuthenticated, IsReportStaff]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404 from the router, not a 500 from the query

    def _report(self, pk) -> MonthlyReport:
        report = MonthlyReport.objects.visible_to(self.request.user).filter(pk=pk).first()
        if report is None:
            raise Http404
        return report

    def _row(self, report: MonthlyReport) -> dict:
        rows, _ = annex2_summary(report.period, [report.region])
        return row_data(report.period, rows[0], self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="年份（默认上月所在年）"),
            OpenApiParameter("month", int, description="月份（默认上月）"),
            OpenApiParameter("region", str, description="地区代码（城市用户只能是本地区）"),
        ],
        responses=Annex2ListSerializer,
    )
    def list(self, request):
        period, code = _period_param(request)
        regions = Region.objects.visible_to(request.user)
        if code:
            regions = regions.filter(code=code)
        rows, total = annex2_summary(period, list(regions))
        show_total = request.user.sees_all_regions and not code
        return Response(
            {
                "year": period.year,
                "month": period.month,
                "rows": [row_data(period, r, request.user) for r in rows],
                "total": row_data(period, total, request.user) if show_total else None,
            }
        )

    @extend_schema(responses=Annex2RowSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._row(self._report(pk)))

    @extend_schema(request=PrepareSerializer, responses={201: Annex2RowSerializer})
    def create(self, request):
        """The city's report for a month that has ended, created as a draft if it does not exist."""
        data = _valid(PrepareSerializer, request)
        if not request.user.is_city:
            raise PermissionDenied("只有本市（州）经办人员可以编制月报。")
        report = services.report_prepare(
            region_id=request.user.region_id, period=Period(data["year"], data["month"]), by=request.user
        )
        return Response(self._row(report), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=Annex2RowSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request, pk=None):
        report = services.report_recompute(report_id=self._report(pk).pk, by=request.user)
        return Response(self._row(report))

    @extend_schema(request=AdjustSerializer, responses=Annex2RowSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        report = self._report(pk)
        data = _valid(AdjustSerializer, request)
        services.report_adjust(
            report_id=report.pk, number=data["number"], value=data["value"], note=data["note"], by=request.user
        )
        return Response(self._row(report))

    @extend_schema(request=SubmitSerializer, responses=Annex2RowSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = _valid(SubmitSerializer, request)
        report = services.report_submit(report_id=self._report(pk).pk, by=request.user, **data)
        return Response(self._row(report))

    @extend_schema(request=OpinionSerializer, responses=Annex2RowSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _valid(OpinionSerializer, request)
        report = services.report_accept(report_id=self._report(pk).pk, by=request.user, opinion=data["opinion"])
        return Response(self._row(report))

    @extend_schema(request=OpinionSerializer, responses=Annex2RowSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = _valid(OpinionSerializer, request)
        report = services.report_return(report_id=self._report(pk).pk, by=request.user, opinion=data["opinion"])
        return Response(self._row(report))


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


router.register("reports/annex2", Annex2ViewSet, basename="annex2")
