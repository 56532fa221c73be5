"""Demo posts for `load_demo`, created, submitted and approved through the services so the public
post list of `make run` is populated; one post waits in 长春市's review queue and one is a draft.
Idempotent: a post is looked up by unit and title and only moved on to its demo state."""

from datetime import date
from decimal import Decimal

from jianxi_portal.core.models import User
from positions import services
from positions.models import Education, Post, PostCategory
from units.demo import backdate_review, months_back
from units.models import Unit

C = PostCategory
E = Education
# (unit credit code, title, category, slots, months, allowance, majors, education, also internship, state)
DEMO_POSTS = [
    (
        "91220101MA0Y3K7L2G",
        "生产管理见习生",
        C.MANAGEMENT,
        5,
        6,
        "2400",
        "机械工程、工业工程",
        E.BACHELOR,
        True,
        "approved",
    ),
    (
        "91220101MA0Y3K7L2G",
        "质量检验技术员",
        C.TECHNICAL,
        4,
        6,
        "2200",
        "材料成型、测控技术",
        E.JUNIOR_COLLEGE,
        False,
        "approved",
    ),
    (
        "91220101MA0Y3K7L2G",
        "数控加工技能岗",
        C.SKILLED,
        6,
        12,
        "2100",
        "数控技术、机电一体化",
        E.SECONDARY,
        True,
        "approved",
    ),
    (
        "91220101MA0Y3K7L2G",
        "智能制造研发助理",
        C.RESEARCH,
        2,
        12,
        "3000",
        "自动化、电气工程",
        E.MASTER,
        False,
        "submitted",
    ),
    ("91220101MA0Y3K7L2G", "人力资源见习岗", C.MANAGEMENT, 1, 6, "2000", "人力资源管理", E.BACHELOR, False, "draft"),
    (
        "91220201MA17D5TP2P",
        "Java 开发见习工程师",
        C.TECHNICAL,
        3,
        6,
        "2600",
        "计算机科学与技术、软件工程",
        E.BACHELOR,
        True,
        "approved",
    ),
    ("91220201MA17D5TP2P", "软件测试见习生", C.TECHNICAL, 2, 6, "2200", "计算机类", E.JUNIOR_COLLEGE, True, "approved"),
    ("91220201MA17D5TP2P", "客户服务专员", C.SERVICE, 2, 3, "1800", "", E.ANY, False, "approved"),
    ("91220301MA0Y8P3Q1Q", "农机装配技能岗", C.SKILLED, 8, 6, "1900", "机械制造", E.SECONDARY, False, "approved"),
    (
        "91220301MA0Y8P3Q1Q",
        "销售管理见习生",
        C.MANAGEMENT,
        2,
        6,
        "2000",
        "市场营销、工商管理",
        E.JUNIOR_COLLEGE,
        False,
        "approved",
    ),
    (
        "91222401MA17Q6HJ2Y",
        "数据标注与分析助理",
        C.TECHNICAL,
        5,
        6,
        "2300",
        "统计学、数据科学、朝汉双语",
        E.JUNIOR_COLLEGE,
        True,
        "approved",
    ),
    ("91222401MA17Q6HJ2Y", "运维见习工程师", C.TECHNICAL, 2, 12, "2500", "网络工程", E.BACHELOR, False, "approved"),
    (
        "12220000MB1K8N2F52",
        "作物育种科研助理",
        C.RESEARCH,
        3,
        12,
        "2800",
        "农学、植物保护、生物技术",
        E.MASTER,
        True,
        "approved",
    ),
    ("12220000MB1K8N2F52", "实验室管理见习岗", C.MANAGEMENT, 1, 6, "2300", "化学、生物", E.BACHELOR, False, "approved"),
    (
        "91220700MA13X2RE46",
        "文旅新媒体运营",
        C.SERVICE,
        3,
        6,
        "2000",
        "新闻传播、视觉传达",
        E.JUNIOR_COLLEGE,
        True,
        "approved",
    ),
    ("91220700MA13X2RE46", "景区游客服务岗", C.SERVICE, 6, 3, "1700", "", E.HIGH_SCHOOL, False, "approved"),
]
DESCRIPTION = "见习期间由单位指定带教老师，购买人身意外伤害保险，按月发放基本生活补贴；见习期满表现优秀者优先留用。"


def _author(unit: Unit) -> User:
    """The unit's employer account when it has one, else its city (registered offline)."""
    return User.objects.filter(unit=unit, role=User.Role.EMPLOYER).first() or User.objects.get(
        username=f"city_{unit.region.code}"
    )


def load_demo(today: date):
    """The demo posts. The employers' posts were approved nine months before `today` (before their
    placements began), the practice base's three months before (before its intern started), the
    other offline units' last month (new in last month's Annex 2)."""
    employers = set(User.objects.filter(role=User.Role.EMPLOYER).values_list("unit_id", flat=True))
    for code, title, category, slots, months, allowance, majors, education, internship, state in DEMO_POSTS:
        unit = Unit.objects.select_related("region").get(credit_code=code)
        author, city = _author(unit), User.objects.get(username=f"city_{unit.region.code}")
        post = Post.objects.filter(unit=unit, title=title).first()
        if post is None:
            post = services.post_create(
                by=author,
                unit_id=unit.pk,
                title=title,
                category=category,
                slots=slots,
                duration_months=months,
                allowance=Decimal(allowance),
                majors=majors,
                education=education,
                also_internship=internship,
                district=unit.district,
                description=DESCRIPTION,
            )
        if state == "draft":
            continue
        if post.status in (Post.Status.DRAFT, Post.Status.RETURNED):
            post = services.post_submit(post_id=post.pk, by=author)
        if state == "approved" and post.status == Post.Status.SUBMITTED:
            post = services.post_approve(post_id=post.pk, by=city, opinion="岗位信息真实，补贴标准符合要求，同意发布。")
            day = (
                months_back(today, 9)
                if unit.pk in employers
                else months_back(today, 3, day=12)
                if unit.is_practice_base
                else months_back(today, 1, day=12)
            )
            backdate_review(post, day, published_on=day, closing_date=services.latest_closing_date(day))
