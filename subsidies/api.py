"""API endpoints of subsidies, registered on jianxi_portal.core.api.router:

- `/api/v1/claims/` — list (filters: status, payment, region, year, q), detail with lines and
  their explanations, create (`{"period_from": "2026-03", "period_to": "2026-04"}`; city staff
  add `"unit"`), delete a never-submitted draft, and `POST …/{id}/submit|approve|reject|return|
  regenerate/` (`{"opinion": "…"}`);
- `/api/v1/disbursements/` — list (filters: year, date_from, date_to, funding_level, region, q),
  detail, create (city staff: `{"claim", "amount", "paid_on", "funding_level", "voucher_no"}`).

Every queryset is `visible_to(request.user)`: another unit's or region's claim is a 404. Rules live
in `subsidies.services`; errors come back as 400 `{field: [message]}`, 403 or 409."""

from datetime import date

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jianxi_portal.core.api import ReviewActionsMixin, ScopedMixin, get_scoped_or_404, router
from jianxi_portal.core.api_base import ProvisionalDeadlineField
from jianxi_portal.core.query import parse_query
from subsidies import selectors, services
from subsidies.forms import ClaimQuery, DisbursementQuery
from subsidies.models import Claim, ClaimLine, Disbursement
from units.models import Unit

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$", "example": "2026-03"})
class MonthField(serializers.Field):
    """ "2026-03" or "2026-03-01" in, "2026-03-01" out."""

    default_error_messages = {"invalid": "月份格式应为 YYYY-MM，收到“{value}”。"}

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            return date.fromisoformat(text if len(text) > 7 else f"{text}-01")
        except ValueError:
            self.fail("invalid", value=data)

    def to_representation(self, value):
        return value.isoformat()


class ClaimLineSerializer(serializers.ModelSerializer):
    trainee_name = serializers.CharField(source="placement.trainee.name", read_only=True)
    category = serializers.CharField(source="placement.category", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    insurance_problem = serializers.CharField(read_only=True)

    class Meta:
        model = ClaimLine
        fields = [
            "id",
            "placement",
            "trainee_name",
            "category",
            "kind",
            "kind_label",
            "month",
            "amount",
            "live",
            "explanation",
            "insurance_problem",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    payment_status = serializers.CharField(read_only=True)
    review_deadline_provisional = ProvisionalDeadlineField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "period_from",
            "period_to",
            "total",
            "approved_amount",
            "paid_total",
            "status",
            "payment_status",
            "submitted_at",
            "review_deadline",
            "review_deadline_provisional",
            "decided_at",
            "first_approved_on",
            "created_at",
        ]
        read_only_fields = fields


class ClaimDetailSerializer(ClaimSerializer):
    lines = ClaimLineSerializer(many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = ClaimSerializer.Meta.fields + ["lines"]
        read_only_fields = fields


class ClaimCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="城市经办人员代单位申领时填写；单位用户不填"
    )
    period_from = MonthField()
    period_to = MonthField(required=False)


CLAIM_FILTERS = [
    OpenApiParameter("status", str, enum=Claim.Status.values, description="审核状态"),
    OpenApiParameter("payment", str, enum=["unpaid", "partly_paid", "paid"], description="拨付情况（已通过的申领）"),
    OpenApiParameter("region", str, description="市（州）代码"),
    OpenApiParameter("year", int, description="申领月份所在年度"),
    OpenApiParameter("q", str, description="单位名称（包含）"),
]
DISBURSEMENT_FILTERS = [
    OpenApiParameter("year", int, description="拨付年度"),
    OpenApiParameter("date_from", str, description="拨付日期起（YYYY-MM-DD）"),
    OpenApiParameter("date_to", str, description="拨付日期止（YYYY-MM-DD）"),
    OpenApiParameter("funding_level", str, enum=Disbursement.FundingLevel.values, description="资金级次"),
    OpenApiParameter("region", str, description="市（州）代码"),
    OpenApiParameter("q", str, description="单位名称或凭证号（包含）"),
]


@extend_schema_view(list=extend_schema(parameters=CLAIM_FILTERS))
class ClaimViewSet(
    ScopedMixin, ReviewActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Subsidy claims (补贴申领), scoped: the employer's own unit, a city's region, all for the province."""

    queryset = Claim.objects.all()
    ordering_fields = ["created_at", "period_from", "review_deadline", "total", "id"]
    serializer_class = ClaimSerializer
    permission_classes = [permissions.IsAuthenticated]
    select_related = ("unit", "region")

    def get_queryset(self):
        if self.action == "list":
            return selectors.claims_for(self.request.user, parse_query(self.request, ClaimQuery))
        lines = ClaimLine.objects.select_related("placement__trainee").order_by("month", "kind", "placement_id")
        return super().get_queryset().prefetch_related(Prefetch("lines", queryset=lines))

    def get_serializer_class(self):
        return ClaimSerializer if self.action == "list" else ClaimDetailSerializer

    def _detail(self, pk, code=status.HTTP_200_OK):
        claim = self.get_queryset().get(pk=pk)
        return Response(ClaimDetailSerializer(claim, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimDetailSerializer})
    def create(self, request):
        data = ClaimCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit_id = request.user.unit_id if request.user.is_employer else values.get("unit")
        if unit_id is None:
            raise serializers.ValidationError({"unit": ["请指定申领单位。"]})
        unit_id = get_scoped_or_404(Unit.objects.visible_to(request.user), pk=unit_id).pk
        claim = services.claim_create(
            unit_id=unit_id,
            period_from=values["period_from"],
            period_to=values.get("period_to") or values["period_from"],
            by=request.user,
        )
        return self._detail(claim.pk, status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        claim = self.get_object()
        services.claim_delete(claim_id=claim.pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def review_act(self, pk, *, action, by, opinion):
        return services.CLAIM_ACTIONS[action](claim_id=pk, by=by, opinion=opinion)

    def review_response(self, pk):
        return self._detail(pk)

    @extend_schema(request=None, responses=ClaimDetailSerializer)
    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        claim = self.get_object()
        services.claim_regenerate(claim_id=claim.pk, by=request.user)
        return self._detail(claim.pk)


class DisbursementSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    unit_name = serializers.CharField(source="claim.unit.name", read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "claim",
            "unit_name",
            "region",
            "amount",
            "paid_on",
            "funding_level",
            "voucher_no",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class DisbursementCreateSerializer(serializers.Serializer):
    """Collects the values only: `disbursement_record` applies the rules and gives the messages."""

    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = serializers.CharField()
    paid_on = serializers.DateField()
    funding_level = serializers.CharField()
    voucher_no = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(parameters=DISBURSEMENT_FILTERS))
class DisbursementViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payments (拨付) against approved claims, scoped like their claims; city staff record them."""

    queryset = Disbursement.objects.all()
    ordering_fields = ["paid_on", "amount", "id"]
    serializer_class = DisbursementSerializer
    permission_classes = [permissions.IsAuthenticated]
    select_related = ("claim__unit", "region", "recorded_by")

    def get_queryset(self):
        if self.action == "list":
            return selectors.disbursements_for(self.request.user, parse_query(self.request, DisbursementQuery))
        return super().get_queryset()

    @extend_schema(request=DisbursementCreateSerializer, responses={201: DisbursementSerializer})
    def create(self, request):
        data = DisbursementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        claim = get_scoped_or_404(Claim.objects.visible_to(request.user), pk=values.pop("claim"))
        payment = services.disbursement_record(claim_id=claim.pk, by=request.user, **values)
        payment = self.get_queryset().get(pk=payment.pk)
        return Response(DisbursementSerializer(payment).data, status=status.HTTP_201_CREATED)


router.register("claims", ClaimViewSet, basename="claim")
router.register("disbursements", DisbursementViewSet, basename="disbursement")
