"""The API spine: pagination, the error format, the scoped viewset base, and the core endpoints
(`regions`, `quotas`). Apps register their viewsets on `router` in their own `api.py`."""

from abc import ABC, abstractmethod

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from jianxi_portal.core import services
from jianxi_portal.core.api_base import Pagination  # noqa: F401  (re-exported for apps)
from jianxi_portal.core.models import AllowanceFloorRule, AnnualQuota, Region, TraineeCategory
from jianxi_portal.core.query import QueryFilterSet, region_filter


class ScopedMixin:
    """Every queryset starts from `Model.objects.visible_to(request.user)`: another region's or
    unit's object is a 404, never a 403 that would confirm it exists."""

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user).select_related(*self.select_related)

    select_related: tuple = ()


class IsAdminRoleForWrites(permissions.BasePermission):
    message = "只有系统管理员可以修改。"

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "order"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 11 reporting regions; public reference data for every signed-in user."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    pagination_class = None


class QuotaSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AnnualQuota
        fields = ["id", "region", "year", "post_quota", "trainee_quota", "note"]
        read_only_fields = ["id", "region", "year"]
        extra_kwargs = {"note": {"help_text": "低于上一年度指标的说明（只增不减：低于上年时必填）"}}


class QuotaFilterSet(QueryFilterSet):
    region = region_filter()

    class Meta:
        model = AnnualQuota
        fields = ["year"]


class QuotaViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Annex 1 quotas per region and year. City staff see their own region; PATCH is for admins and
    goes through `services.quota_update` (history kept)."""

    queryset = AnnualQuota.objects.all()
    serializer_class = QuotaSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleForWrites]
    filterset_class = QuotaFilterSet
    ordering_fields = ["year", "region__order"]
    select_related = ("region",)
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "region__order")

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.instance = services.quota_update(
                quota_id=serializer.instance.pk, by=self.request.user, **serializer.validated_data
            )


class AllowanceFloorRuleSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AllowanceFloorRule
        fields = ["id", "region", "category", "ratio", "valid_from", "valid_to", "document", "created_at"]
        read_only_fields = fields


class AllowanceFloorRuleCreateSerializer(serializers.Serializer):
    """Collects the values only: `services.allowance_floor_rule_add` checks them and names the field."""

    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="市（州）代码；留空为全省（仅系统管理员）",
    )
    category = serializers.ChoiceField(
        choices=[("", "所有类别"), *TraineeCategory.choices], required=False, allow_blank=True, default=""
    )
    ratio = serializers.CharField(max_length=20, help_text="当地月最低工资标准的倍数，0—10，如 0.60")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class AllowanceFloorRuleViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The living-allowance floor rules (DESIGN.md, Subsidy rules): the province's and, for city
    staff, their region's. POST adds a version (admins; city staff for their own region)."""

    queryset = AllowanceFloorRule.objects.all()
    serializer_class = AllowanceFloorRuleSerializer
    select_related = ("region",)

    @extend_schema(request=AllowanceFloorRuleCreateSerializer, responses={201: AllowanceFloorRuleSerializer})
    def create(self, request, *args, **kwargs):
        data = AllowanceFloorRuleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region = values.pop("region", None)
        rule = services.allowance_floor_rule_add(by=request.user, region_id=region.pk if region else None, **values)
        return Response(AllowanceFloorRuleSerializer(rule).data, status=201)


# No `.json` suffix routes: the API speaks JSON only, and the viewsets' actions do not take the
# `format` argument those routes pass (they answered 500; SECURITY.md, item 1: the isolation matrix).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("regions", RegionViewSet, basename="region")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("allowance-floors", AllowanceFloorRuleViewSet, basename="allowance-floor")


def get_scoped_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="审核意见（不通过、退回时必填）；提交时为提交说明（可不填）。",
    )


class ReviewActionsMixin(ABC):
    """The review workflow's API, one copy for every reviewable kind (DESIGN.md's contract):
    `POST …/{id}/submit|approve|reject|return/` with an optional `opinion`, answered with the
    object as the viewset shows it. The object is looked up through the viewset's scoped queryset
    (another region's or unit's object is a 404); the viewset names its service in `review_act`,
    which checks the actor, the state and the opinion rule, and may override `review_response`."""

    @abstractmethod
    def review_act(self, pk: int, *, action: str, by, opinion: str):
        """Run the app's service for `action` on object `pk` (it raises to refuse)."""

    def review_response(self, pk: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    def _review(self, request, action: str) -> Response:
        obj = self.get_object()
        body = OpinionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.review_act(obj.pk, action=action, by=request.user, opinion=body.validated_data["opinion"])
        return self.review_response(obj.pk)

    @extend_schema(request=OpinionSerializer, summary="提交审核")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._review(request, "submit")

    @extend_schema(request=OpinionSerializer, summary="审核通过")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, "approve")

    @extend_schema(request=OpinionSerializer, summary="审核不通过")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._review(request, "reject")

    @extend_schema(request=OpinionSerializer, summary="退回修改")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._review(request, "return")
