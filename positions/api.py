"""API of posts: `/api/v1/posts/` (scoped by role and region through `Post.objects.visible_to`;
writes and transitions through `positions.services`: submit/approve/reject/return/close) and
`/api/v1/public/posts/`, the public post list, read-only, no login, with the page's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jianxi_portal.core.api import Pagination, ReviewActionsMixin, ScopedMixin, router
from jianxi_portal.core.api_base import ProvisionalDeadlineField
from jianxi_portal.core.models import District
from jianxi_portal.core.pagination import CappedPaginator
from jianxi_portal.core.query import QueryFilterSet, parse_query, region_filter
from jianxi_portal.core.review import review_history
from positions import services
from positions.forms import PostQuery
from positions.models import Post
from positions.selectors import PostFilters, posts_public
from positions.workflows import CLOSING
from units.api import ReasonSerializer, ReviewLogSerializer
from units.models import Unit


class PostSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    district_name = serializers.CharField(source="district.name", read_only=True)
    # Ranges (slots ≥ 1, 3–12 months, the allowance floor) are the service's rules and messages.
    slots = serializers.IntegerField()
    duration_months = serializers.IntegerField()
    allowance = serializers.DecimalField(max_digits=12, decimal_places=2)
    closing_date = serializers.DateField(required=False, allow_null=True)
    review_deadline_provisional = ProvisionalDeadlineField()

    class Meta:
        model = Post
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "district",
            "district_name",
            "title",
            "category",
            "slots",
            "duration_months",
            "allowance",
            "majors",
            "education",
            "description",
            "also_internship",
            "status",
            "published_on",
            "closing_date",
            "closed_on",
            "close_reason",
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
            "published_on",
            "closed_on",
            "close_reason",
            "submitted_at",
            "review_deadline",
            "decided_at",
            "first_approved_on",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # A unit outside the user's scope is "not found", as everywhere else.
            fields["unit"].queryset = Unit.objects.visible_to(request.user)
        return fields


class PostFilterSet(QueryFilterSet):
    region = region_filter()

    class Meta:
        model = Post
        fields = ["status", "category", "unit"]


class PostViewSet(
    ScopedMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """见习岗位. City staff see their region's posts, employers their unit's, the province all; anyone
    else the published ones. Another region's or unit's object is a 404."""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    select_related = ("unit", "region", "district")
    filterset_class = PostFilterSet
    lookup_value_regex = r"[0-9]+"  # a non-numeric id is "not found", never a server error
    ordering_fields = ["published_on", "review_deadline", "closing_date", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        serializer.instance = services.post_create(by=self.request.user, unit_id=unit.pk if unit else None, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("unit", None)
        serializer.instance = services.post_update(post_id=serializer.instance.pk, by=self.request.user, **data)

    def _respond(self, post):
        return Response(self.get_serializer(self.get_queryset().get(pk=post.pk)).data)

    def review_act(self, pk, *, action, by, opinion):
        if action == "submit":
            return services.post_submit(post_id=pk, by=by, opinion=opinion)
        return services.post_decide(pk, action=action, by=by, opinion=opinion)

    @extend_schema(request=ReasonSerializer, responses=PostSerializer, summary=CLOSING.label("close"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        post = services.post_close(post_id=self.get_object().pk, by=request.user, reason=body.validated_data["reason"])
        return self._respond(post)

    @extend_schema(responses=ReviewLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response(ReviewLogSerializer(review_history(self.get_object()), many=True).data)


class PublicPostSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    district_name = serializers.CharField(source="district.name")
    industry = serializers.CharField(source="unit.industry")
    is_state_owned = serializers.BooleanField(source="unit.is_state_owned")
    is_famous_manufacturer = serializers.BooleanField(source="unit.is_famous_manufacturer")
    is_internet_major = serializers.BooleanField(source="unit.is_internet_major")
    is_practice_base = serializers.BooleanField(source="unit.is_practice_base")

    class Meta:
        model = Post
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "region_name",
            "district",
            "district_name",
            "title",
            "category",
            "slots",
            "duration_months",
            "allowance",
            "majors",
            "education",
            "description",
            "also_internship",
            "industry",
            "is_state_owned",
            "is_famous_manufacturer",
            "is_internet_major",
            "is_practice_base",
            "published_on",
            "closing_date",
        ]
        read_only_fields = fields


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="搜索：岗位名称、单位名称、专业"),
    OpenApiParameter("region", OpenApiTypes.STR, description="市（州）代码，如 changchun"),
    OpenApiParameter("category", OpenApiTypes.STR, description="岗位类别"),
    OpenApiParameter("industry", OpenApiTypes.STR, description="行业门类 A–T"),
    OpenApiParameter(
        "column", OpenApiTypes.STR, description="state_owned | famous_manufacturer | internet_major | practice_base"
    ),
    OpenApiParameter("education", OpenApiTypes.STR, description="学历要求"),
    OpenApiParameter("also_internship", OpenApiTypes.BOOL, description="同时为实习岗位"),
    OpenApiParameter(
        "sort", OpenApiTypes.STR, description="排序：省略为最新发布；allowance 生活补贴从高到低；closing 截止日期最近"
    ),
]


class PublicPostPagination(Pagination):
    """The page's count rule (jianxi_portal.core.pagination.CappedPaginator): `count` stops past the
    requested page and `count_capped` says when more posts match than `count`."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true：符合条件的岗位多于 count（只计数到 count 为止），下一页仍然存在",
        }
        return schema


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class PublicPostViewSet(viewsets.ReadOnlyModelViewSet):
    """见习岗位清单 (public, no login): published posts with the same search and filters as the page."""

    serializer_class = PublicPostSerializer
    pagination_class = PublicPostPagination
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = r"[0-9]+"  # a non-numeric id is "not found", never a server error
    filter_backends: list = []

    def get_queryset(self):
        return posts_public(PostFilters(**parse_query(self.request, PostQuery)))


router.register("posts", PostViewSet, basename="post")
router.register("public/posts", PublicPostViewSet, basename="public-post")
