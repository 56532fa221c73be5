"""Who may be placed (DESIGN.md, Trainee categories and eligibility), checked on the date the
placement agreement is signed:

- college_graduate / vocational_graduate: left school (the diploma's date) on or before the signing
  date and at most 2 years before it — a diploma of 2024-07-01 allows signing up to 2026-07-01
  inclusive, not on 2026-07-02;
- unemployed_youth: 16 ≤ age < 25 on the signing date, age from the birth date in the ID number (16
  on the 16th birthday; no longer eligible on the 25th birthday), and registered unemployed;
- everyone: not employed, and no earlier placement (a person takes part once; a placement cancelled
  before the start does not count) — which also rules out overlapping placements. A continuation
  after a unit's change is the same participation: the agreements it links are not "earlier".

Each failure is one sentence naming the rule and the dates, so the refusal can be acted on."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError

from trainees.dates import add_years
from trainees.models import Placement, Trainee, TraineeCategory

GRADUATE_CATEGORIES = (TraineeCategory.COLLEGE_GRADUATE, TraineeCategory.VOCATIONAL_GRADUATE)
YEARS_AFTER_LEAVING = 2
MIN_AGE, MAX_AGE_EXCLUSIVE = 16, 25


def _d(day: date) -> str:
    return f"{day:%Y-%m-%d}"


def graduate_failures(trainee: Trainee, signed_on: date) -> list[str]:
    label = TraineeCategory(trainee.category).label
    left = trainee.left_school_on
    if left is None:
        return [f"人员类别为“{label}”，须登记毕业（离校）日期。"]
    if left > signed_on:
        return [f"尚未毕业：毕业（离校）日期 {_d(left)} 晚于协议签订日期 {_d(signed_on)}。"]
    last_day = add_years(left, YEARS_AFTER_LEAVING)
    if signed_on > last_day:
        return [
            f"离校已超过2年：毕业（离校）日期 {_d(left)}，协议签订日期 {_d(signed_on)}，"
            f"离校2年内的最后一天为 {_d(last_day)}。"
        ]
    return []


def youth_failures(trainee: Trainee, signed_on: date) -> list[str]:
    failures = []
    birth = trainee.birth_date
    turns_min, turns_max = add_years(birth, MIN_AGE), add_years(birth, MAX_AGE_EXCLUSIVE)
    if signed_on < turns_min:
        failures.append(
            f"年龄不足16周岁：出生日期 {_d(birth)}，{_d(turns_min)} 年满16周岁，协议签订日期 {_d(signed_on)}。"
        )
    elif signed_on >= turns_max:
        failures.append(
            f"年龄已满25周岁：出生日期 {_d(birth)}，{_d(turns_max)} 年满25周岁，协议签订日期 {_d(signed_on)}；"
            "失业青年须为16—24岁。"
        )
    if not trainee.unemployment_registered:
        failures.append("人员类别为“16—24岁失业青年”，须已进行失业登记。")
    return failures


def earlier_placement_failures(trainee: Trainee, *, exclude: Iterable[int] = ()) -> list[str]:
    earlier = (
        Placement.objects.filter(trainee_id=trainee.pk)
        .exclude(status=Placement.Status.CANCELLED)
        .exclude(pk__in=list(exclude))
        .select_related("unit")
        .order_by("signed_on", "pk")
    )
    return [
        f"已参加过就业见习：{_d(p.signed_on)} 与“{p.unit.name}”签订见习协议（{_d(p.planned_start)} 至 "
        f"{_d(p.planned_end)}，{p.get_status_display()}），每人只能参加一次。"
        for p in earlier
    ]


def eligibility_failures(trainee: Trainee, signed_on: date, *, exclude: Iterable[int] = ()) -> list[str]:
    """Every rule `trainee` fails for an agreement signed on `signed_on` (empty: eligible); the
    placements `exclude` names (the agreement itself and those it is linked to) are not earlier ones."""
    if trainee.category in GRADUATE_CATEGORIES:
        failures = graduate_failures(trainee, signed_on)
    elif trainee.category == TraineeCategory.UNEMPLOYED_YOUTH:
        failures = youth_failures(trainee, signed_on)
    else:
        failures = [f"人员类别“{trainee.category}”无效。"]
    if trainee.employed:
        failures.append("已就业人员不能参加就业见习（人员信息中登记为“已就业”）。")
    return failures + earlier_placement_failures(trainee, exclude=exclude)


def ensure_eligible(trainee: Trainee, signed_on: date, *, exclude: Iterable[int] = ()) -> None:
    """Raise ValidationError({"trainee": [...]}) listing every failed rule."""
    failures = eligibility_failures(trainee, signed_on, exclude=exclude)
    if failures:
        raise ValidationError({"trainee": failures})
