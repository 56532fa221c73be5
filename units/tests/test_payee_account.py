"""The unit's payee account (补贴收款账户: 开户银行 + 银行账号): optional on a draft, both or neither,
digits only, stored encrypted; settable on the unit form, on its own page and through the API at
any status but revoked; shown in full only to the unit's employer and its city (audited)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jianxi_portal.core.models import AuditLog, User
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.tests.factories import UserFactory
from units import services
from units.models import Unit
from units.tests.factories import UnitFactory
from units.tests.test_services_units import unit_values

ACCOUNT = "6222020012345678"


@pytest.fixture
def new_employer(db):
    return UserFactory(username="new_employer", role=User.Role.EMPLOYER)


def test_a_draft_may_have_no_account(new_employer):
    unit = services.unit_create(by=new_employer, **unit_values())
    assert (unit.bank_name, unit.bank_account, unit.bank_account_masked) == ("", "", "")


def test_the_account_given_on_registration_is_stored_encrypted_and_masked(new_employer):
    values = unit_values(bank_name="中国银行长春分行", bank_account="6222 0200 1234 5678")
    unit = services.unit_create(by=new_employer, **values)
    unit.refresh_from_db()
    assert (unit.bank_account, unit.bank_account_masked) == (ACCOUNT, "6222********5678")
    assert ACCOUNT not in unit.bank_account_cipher
    assert Unit.objects.filter(bank_account_digest=unit.bank_account_digest).get() == unit


@pytest.mark.parametrize(
    ("name", "account", "field", "message"),
    [
        ("中国银行", "", "bank_account", "请填写银行账号（与开户银行一并填写）。"),
        ("", ACCOUNT, "bank_name", "请填写开户银行（与银行账号一并填写）。"),
        ("中国银行", "6222-ABC", "bank_account", "银行账号应为8—30位数字。"),
        ("中国银行", "1234567", "bank_account", "银行账号应为8—30位数字。"),
    ],
)
def test_a_half_or_malformed_account_is_refused_in_chinese(new_employer, name, account, field, message):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=new_employer, **unit_values(bank_name=name, bank_account=account))
    assert exc.value.message_dict[field] == [message]


def test_an_approved_unit_gets_its_account_on_its_own_and_the_change_is_audited(unit_a, employer_a):
    unit = services.unit_payee_update(unit_id=unit_a.pk, by=employer_a, bank_name="农业银行", bank_account=ACCOUNT)
    assert (unit.status, unit.bank_account) == ("approved", ACCOUNT)
    row = AuditLog.objects.get(event="unit.payee_update")
    assert (row.object_id, row.user) == (str(unit_a.pk), employer_a) and ACCOUNT not in str(row.detail)


def test_the_account_page_requires_both_values(unit_a, employer_a):
    with pytest.raises(ValidationError) as exc:
        services.unit_payee_update(unit_id=unit_a.pk, by=employer_a, bank_name="", bank_account="")
    assert exc.value.message_dict == {"bank_name": [services.PAYEE_MISSING], "bank_account": [services.PAYEE_MISSING]}


def test_another_unit_and_the_province_cannot_set_the_account(unit_a, employer_b, province_user, city_jl):
    for who in (employer_b, province_user, city_jl):
        with pytest.raises(PermissionDenied):
            services.unit_payee_update(unit_id=unit_a.pk, by=who, bank_name="农业银行", bank_account=ACCOUNT)
    assert AuditLog.objects.filter(event="unit.payee_denied").count() == 3


def test_a_revoked_unit_keeps_its_account(unit_a, city_cc):
    services.unit_revoke(unit_id=unit_a.pk, by=city_cc, reason="停业")
    with pytest.raises(InvalidTransition):
        services.unit_payee_update(unit_id=unit_a.pk, by=city_cc, bank_name="农业银行", bank_account=ACCOUNT)


def test_the_edit_form_never_shows_the_stored_phone_or_account_and_blank_keeps_them(client_for, employer_a):
    unit = UnitFactory(name="草稿单位", contact_phone="13904317001", bank_account="6222020017001234")
    employer_a.unit = unit
    employer_a.save()
    client = client_for(employer_a)
    page = client.get(reverse("unit_edit", args=[unit.pk])).content.decode()
    assert "13904317001" not in page and "6222020017001234" not in page
    assert "当前：139****7001；不修改请留空。" in page and "当前：6222********1234；不修改请留空。" in page
    data = {
        "name": "草稿单位（改）",
        "credit_code": unit.credit_code,
        "unit_type": unit.unit_type,
        "industry": unit.industry,
        "region": unit.region.code,
        "district": unit.district_id,
        "address": unit.address,
        "contact_name": unit.contact_name,
        "contact_phone": "",
        "employee_count": 5,
        "bank_name": unit.bank_name,
        "bank_account": "",
    }
    assert client.post(reverse("unit_edit", args=[unit.pk]), data).status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.contact_phone, unit.bank_account) == ("草稿单位（改）", "13904317001", "6222020017001234")


def test_the_account_page_sets_it_and_the_unit_page_shows_it_by_role(client_for, unit_a, employer_a, province_user):
    client = client_for(employer_a)
    response = client.post(
        reverse("unit_payee", args=[unit_a.pk]),
        {"bank_name": "中国工商银行长春分行", "bank_account": "6212 2612 3456 7890"},
    )
    assert response.status_code == 302
    page = client.get(reverse("unit_detail", args=[unit_a.pk])).content.decode()
    assert "6212261234567890" in page
    assert AuditLog.objects.filter(event="bank_account.view", object_id=str(unit_a.pk)).count() == 1
    province = client_for(province_user).get(reverse("unit_detail", args=[unit_a.pk])).content.decode()
    assert "6212261234567890" not in province and "6212********7890" in province
    assert AuditLog.objects.filter(event="bank_account.view").count() == 1


def test_the_api_sets_the_account_and_reads_it_by_role(api_for, unit_a, employer_a, province_user):
    response = api_for(employer_a).post(
        f"/api/v1/units/{unit_a.pk}/payee/", {"bank_name": "建设银行", "bank_account": ACCOUNT}, format="json"
    )
    assert response.status_code == 200 and response.json()["bank_account"] == ACCOUNT
    assert api_for(province_user).get(f"/api/v1/units/{unit_a.pk}/").json()["bank_account"] == "6222********5678"
    bad = api_for(employer_a).post(
        f"/api/v1/units/{unit_a.pk}/payee/", {"bank_name": "建设银行", "bank_account": "x"}, format="json"
    )
    assert bad.status_code == 400 and bad.json() == {"bank_account": ["银行账号应为8—30位数字。"]}
