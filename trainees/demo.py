"""Demo trainees, an application, placements in every state and an intern, for `load_demo`, all
through the services (eligibility, slots, event order, filing). Dates are relative to today so the
demo stays valid whenever `make run` is started. Birth dates are fixed, so the ID numbers are too,
except the unemployed young person's: that category is for ages 16–24 (DESIGN.md, "Trainee categories
and eligibility"), so the birth year follows the demo's day. Idempotent: a trainee is found by ID
number (the young person by any birth year that made them 16–24) and a step that already happened is
skipped."""

from datetime import date, timedelta

from django.db import transaction

from jianxi_portal.core.dates import add_months
from jianxi_portal.core.models import User
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.validators import id_number_check_char
from positions.models import Post
from trainees import services
from trainees.dates import period_end
from trainees.models import Application, Internship, Mentor, Placement, TraineeCategory
from trainees.services.register import find_by_id_number

G, V, Y = TraineeCategory.COLLEGE_GRADUATE, TraineeCategory.VOCATIONAL_GRADUATE, TraineeCategory.UNEMPLOYED_YOUTH


def _id(area: str, birth: date, serial: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_char(first17)


def _month_start(today: date, months_back: int) -> date:
    return add_months(today.replace(day=1), -months_back)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _post(title: str) -> Post | None:
    return Post.objects.filter(title=title, status=Post.Status.APPROVED).select_related("unit").first()


def _youth_id(today: date, area: str, month: int, day: int, serial: int, *, age: int) -> tuple[str, list[str]]:
    """The ID number of a young person `age` years old in `today`'s year, and the numbers the same
    person had in a demo loaded in an earlier or later year (every birth year of a 16–24-year-old)."""
    numbers = [_id(area, date(today.year - years, month, day), serial) for years in range(16, 26)]
    return _id(area, date(today.year - age, month, day), serial), numbers


def _trainee(by: User, *, name, id_number, phone, category, aliases=(), **profile):
    for number in (id_number, *aliases):
        existing = find_by_id_number(number)
        if existing is not None:
            return existing
    return services.trainee_create(by=by, name=name, id_number=id_number, phone=phone, category=category, **profile)


def _mentor(unit, name, position, phone, by):
    mentor = Mentor.objects.filter(unit=unit, name=name).first()
    return mentor or services.mentor_create(unit=unit, name=name, position=position, phone=phone, by=by)


def _placement(trainee, post, start: date, by: User) -> Placement:
    existing = Placement.objects.filter(trainee=trainee).exclude(status=Placement.Status.CANCELLED).first()
    if existing is not None:
        return existing
    return services.placement_create(
        trainee_id=trainee.pk, post_id=post.pk, signed_on=start - timedelta(days=5), planned_start=start, by=by
    )


def _prepare(placement: Placement, mentor: Mentor, by: User) -> Placement:
    """Insurance, mentor and the pre-job training, as the notice asks of every agreement."""
    if not placement.insurer:
        services.placement_set_insurance(
            placement_id=placement.pk,
            insurer="中国人民财产保险股份有限公司吉林省分公司",
            policy_no=f"PEAC{placement.planned_start:%Y}{placement.pk:08d}",
            insured_from=placement.planned_start,
            insured_to=placement.planned_end,
            by=by,
        )
    if placement.mentor_id is None:
        services.placement_assign_mentor(placement_id=placement.pk, mentor_id=mentor.pk, by=by)
    if not placement.trainings.exists():
        services.training_add(
            placement_id=placement.pk,
            kind="pre_job",
            on=placement.signed_on,
            content="岗前培训：安全生产、岗位职责与劳动纪律",
            hours="8",
            by=by,
        )
    placement.refresh_from_db()
    return placement


def _file(placement: Placement, employer: User, city: User, *, approve: bool) -> None:
    if placement.filing_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        services.placement_filing(placement_id=placement.pk, action="submit", by=employer)
    placement.refresh_from_db()
    if approve and placement.filing_status == ReviewStatus.SUBMITTED:
        services.placement_filing(placement_id=placement.pk, action="approve", by=city, opinion="协议齐全，同意备案。")


def _start(placement: Placement, by: User) -> Placement:
    if placement.status == Placement.Status.PLANNED:
        placement = services.placement_start(placement_id=placement.pk, started_on=placement.planned_start, by=by)
    return placement


def _changchun(today: date, employer: User, city: User) -> None:
    manage, quality, cnc = _post("生产管理见习生"), _post("质量检验技术员"), _post("数控加工技能岗")
    if not (manage and quality and cnc):
        return
    mentor = _mentor(manage.unit, "张建国", "生产部经理", "13904315566", employer)
    mentor_2 = _mentor(manage.unit, "李秀梅", "质量部主管", "13904317788", employer)

    # Completed at the agreed end, then retained on a 3-year contract.
    start = _month_start(today, 8)
    liu = _trainee(
        city,
        name="刘洋",
        id_number=_id("220104", date(2001, 4, 12), 231),
        phone="13604310021",
        category=G,
        school="长春理工大学",
        major="工业工程",
        education="bachelor",
        left_school_on=start - timedelta(days=60),
    )
    placement = _start(_prepare(_placement(liu, manage, start, city), mentor, employer), employer)
    _file(placement, employer, city, approve=True)
    if placement.status == Placement.Status.ON_DUTY:
        placement = services.placement_complete(placement_id=placement.pk, ended_on=placement.planned_end, by=employer)
    if not placement.outcome:
        services.placement_record_outcome(
            placement_id=placement.pk,
            outcome="retained",
            outcome_on=placement.ended_on + timedelta(days=1),
            contract_signed_on=placement.ended_on + timedelta(days=1),
            contract_months=36,
            social_insurance_paid=True,
            by=employer,
        )

    # On duty, filed and waiting in the city's review queue; skills training during the placement.
    start = _month_start(today, 2)
    chen = _trainee(
        city,
        name="陈静",
        id_number=_id("220102", date(2002, 9, 3), 482),
        phone="13804312233",
        category=G,
        school="吉林大学",
        major="材料成型及控制工程",
        education="bachelor",
        left_school_on=start - timedelta(days=40),
    )
    placement = _start(_prepare(_placement(chen, quality, start, city), mentor_2, employer), employer)
    if not placement.trainings.filter(kind="skills").exists():
        services.training_add(
            placement_id=placement.pk,
            kind="skills",
            on=start + timedelta(days=14),
            content="三坐标测量仪操作",
            hours="16",
            by=employer,
        )
    _file(placement, employer, city, approve=False)

    # Retained early on a 2-year contract, before the agreed 12 months ran out.
    start = _month_start(today, 7)
    wang = _trainee(
        city,
        name="王磊",
        id_number=_id("220183", date(2004, 1, 20), 115),
        phone="13704315678",
        category=V,
        school="长春市机械工业学校",
        major="数控技术应用",
        education="secondary",
        left_school_on=start - timedelta(days=20),
    )
    placement = _start(_prepare(_placement(wang, cnc, start, city), mentor, employer), employer)
    _file(placement, employer, city, approve=True)
    if placement.status == Placement.Status.ON_DUTY:
        retained_on = today - timedelta(days=30)
        services.placement_retain(
            placement_id=placement.pk, ended_on=retained_on, contract_months=24, social_insurance_paid=True, by=employer
        )

    # An unemployed young person who left early for personal reasons.
    start = _month_start(today, 4)
    zhao_id, zhao_ids = _youth_id(today, "220106", 6, 15, 342, age=21)
    zhao = _trainee(
        city,
        name="赵敏",
        id_number=zhao_id,
        aliases=zhao_ids,
        phone="13504319090",
        category=Y,
        unemployment_registered=True,
    )
    placement = _start(_prepare(_placement(zhao, manage, start, city), mentor_2, employer), employer)
    _file(placement, employer, city, approve=True)
    if placement.status == Placement.Status.ON_DUTY:
        services.placement_terminate(
            placement_id=placement.pk,
            ended_on=start + timedelta(days=45),
            end_reason="personal",
            end_note="本人考取研究生，提前离岗",
            by=employer,
        )


def _jilin(today: date, employer: User, city: User) -> None:
    java = _post("Java 开发见习工程师")
    if java is None:
        return
    mentor = _mentor(java.unit, "孙立", "研发部技术总监", "13944326677", employer)
    start = _month_start(today, 1)
    huang = _trainee(
        city,
        name="黄河",
        id_number=_id("220202", date(2003, 2, 8), 157),
        phone="13944321010",
        category=G,
        school="北华大学",
        major="软件工程",
        education="bachelor",
        left_school_on=start - timedelta(days=100),
    )
    placement = _start(_prepare(_placement(huang, java, start, city), mentor, employer), employer)
    _file(placement, employer, city, approve=True)


def _youth_application(today: date) -> None:
    """The demo young person (login `youth`) has a profile and a pending application."""
    youth, post = _user("youth"), _post("软件测试见习生")
    if youth is None or post is None:
        return
    trainee = getattr(youth, "trainee", None) or _trainee(
        youth,
        name="李青",
        id_number=_id("220102", date(2003, 11, 23), 264),
        phone="13604318899",
        category=G,
        school="长春工业大学",
        major="软件工程",
        education="bachelor",
        left_school_on=date(today.year - 1, 7, 1),
        region=User.objects.get(username="city_changchun").region,
    )
    if not Application.objects.filter(trainee=trainee, post=post).exists() and post.is_open_for_applications(today):
        services.application_create(post_id=post.pk, by=youth, note="软件工程专业，熟悉自动化测试，可随时到岗。")


def _intern(today: date, city: User) -> None:
    """双贯通: a current-year student interning at the practice base (吉林省农业科学院实验站)."""
    post = _post("作物育种科研助理")
    if post is None or not post.unit.is_practice_base or Internship.objects.filter(post=post).exists():
        return
    started = today - timedelta(days=60)
    graduation = date(started.year + (1 if started.month > 6 else 0), 6, 30)
    services.internship_create(
        post_id=post.pk,
        by=city,
        id_number=_id("220102", date(2004, 8, 8), 376),
        name="周婷",
        phone="13604316655",
        school="吉林农业大学",
        major="农学",
        education="bachelor",
        left_school_on=graduation,
        started_on=started,
        planned_end=min(graduation, period_end(started, 6)),
    )


@transaction.atomic
def load_demo(today: date):
    city_cc, city_jl = _user("city_changchun"), _user("city_jilin")
    employer_cc, employer_jl = _user("employer_cc"), _user("employer_jl")
    if city_cc and employer_cc:
        _changchun(today, employer_cc, city_cc)
        _intern(today, city_cc)
    if city_jl and employer_jl:
        _jilin(today, employer_jl, city_jl)
    _youth_application(today)
