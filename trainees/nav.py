"""Top-bar links and home cards of the trainees app (see jianxi_portal.core.navigation)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.review import ReviewStatus
from trainees.models import Application, Placement, Trainee


def nav_items(user):
    if not user.is_authenticated:
        return [("青年注册", reverse("trainees:youth_register"))]
    if user.is_youth:
        return [("我的见习", reverse("trainees:my_profile")), ("我的申请", reverse("trainees:application_list"))]
    if user.is_employer:
        items = [
            ("见习申请", reverse("trainees:application_list")),
            ("当前见习人员", reverse("trainees:placement_current")),
            ("见习协议", reverse("trainees:placement_list")),
            ("带教老师", reverse("trainees:mentor_list")),
        ]
        if user.unit_id and user.unit.is_practice_base:
            items.append(("实习生", reverse("trainees:internship_list")))
        return items
    if user.is_city or user.sees_all_regions:
        return [
            ("见习人员", reverse("trainees:trainee_list")),
            ("见习协议", reverse("trainees:placement_list")),
            ("见习申请", reverse("trainees:application_list")),
            ("实习生（双贯通）", reverse("trainees:internship_list")),
        ]
    return []


def _placement_counts(user, today):
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    # Counting region_id, not the id: trainees_pl_region_status_idx holds all this reads.
    return Placement.objects.visible_to(user).aggregate(
        on_duty=Count("region_id", filter=Q(status=Placement.Status.ON_DUTY)),
        ending=Count(
            "region_id",
            filter=Q(status=Placement.Status.ON_DUTY, planned_end__gte=month_start, planned_end__lte=month_end),
        ),
        unfiled=Count("region_id", filter=Q(status=Placement.Status.ON_DUTY) & ~Q(filing_status=ReviewStatus.APPROVED)),
        filings=Count("region_id", filter=Q(filing_status=ReviewStatus.SUBMITTED)),
        started=Count("region_id", filter=Q(started_on__gte=month_start, started_on__lte=today)),
    )


def home_cards(user):
    if user.is_authenticated and user.is_youth:
        return _youth_cards(user)
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    counts = _placement_counts(user, today)
    placements = reverse("trainees:placement_list")
    if user.is_employer:
        pending = Application.objects.visible_to(user).filter(status=Application.Status.PENDING).count()
        return [
            {
                "title": "待处理见习申请",
                "value": pending,
                "link": reverse("trainees:application_list") + "?status=pending",
                "note": "青年提交的岗位申请",
            },
            {
                "title": "在岗见习人员",
                "value": counts["on_duty"],
                "link": reverse("trainees:placement_current"),
                "note": f"本月期满 {counts['ending']} 人",
            },
        ]
    return [
        {
            "title": "在岗见习人员",
            "value": counts["on_duty"],
            "link": placements + "?status=on_duty",
            "note": f"本月新到岗 {counts['started']} 人",
        },
        {
            "title": "在岗未确认备案",
            "value": counts["unfiled"],
            "link": placements + "?filing=unfiled_on_duty",
            "note": f"待审核备案 {counts['filings']} 件",
        },
    ]


def _youth_cards(user):
    """A young person's to-dos: their record first, then the applications awaiting an answer and
    those accepted (the agreement to sign and the day to report)."""
    if not Trainee.objects.filter(user=user).exists():
        return [
            {
                "title": "个人信息",
                "value": "未登记",
                "link": reverse("trainees:my_profile"),
                "note": "登记后才能申请岗位、获得推荐",
            }
        ]
    counts = dict(Application.objects.visible_to(user).values_list("status").annotate(n=Count("pk")).order_by())
    applications = reverse("trainees:application_list")
    return [
        {
            "title": "等待单位答复的申请",
            "value": counts.get(Application.Status.PENDING, 0),
            "link": f"{applications}?status=pending",
            "note": "单位处理后会通知您",
        },
        {
            "title": "已录用",
            "value": counts.get(Application.Status.ACCEPTED, 0),
            "link": f"{applications}?status=accepted",
            "note": "请按约定日期到岗",
        },
    ]


def post_actions(user, post):
    """The apply link on a public post page (positions asks every app's nav for its actions)."""
    apply_url = reverse("trainees:application_apply", args=[post.pk])
    if not user.is_authenticated:
        return [
            ("注册并申请该岗位", reverse("trainees:youth_register")),
            ("已注册？登录后申请", f"{reverse('login')}?next={apply_url}"),
        ]
    if not user.is_youth:
        return []
    mine = Application.objects.filter(post=post, trainee__user=user).only("pk").first()
    if mine is not None:
        return [("查看我的申请", reverse("trainees:application_detail", args=[mine.pk]))]
    return [("申请该岗位", apply_url)]
