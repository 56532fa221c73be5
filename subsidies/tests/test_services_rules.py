"""The rules are data: seeded from the notice, effective-dated, append-only, edited by admins only,
with history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.models import AllowanceFloorRule
from subsidies.models import RemainingPeriodRule, RetentionBonusRule, SubsidyRate
from subsidies.rules import rules_in_force
from subsidies.services import rule_version_add


def test_the_notices_rules_are_seeded(db):
    rates = dict(SubsidyRate.objects.values_list("category", "rate"))
    assert rates == {
        "college_graduate": Decimal("1.00"),
        "vocational_graduate": Decimal("1.00"),
        "unemployed_youth": Decimal("0.60"),
    }
    assert AllowanceFloorRule.objects.get().ratio == Decimal("0.60")
    bonus = RetentionBonusRule.objects.get()
    assert (bonus.amount, bonus.threshold, bonus.min_contract_months) == (Decimal("2000.00"), Decimal("0.50"), 12)
    assert RemainingPeriodRule.objects.get().valid_to == date(2022, 12, 31)
    assert SubsidyRate.history.count() == 3  # the seed is the first history entry


def test_rules_in_force_on_a_day(db):
    kinds = sorted(v.kind for v in rules_in_force(date(2022, 6, 1)))
    assert kinds == ["bonus", "rate", "rate", "rate", "remaining"]
    assert "remaining" not in [v.kind for v in rules_in_force(date(2023, 1, 1))]


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a"])
def test_only_admins_add_rule_versions(db, request, who):
    with pytest.raises(PermissionDenied):
        rule_version_add(
            kind="bonus",
            by=request.getfixturevalue(who),
            valid_from=date(2027, 1, 1),
            amount="3000",
            threshold="0.4",
            min_contract_months="12",
        )
    assert RetentionBonusRule.objects.count() == 1


def test_a_new_version_closes_the_open_one_and_keeps_history(admin_user):
    row = rule_version_add(
        kind="bonus",
        by=admin_user,
        valid_from=date(2027, 1, 1),
        amount="3000",
        threshold="0.40",
        min_contract_months="12",
        document="新文件",
    )
    old = RetentionBonusRule.objects.exclude(pk=row.pk).get()
    assert (old.amount, old.valid_to) == (Decimal("2000.00"), date(2026, 12, 31))  # amount untouched
    assert (row.amount, row.threshold, row.created_by) == (Decimal("3000"), Decimal("0.40"), admin_user)
    change = old.history.order_by("-history_date").first()
    assert (change.history_user, change.history_type, change.history_change_reason) == (
        admin_user,
        "~",
        "新版本自2027-01-01起执行",
    )


def test_each_category_is_its_own_rule(admin_user):
    rule_version_add(kind="rate", by=admin_user, valid_from=date(2027, 1, 1), category="unemployed_youth", rate="0.7")
    assert SubsidyRate.objects.get(category="college_graduate").valid_to is None
    assert SubsidyRate.objects.get(category="unemployed_youth", valid_from=date(2021, 12, 1)).valid_to == date(
        2026, 12, 31
    )


@pytest.mark.parametrize(
    "kind, values, field, message",
    [
        ("rate", {"category": "pupil", "rate": "0.5"}, "category", "未知的人员类别"),
        ("rate", {"category": "college_graduate", "rate": "1.2"}, "rate", "0%至100%之间"),
        ("rate", {"category": "college_graduate", "rate": "-0.1"}, "rate", "0%至100%之间"),
        ("rate", {"category": "college_graduate", "rate": "0.555"}, "rate", "最多精确到1%"),
        ("bonus", {"amount": "-1", "threshold": "0.5", "min_contract_months": "12"}, "amount", "不能为负数"),
        ("bonus", {"amount": "2000", "threshold": "0", "min_contract_months": "12"}, "threshold", "大于0%"),
        (
            "bonus",
            {"amount": "2000", "threshold": "0.5", "min_contract_months": "一年"},
            "min_contract_months",
            "正整数",
        ),
        ("remaining", {}, "valid_to", "必须填写截止日期"),
    ],
)
def test_bad_rule_values_are_refused_and_nothing_saved(admin_user, kind, values, field, message):
    model = {"rate": SubsidyRate, "bonus": RetentionBonusRule, "remaining": RemainingPeriodRule}[kind]
    before = model.objects.count()
    with pytest.raises(ValidationError) as exc:
        rule_version_add(kind=kind, by=admin_user, valid_from=date(2027, 1, 1), **values)
    assert message in " ".join(exc.value.message_dict[field])
    assert model.objects.count() == before
    assert model.objects.filter(valid_to__isnull=False).count() == (1 if kind == "remaining" else 0)


def test_past_versions_cannot_be_rewritten(admin_user):
    with pytest.raises(ValidationError, match="已有版本不能修改"):
        rule_version_add(
            kind="rate", by=admin_user, valid_from=date(2021, 12, 1), category="college_graduate", rate="0.5"
        )
    with pytest.raises(ValidationError, match="不能早于生效日期"):
        rule_version_add(
            kind="rate",
            by=admin_user,
            valid_from=date(2027, 1, 1),
            valid_to=date(2026, 1, 1),
            category="college_graduate",
            rate="0.5",
        )
    with pytest.raises(ValidationError, match="未知的补贴规则"):
        rule_version_add(kind="salary", by=admin_user, valid_from=date(2027, 1, 1))
    assert SubsidyRate.objects.get(category="college_graduate").valid_to is None
