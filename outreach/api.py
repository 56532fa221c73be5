"""API of outreach, scoped like the rest (each queryset from `Model.objects.visible_to(user)`; another
region's or unit's object is a 404) and writing through the outreach services:

- `/api/v1/events/`: recruitment events with their figures; a city creates, changes, publishes,
  cancels them and adds posts; a young person signs up and checks in with the event's code.
- `/api/v1/articles/`: the service zone's articles; cities and the province write and publish.
- `/api/v1/follow-ups/`: the city's follow-up contacts (跟踪帮扶) with people not retained.
- `/api/v1/pushes/`: the push log (recipient, kind, reason, channel, opened, applied, unsubscribed).
- `/api/v1/nominations/`: demonstration-unit nominations; the province nominates and withdraws."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jianxi_portal.core.api import ScopedMixin, router
from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import may
from outreach import articles, demonstration, events, followup, pushlog
from outreach.models import Article, Event, EventSignup, FollowUpContact, Nomination, PushLog
from trainees.models import Placement

NUMERIC = r"[0-9]+"  # a non-numeric id is "not found", never a server error


# ---------------------------------------------------------------------------------------------
# Events


class EventFiguresSerializer(serializers.Serializer):
    posts = serializers.IntegerField(help_text="参会岗位数")
    confirmed = serializers.IntegerField(help_text="单位已确认参会的岗位数")
    slots = serializers.IntegerField(help_text="参会岗位的岗位数之和")
    signed_up = serializers.IntegerField(help_text="报名人数（不含取消）")
    attended = serializers.IntegerField(help_text="签到人数")
    applications = serializers.IntegerField(help_text="通过活动的申请（人次）")
    applied = serializers.IntegerField(help_text="通过活动申请的人数")
    accepted = serializers.IntegerField(help_text="其中录用")
    placed = serializers.IntegerField(help_text="其中上岗（签订见习协议且未取消）")


class EventSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    posts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    figures = serializers.SerializerMethodField()
    checkin_code = serializers.SerializerMethodField(help_text="现场签到码（仅活动所在市（州）可见）")

    class Meta:
        model = Event
        fields = [
            "id",
            "region",
            "title",
            "kind",
            "starts_on",
            "start_time",
            "end_time",
            "place",
            "live_url",
            "description",
            "status",
            "cancelled_at",
            "posts",
            "figures",
            "checkin_code",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "cancelled_at", "created_at", "updated_at"]

    @extend_schema_field(EventFiguresSerializer)
    def get_figures(self, event):
        return events.event_figures([event])[event.pk]

    def get_checkin_code(self, event) -> str:
        user = getattr(self.context.get("request"), "user", None)
        return event.checkin_code if may(user, "outreach.checkin_event", event) else ""


class EventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="取消原因（通知报名人员）"
    )


class EventPostSerializer(serializers.Serializer):
    post = serializers.IntegerField(help_text="本市（州）已发布岗位的 id")


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, help_text="活动现场公布的签到码")


class SignupSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSignup
        fields = ["id", "event", "created_at", "cancelled_at", "checked_in_at", "check_in"]
        read_only_fields = fields


class EventViewSet(
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """招聘活动. City staff see their region's events (drafts included; another city's are not found, as
    on the management pages), the province all, everyone else the published and cancelled ones. A city
    writes its own region's events."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    select_related = ("region",)
    filterset_fields = ["status", "kind"]
    ordering_fields = ["starts_on", "id"]
    lookup_value_regex = NUMERIC
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("posts").order_by("-starts_on", "-pk")

    def perform_create(self, serializer):
        serializer.instance = events.event_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = events.event_update(
            event_id=serializer.instance.pk, by=self.request.user, **serializer.validated_data
        )

    def _respond(self, event_id: int, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=event_id)).data, status=code)

    @extend_schema(request=None, responses=EventSerializer, summary="发布活动（通知专业相符的青年）")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(events.event_publish(event_id=self.get_object().pk, by=request.user).pk)

    @extend_schema(
        request=EventCancelSerializer, responses=EventSerializer, summary="取消活动（通知报名人员和参会单位）"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = EventCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = events.event_cancel(
            event_id=self.get_object().pk, by=request.user, reason=body.validated_data.get("reason", "")
        )
        return self._respond(event.pk)

    @extend_schema(request=EventPostSerializer, responses=EventSerializer, summary="添加参会岗位（通知岗位所属单位）")
    @action(detail=True, methods=["post"], url_path="posts")
    def add_post(self, request, pk=None):
        body = EventPostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = self.get_object()
        events.event_post_add(event_id=event.pk, post_id=body.validated_data["post"], by=request.user)
        return self._respond(event.pk)

    @extend_schema(request=None, responses={201: SignupSerializer}, summary="报名（青年）")
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        signup = events.event_signup(event_id=self.get_object().pk, by=request.user)
        return Response(SignupSerializer(signup).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInSerializer, responses=SignupSerializer, summary="凭签到码签到（青年，活动当天）")
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signup = events.event_check_in_by_code(
            event_id=self.get_object().pk, code=body.validated_data["code"], by=request.user
        )
        return Response(SignupSerializer(signup).data)


# ---------------------------------------------------------------------------------------------
# Articles


class ArticleSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="市（州）代码；留空表示全省（市州人员总是本地区）",
    )
    author = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "kind",
            "title",
            "summary",
            "body",
            "region",
            "status",
            "published_at",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_at", "author", "created_at", "updated_at"]


class ArticleViewSet(
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """服务专区文章. City staff see and write their region's articles, the province all (and writes
    province-wide ones); everyone else reads the published ones. The body is sanitised on save."""

    queryset = Article.objects.all()
    serializer_class = ArticleSerializer
    select_related = ("region", "author")
    filterset_fields = ["kind", "status"]
    ordering_fields = ["published_at", "id"]
    lookup_value_regex = NUMERIC
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")

    def perform_create(self, serializer):
        serializer.instance = articles.article_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = articles.article_update(
            article_id=serializer.instance.pk, by=self.request.user, **serializer.validated_data
        )

    def _respond(self, article_id: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=article_id)).data)

    @extend_schema(request=None, responses=ArticleSerializer, summary="发布")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(articles.article_publish(article_id=self.get_object().pk, by=request.user).pk)

    @extend_schema(request=None, responses=ArticleSerializer, summary="撤回为草稿")
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._respond(articles.article_unpublish(article_id=self.get_object().pk, by=request.user).pk)


# ---------------------------------------------------------------------------------------------
# Follow-up contacts


class FollowUpSerializer(serializers.ModelSerializer):
    trainee_name = serializers.CharField(source="placement.trainee.name", read_only=True)
    region = serializers.CharField(source="placement.region.code", read_only=True)
    by = serializers.CharField(source="by.get_full_name", read_only=True)

    class Meta:
        model = FollowUpContact
        fields = [
            "id",
            "placement",
            "trainee_name",
            "region",
            "contacted_on",
            "method",
            "outcome",
            "outcome_on",
            "note",
            "by",
            "created_at",
        ]
        read_only_fields = ["trainee_name", "region", "by", "created_at"]
        extra_kwargs = {"placement": {"queryset": Placement.objects.none()}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only a placement on the user's own follow-up list; any other is "not found".
            fields["placement"].queryset = followup.follow_up_cases(request.user)
        return fields


class FollowUpViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """跟踪帮扶记录: contacts of city staff with people whose placement ended without retention. A city
    sees and records its region's, the province reads all."""

    queryset = FollowUpContact.objects.all()
    serializer_class = FollowUpSerializer
    select_related = ("placement__trainee", "placement__region", "by")
    filterset_fields = ["outcome", "method", "placement"]
    ordering_fields = ["contacted_on", "id"]
    lookup_value_regex = NUMERIC

    def get_queryset(self):
        return super().get_queryset().order_by("-contacted_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        placement = data.pop("placement")
        serializer.instance = followup.contact_record(placement_id=placement.pk, by=self.request.user, **data)


# ---------------------------------------------------------------------------------------------
# Push log


class PushSerializer(serializers.ModelSerializer):
    recipient = serializers.CharField(source="profile.trainee.name", read_only=True)
    major = serializers.CharField(source="profile.major", read_only=True)
    applied = serializers.BooleanField(read_only=True, help_text="推送后本人已申请该岗位（活动：通过该活动申请）")
    unsubscribed = serializers.BooleanField(read_only=True, help_text="推送后本人已退订")
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = PushLog
        fields = [
            "id",
            "kind",
            "post",
            "event",
            "recipient",
            "major",
            "reason",
            "score",
            "channel",
            "sent_at",
            "opened_at",
            "applied",
            "unsubscribed",
            "by",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("post", int, description="岗位 id"),
            OpenApiParameter("event", int, description="招聘活动 id"),
            OpenApiParameter("kind", str, description="match | invite | hand | event | digest"),
        ]
    )
)
class PushViewSet(viewsets.ReadOnlyModelViewSet):
    """推送记录: each push of a post or event with its recipient and what followed. A city sees the
    pushes of its region's posts and events, the province all, an employer its unit's posts' pushes
    to people who let employers see them, a young person their own."""

    serializer_class = PushSerializer
    lookup_value_regex = NUMERIC
    filter_backends: list = []

    def get_queryset(self):
        qs = PushLog.objects.visible_to(self.request.user)
        params = self.request.query_params
        for name in ("post", "event"):
            raw = params.get(name, "")
            if raw.isdigit():
                qs = qs.filter(**{f"{name}_id": int(raw)})
        if params.get("kind") in PushLog.Kind.values:
            qs = qs.filter(kind=params["kind"])
        return pushlog.with_outcomes(qs).select_related("profile__trainee", "by").order_by("-sent_at", "-pk")


# ---------------------------------------------------------------------------------------------
# Nominations


class NominationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "unit", "unit_name", "year", "note", "created_at"]
        read_only_fields = ["unit_name", "created_at"]


class NominationViewSet(
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """全国示范单位推荐: seen by the province and admin only; the province nominates (with a reason) and withdraws."""

    queryset = Nomination.objects.all()
    serializer_class = NominationSerializer
    select_related = ("unit",)
    filterset_fields = ["year"]
    lookup_value_regex = NUMERIC

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = demonstration.nomination_create(
            unit_id=data["unit"].pk, year=data["year"], note=data["note"], by=self.request.user
        )

    def perform_destroy(self, instance):
        demonstration.nomination_withdraw(nomination_id=instance.pk, by=self.request.user)


router.register("events", EventViewSet, basename="event")
router.register("articles", ArticleViewSet, basename="article")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("pushes", PushViewSet, basename="push")
router.register("nominations", NominationViewSet, basename="nomination")
