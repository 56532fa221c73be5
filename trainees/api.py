"""API of trainees: `/api/v1/trainees/`, `/api/v1/applications/`, `/api/v1/placements/` (with the
events `start|complete|retain|terminate|outcome|cancel`, the filing `submit|approve|reject|return`,
and `insurance|mentor|trainings`), `/api/v1/mentors/`, `/api/v1/internships/` (with `convert`).

Every queryset is `visible_to(request.user)`: another region's or unit's record is a 404. Writes go
through the services; their ValidationError is a 400 {field: [message]}, a refused transition 409.
ID numbers and phones are read as `jianxi_portal.core.personal` decides: in full for city staff of the
trainee's own region (list and detail of `/trainees/`), each value so shown an `id_number.view` or
`phone.view` audit row; masked for everyone else. Placements and applications carry the masked
number only (the full one is a `/trainees/` read). Mentors' phones likewise (`/mentors/`)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from jianxi_portal.core.api import ReviewActionsMixin, ScopedMixin, router
from jianxi_portal.core.api_base import PersonalField, ProvisionalDeadlineField
from jianxi_portal.core.models import Region
from jianxi_portal.core.query import QueryFilterBackend, parse_query
from trainees import selectors, services
from trainees.forms import PlacementFilterForm
from trainees.models import Application, Internship, Mentor, Placement, Trainee, TraineeCategory, TrainingRecord
from trainees.services.register import EDUCATION_CHOICES
from trainees.workflows import EVENTS as PLACEMENT_EVENTS

# ---------------------------------------------------------------------------------------------- trainees


class TraineeSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    id_number = PersonalField(read_only=True)
    phone = PersonalField(read_only=True)

    class Meta:
        model = Trainee
        fields = [
            "id",
            "name",
            "id_number",
            "birth_date",
            "sex",
            "phone",
            "category",
            "school",
            "major",
            "education",
            "left_school_on",
            "unemployment_registered",
            "employed",
            "region",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TraineeWriteSerializer(serializers.Serializer):
    """Input of a create (all required fields) or a partial update (only those sent)."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11)
    category = serializers.ChoiceField(choices=TraineeCategory.choices)
    school = serializers.CharField(max_length=100, required=False, allow_blank=True)
    major = serializers.CharField(max_length=100, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=EDUCATION_CHOICES, required=False, allow_blank=True)
    left_school_on = serializers.DateField(required=False, allow_null=True)
    unemployment_registered = serializers.BooleanField(required=False)
    employed = serializers.BooleanField(required=False)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False)


class TraineeViewSet(
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The trainee register. City staff create and edit trainees of their region; a young person
    creates and edits their own record. ID numbers and phones: full for city staff of the trainee's
    own region (every value so shown is audited), masked for everyone else; the answer to a create
    or an update is masked."""

    queryset = Trainee.objects.all()
    serializer_class = TraineeSerializer
    select_related = ("region",)
    filterset_fields = ["category", "region__code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return TraineeWriteSerializer if self.action in ("create", "partial_update") else TraineeSerializer

    @extend_schema(request=TraineeWriteSerializer, responses=TraineeSerializer)
    def create(self, request, *args, **kwargs):
        data = self._valid(request, partial=False)
        trainee = services.trainee_create(by=request.user, **data)
        return Response(TraineeSerializer(trainee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TraineeWriteSerializer, responses=TraineeSerializer)
    def partial_update(self, request, *args, **kwargs):
        trainee = self.get_object()
        data = self._valid(request, partial=True)
        trainee = services.trainee_update(trainee_id=trainee.pk, by=request.user, **data)
        return Response(TraineeSerializer(trainee).data)

    def _valid(self, request, *, partial: bool) -> dict:
        serializer = TraineeWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# ---------------------------------------------------------------------------------------------- placements


class PlacementTrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRecord
        fields = ["id", "kind", "on", "content", "hours"]


class PlacementSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    trainee_name = serializers.CharField(source="trainee.name", read_only=True)
    trainee_id_number = serializers.CharField(source="trainee.id_number_masked", read_only=True)
    trainings = PlacementTrainingSerializer(many=True, read_only=True)
    review_deadline_provisional = ProvisionalDeadlineField()
    continuation = serializers.SerializerMethodField(help_text="接续本协议的见习协议 id（单位变动后接续见习）")
    insurance_gaps = serializers.SerializerMethodField(
        help_text="在岗至今（或至结束）未被人身意外伤害保险覆盖的日期段；为空表示已覆盖。"
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "trainee",
            "trainee_name",
            "trainee_id_number",
            "post",
            "unit",
            "region",
            "category",
            "application",
            "internship",
            "continues",
            "continuation",
            "signed_on",
            "planned_start",
            "planned_end",
            "allowance",
            "status",
            "started_on",
            "ended_on",
            "end",
            "end_reason",
            "end_note",
            "outcome",
            "outcome_on",
            "contract_signed_on",
            "contract_months",
            "contract_ends_on",
            "social_insurance_paid",
            "other_employment_note",
            "cancelled_on",
            "insurer",
            "insurance_policy_no",
            "insurance_from",
            "insurance_to",
            "insurance_gaps",
            "mentor",
            "trainings",
            "filing_status",
            "submitted_at",
            "review_deadline",
            "review_deadline_provisional",
            "decided_at",
            "first_approved_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_continuation(self, obj) -> int | None:
        continuation = getattr(obj, "continuation", None)
        return continuation.pk if continuation else None

    def get_insurance_gaps(self, obj) -> list[dict]:
        return [
            {"first_day": first.isoformat(), "last_day": last.isoformat()}
            for first, last in obj.insurance_gaps(timezone.localdate())
        ]


class PlacementAgreementSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    allowance = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True, default=None)


class PlacementCreateSerializer(PlacementAgreementSerializer):
    trainee = serializers.IntegerField()
    post = serializers.IntegerField()


class PlacementContinueSerializer(PlacementAgreementSerializer):
    post = serializers.IntegerField()
    opinion = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlacementStartSerializer(serializers.Serializer):
    started_on = serializers.DateField()


class PlacementCompleteSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class PlacementRetainSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    contract_signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    contract_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    social_insurance_paid = serializers.BooleanField(required=False, default=False)


class PlacementTerminateSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=Placement.EndReason.choices)
    end_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlacementOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Placement.Outcome.choices)
    outcome_on = serializers.DateField()
    contract_signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    contract_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    social_insurance_paid = serializers.BooleanField(required=False, default=False)
    other_employment_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlacementCancelSerializer(serializers.Serializer):
    cancelled_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class PlacementInsuranceSerializer(serializers.Serializer):
    insurer = serializers.CharField(max_length=100)
    policy_no = serializers.CharField(max_length=64)
    insured_from = serializers.DateField()
    insured_to = serializers.DateField()


class PlacementAllowanceChangeSerializer(serializers.Serializer):
    """Collects the values only: `allowance_change_record` checks them against the floor."""

    effective_from = serializers.DateField()
    amount = serializers.CharField(max_length=20, help_text="调整后生活补贴（元/月）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MentorAssignSerializer(serializers.Serializer):
    mentor = serializers.IntegerField()


class PlacementTrainingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrainingRecord.Kind.choices)
    on = serializers.DateField()
    content = serializers.CharField(max_length=200)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)


# ------------------------------------------------------------------------------------------ applications


class ApplicationSerializer(serializers.ModelSerializer):
    trainee_name = serializers.CharField(source="trainee.name", read_only=True)
    unit = serializers.IntegerField(source="post.unit_id", read_only=True)
    placement = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "trainee",
            "trainee_name",
            "post",
            "unit",
            "note",
            "status",
            "created_at",
            "decided_at",
            "decision_note",
            "placement",
        ]
        read_only_fields = fields

    def get_placement(self, obj) -> int | None:
        placement = getattr(obj, "placement", None)
        return placement.pk if placement else None


class ApplicationCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ApplicationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ApplicationViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Applications. A young person applies (POST, only to an open post: a closed one is a 400
    whatever the route); the employer of the post accepts (signing a placement) or declines; the
    applicant withdraws."""

    queryset = Application.objects.all()
    serializer_class = ApplicationSerializer
    select_related = ("trainee", "post", "placement")
    filterset_fields = ["status", "post"]

    @extend_schema(request=ApplicationCreateSerializer, responses=ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        data = _valid(ApplicationCreateSerializer, request)
        application = services.application_create(post_id=data["post"], by=request.user, note=data["note"])
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementAgreementSerializer, responses={201: PlacementSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        application = self.get_object()
        placement = services.application_accept(
            application_id=application.pk, by=request.user, **_valid(PlacementAgreementSerializer, request)
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationNoteSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        application = self.get_object()
        done = services.application_decline(
            application_id=application.pk, by=request.user, **_valid(ApplicationNoteSerializer, request)
        )
        return Response(ApplicationSerializer(done).data)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        return Response(
            ApplicationSerializer(services.application_withdraw(application_id=application.pk, by=request.user)).data
        )


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


EVENTS = {
    # action: (input serializer, service)
    "start": (PlacementStartSerializer, services.EVENT_SERVICES["start"]),
    "complete": (PlacementCompleteSerializer, services.EVENT_SERVICES["complete"]),
    "retain": (PlacementRetainSerializer, services.EVENT_SERVICES["retain"]),
    "terminate": (PlacementTerminateSerializer, services.EVENT_SERVICES["terminate"]),
    "outcome": (PlacementOutcomeSerializer, services.EVENT_SERVICES["outcome"]),
    "cancel": (PlacementCancelSerializer, services.EVENT_SERVICES["cancel"]),
    "insurance": (PlacementInsuranceSerializer, services.placement_set_insurance),
    "allowance": (PlacementAllowanceChangeSerializer, services.allowance_change_record),
}


PLACEMENT_FILTERS = [
    OpenApiParameter("status", str, enum=Placement.Status.values, description="协议状态"),
    OpenApiParameter("unit", int, description="见习单位 id"),
    OpenApiParameter("category", str, enum=TraineeCategory.values, description="人员类别"),
    OpenApiParameter("started", str, description="到岗月份（YYYY-MM）"),
    OpenApiParameter("ended", str, description="结束月份（YYYY-MM）"),
    OpenApiParameter("filing", str, description="备案状态，或 unfiled_on_duty（在岗但未确认备案）"),
    OpenApiParameter("region", str, description="市（州）代码"),
    OpenApiParameter("q", str, description="见习人员姓名（包含）"),
]


@extend_schema_view(list=extend_schema(parameters=PLACEMENT_FILTERS))
class PlacementViewSet(
    ScopedMixin,
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Placements (见习协议). Filters: `status`, `unit`, `category`, `started` and `ended` (YYYY-MM),
    `filing` (a filing status, or `unfiled_on_duty`), `region` (code). City staff create offline
    agreements (POST); each event is its own POST with its date and details."""

    queryset = Placement.objects.all()
    serializer_class = PlacementSerializer
    select_related = ("region",)
    # The list's filters are the page's own form (get_queryset); ordering on top of them.
    filter_backends: list = [QueryFilterBackend, OrderingFilter]
    ordering_fields = ["signed_on", "planned_start", "started_on", "ended_on", "id"]

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("trainings").select_related("trainee", "continuation")
        if self.action != "list":
            return qs
        return selectors.placements_filtered(qs, parse_query(self.request, PlacementFilterForm, show_region=True))

    @extend_schema(request=PlacementCreateSerializer, responses=PlacementSerializer)
    def create(self, request, *args, **kwargs):
        data = _valid(PlacementCreateSerializer, request)
        placement = services.placement_create(
            trainee_id=data.pop("trainee"), post_id=data.pop("post"), by=request.user, **data
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    def _event(self, request, name):
        placement = self.get_object()
        serializer_class, service = EVENTS[name]
        service(placement_id=placement.pk, by=request.user, **_valid(serializer_class, request))
        return Response(PlacementSerializer(self.get_queryset().get(pk=placement.pk)).data)

    def review_act(self, pk, *, action, by, opinion):
        """The placement's filing (上报备案) goes through the review workflow."""
        return services.placement_filing(placement_id=pk, action=action, by=by, opinion=opinion)

    @extend_schema(
        request=PlacementStartSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("start")
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._event(request, "start")

    @extend_schema(
        request=PlacementCompleteSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("complete")
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._event(request, "complete")

    @extend_schema(
        request=PlacementRetainSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("retain")
    )
    @action(detail=True, methods=["post"])
    def retain(self, request, pk=None):
        return self._event(request, "retain")

    @extend_schema(
        request=PlacementTerminateSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("terminate")
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        return self._event(request, "terminate")

    @extend_schema(
        request=PlacementOutcomeSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("outcome")
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._event(request, "outcome")

    @extend_schema(
        request=PlacementCancelSerializer, responses=PlacementSerializer, summary=PLACEMENT_EVENTS.label("cancel")
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._event(request, "cancel")

    @extend_schema(request=PlacementInsuranceSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def insurance(self, request, pk=None):
        return self._event(request, "insurance")

    @extend_schema(request=PlacementContinueSerializer, responses={201: PlacementSerializer})
    @action(detail=True, methods=["post"], url_path="continue", url_name="continue")
    def continue_(self, request, pk=None):
        """接续见习: the city approves a new agreement at another unit for the remaining days."""
        placement = self.get_object()
        data = _valid(PlacementContinueSerializer, request)
        created = services.placement_continue(
            placement_id=placement.pk, post_id=data.pop("post"), by=request.user, **data
        )
        return Response(PlacementSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementAllowanceChangeSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"], url_path="allowance-changes", url_name="allowance-changes")
    def allowance_changes(self, request, pk=None):
        """生活补贴调整: the unit's new monthly allowance from its effective date (history kept)."""
        return self._event(request, "allowance")

    @extend_schema(request=MentorAssignSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def mentor(self, request, pk=None):
        placement = self.get_object()
        mentor_id = _valid(MentorAssignSerializer, request)["mentor"]
        services.placement_assign_mentor(placement_id=placement.pk, mentor_id=mentor_id, by=request.user)
        return Response(PlacementSerializer(self.get_queryset().get(pk=placement.pk)).data)

    @extend_schema(request=PlacementTrainingCreateSerializer, responses=PlacementTrainingSerializer)
    @action(detail=True, methods=["post"])
    def trainings(self, request, pk=None):
        placement = self.get_object()
        record = services.training_add(
            placement_id=placement.pk, by=request.user, **_valid(PlacementTrainingCreateSerializer, request)
        )
        return Response(PlacementTrainingSerializer(record).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------- mentors and internships


class MentorSerializer(serializers.ModelSerializer):
    capacity = serializers.IntegerField(read_only=True)
    phone = PersonalField(max_length=20)

    class Meta:
        model = Mentor
        fields = ["id", "unit", "name", "position", "phone", "max_trainees", "capacity", "active"]
        read_only_fields = ["id", "unit", "capacity"]


class MentorViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A unit's mentors (带教老师). Employers add them for their own unit."""

    queryset = Mentor.objects.all()
    serializer_class = MentorSerializer
    select_related = ("unit",)  # the phone's rule reads the unit's region
    filterset_fields = ["unit", "active"]
    ordering_fields = ["name", "id"]

    def create(self, request, *args, **kwargs):
        if not (request.user.is_employer and request.user.unit_id):
            raise PermissionDenied("只有单位用户可以添加本单位的带教老师。")
        serializer = MentorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("active", None)
        mentor = services.mentor_create(unit=request.user.unit, by=request.user, **data)
        return Response(MentorSerializer(mentor).data, status=status.HTTP_201_CREATED)


class InternshipSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    trainee_name = serializers.CharField(source="trainee.name", read_only=True)
    placement = serializers.SerializerMethodField()

    class Meta:
        model = Internship
        fields = [
            "id",
            "trainee",
            "trainee_name",
            "post",
            "unit",
            "region",
            "started_on",
            "planned_end",
            "ended_on",
            "status",
            "note",
            "placement",
        ]
        read_only_fields = fields

    def get_placement(self, obj) -> int | None:
        placement = getattr(obj, "placement", None)
        return placement.pk if placement else None


class InternshipCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11)
    category = serializers.ChoiceField(
        choices=[TraineeCategory.COLLEGE_GRADUATE, TraineeCategory.VOCATIONAL_GRADUATE],
        default=TraineeCategory.COLLEGE_GRADUATE,
    )
    school = serializers.CharField(max_length=100)
    major = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    education = serializers.ChoiceField(choices=EDUCATION_CHOICES, required=False, allow_blank=True, default="")
    left_school_on = serializers.DateField()
    started_on = serializers.DateField()
    planned_end = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InternshipConvertSerializer(PlacementAgreementSerializer):
    post = serializers.IntegerField(required=False, allow_null=True, default=None)


class InternshipViewSet(
    ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Interns of practice bases (双贯通) and the one-step conversion into a planned placement."""

    queryset = Internship.objects.all()
    serializer_class = InternshipSerializer
    filterset_fields = ["status", "unit"]
    ordering_fields = ["started_on", "planned_end", "id"]
    select_related = ("region", "trainee", "placement")

    @extend_schema(request=InternshipCreateSerializer, responses=InternshipSerializer)
    def create(self, request, *args, **kwargs):
        data = _valid(InternshipCreateSerializer, request)
        internship = services.internship_create(post_id=data.pop("post"), by=request.user, **data)
        return Response(InternshipSerializer(internship).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InternshipConvertSerializer, responses={201: PlacementSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        internship = self.get_object()
        data = _valid(InternshipConvertSerializer, request)
        placement = services.internship_convert(
            internship_id=internship.pk, by=request.user, post_id=data.pop("post"), **data
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


router.register("trainees", TraineeViewSet, basename="trainee")
router.register("applications", ApplicationViewSet, basename="application")
router.register("placements", PlacementViewSet, basename="placement")
router.register("mentors", MentorViewSet, basename="mentor")
router.register("internships", InternshipViewSet, basename="internship")
