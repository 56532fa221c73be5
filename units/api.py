"""API of units (`/api/v1/units/`): scoped by role and region through `Unit.objects.visible_to`,
writes and transitions through `units.services` (review: submit/approve/reject/return;
清单管理: suspend/resume/revoke; the payee account: payee). The contact phone and the bank account
read in full only for the unit's employer and its city (each read audited), masked otherwise."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jianxi_portal.core.api import ReviewActionsMixin, ScopedMixin, router
from jianxi_portal.core.api_base import PersonalField, ProvisionalDeadlineField
from jianxi_portal.core.models import District, Region
from jianxi_portal.core.query import QueryFilterSet, region_filter
from jianxi_portal.core.review import review_history
from jianxi_portal.core.workflow import label_of
from units import services
from units.models import Unit
from units.workflows import LISTING


class UnitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    district_name = serializers.CharField(source="district.name", read_only=True)
    # Format, check digit and uniqueness are the service's rules (one message for page and API).
    credit_code = serializers.CharField(max_length=32)
    contact_phone = PersonalField(max_length=32)
    employee_count = serializers.IntegerField(required=False)
    bank_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    bank_account = PersonalField(max_length=40, required=False)
    review_deadline_provisional = ProvisionalDeadlineField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "credit_code",
            "unit_type",
            "industry",
            "region",
            "district",
            "district_name",
            "address",
            "contact_name",
            "contact_phone",
            "employee_count",
            "is_state_owned",
            "is_famous_manufacturer",
            "is_internet_major",
            "is_practice_base",
            "description",
            "bank_name",
            "bank_account",
            "status",
            "status_reason",
            "revoked_on",
            "submitted_at",
            "review_deadline",
            "review_deadline_provisional",
            "decided_at",
            "first_approved_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "status_reason",
            "revoked_on",
            "submitted_at",
            "review_deadline",
            "decided_at",
            "first_approved_on",
            "created_at",
            "updated_at",
        ]


class PublicUnitSerializer(serializers.ModelSerializer):
    """A unit as the public directory (见习单位目录) shows it to young people and visitors: what the
    page shows, no contact person, phone or payee account (PIPL: minimum necessary)."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "unit_type",
            "industry",
            "region",
            "district",
            "district_name",
            "address",
            "employee_count",
            "is_state_owned",
            "is_famous_manufacturer",
            "is_internet_major",
            "is_practice_base",
            "description",
            "status",
            "first_approved_on",
        ]
        read_only_fields = fields


class PayeeSerializer(serializers.Serializer):
    bank_name = serializers.CharField(max_length=100, allow_blank=True)
    bank_account = serializers.CharField(max_length=40, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewLogSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField(help_text="操作的中文名称（与页面一致）")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    by = serializers.CharField(source="by.username")
    at = serializers.DateTimeField()
    opinion = serializers.CharField()

    def get_action_label(self, log) -> str:
        return label_of(log.action, ContentType.objects.get_for_id(log.content_type_id).model_class())


class UnitFilterSet(QueryFilterSet):
    region = region_filter()

    class Meta:
        model = Unit
        fields = ["status", "industry", "unit_type"]


class UnitViewSet(
    ScopedMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """见习单位. City staff see their region's units, employers their own, the province all; anyone
    else the public directory. Another region's or unit's object is a 404."""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    select_related = ("region", "district")
    filterset_class = UnitFilterSet
    lookup_value_regex = r"[0-9]+"  # a non-numeric id is "not found", never a server error
    ordering_fields = ["name", "review_deadline", "first_approved_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    def get_serializer_class(self):
        user = self.request.user
        public = not getattr(self, "swagger_fake_view", False)  # the schema documents the working view
        if public and self.action in ("list", "retrieve") and (not user.is_authenticated or user.is_youth):
            return PublicUnitSerializer
        return UnitSerializer

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            unit_id=serializer.instance.pk, by=self.request.user, **serializer.validated_data
        )

    def _respond(self, unit):
        unit = self.get_queryset().get(pk=unit.pk)
        return Response(self.get_serializer(unit).data)

    def review_act(self, pk, *, action, by, opinion):
        if action == "submit":
            return services.unit_submit(unit_id=pk, by=by, opinion=opinion)
        return services.unit_decide(pk, action=action, by=by, opinion=opinion)

    @extend_schema(request=PayeeSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def payee(self, request, pk=None):
        """The payee account of the unit's subsidies, at any status but revoked."""
        body = PayeeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.unit_payee_update(unit_id=self.get_object().pk, by=request.user, **body.validated_data)
        )

    def _manage(self, request, name):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = services.UNIT_MANAGEMENT_SERVICES[name]
        return self._respond(
            service(unit_id=self.get_object().pk, by=request.user, reason=body.validated_data["reason"])
        )

    @extend_schema(request=ReasonSerializer, responses=UnitSerializer, summary=LISTING.label("suspend"))
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._manage(request, "suspend")

    @extend_schema(request=ReasonSerializer, responses=UnitSerializer, summary=LISTING.label("resume"))
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._manage(request, "resume")

    @extend_schema(request=ReasonSerializer, responses=UnitSerializer, summary=LISTING.label("revoke"))
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._manage(request, "revoke")

    @extend_schema(responses=ReviewLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        # Review opinions are internal: the public directory (young people) sees the unit, not them.
        user = request.user
        if not (user.is_authenticated and (user.is_city or user.is_employer or user.sees_all_regions)):
            raise Http404
        return Response(ReviewLogSerializer(review_history(self.get_object()), many=True).data)


router.register("units", UnitViewSet, basename="unit")
