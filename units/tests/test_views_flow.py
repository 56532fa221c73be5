"""The browser flow end to end in Django's test client: an employer registers, creates a unit and
a post, submits both; the city approves the unit then the post; the post is on the public list."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.models import District, Notification, ReviewLog, User
from jianxi_portal.core.workdays import Calendar, add_working_days, provisional_note
from positions.models import Post
from units.models import Unit
from units.tests.factories import credit_code

CODE = credit_code(4242)


def deadline_text(submitted_on, deadline):
    """The detail page's deadline line: the date, 「暂定」 when the window runs through a year whose
    arrangement is not complete (DESIGN.md, Review workflow — so on any day the suite runs), the rule."""
    mark = render_to_string("review/_provisional.html", {"note": provisional_note(Calendar(), submitted_on, deadline)})
    return f'<span class="date-text">{deadline:%Y-%m-%d}</span>{mark}（提交次日起第15个工作日）'


def register(client):
    return client.post(
        reverse("employer_register"),
        {
            "username": "cc_soft",
            "name": "赵经办",
            "phone": "13904315555",
            "email": "hr@example.cn",
            "password": "Jianxi-2026-ok",
            "password_again": "Jianxi-2026-ok",
        },
    )


def create_unit(client, **overrides):
    district = District.objects.get(region__code="changchun", name="朝阳区")
    data = {
        "name": "长春星河软件有限公司",
        "credit_code": CODE,
        "unit_type": "private",
        "industry": "I",
        "region": "changchun",
        "district": district.pk,
        "address": "长春市朝阳区工农大路8号",
        "contact_name": "赵经办",
        "contact_phone": "13904315555",
        "employee_count": "120",
        "is_internet_major": "on",
        "description": "软件研发",
    }
    return client.post(reverse("unit_create"), data | overrides)


def create_post(client, unit, **overrides):
    data = {
        "title": "前端开发见习生",
        "category": "technical",
        "slots": "3",
        "duration_months": "6",
        "allowance": "2300",
        "district": unit.district_id,
        "education": "bachelor",
        "majors": "软件工程、计算机科学与技术",
        "description": "参与前端开发",
        "also_internship": "on",
    }
    return client.post(reverse("post_create"), data | overrides)


def decide(client, key, pk, action, opinion=""):
    return client.post(
        reverse("review_decide", args=[key, pk]),
        {"action": action, "opinion": opinion, "next": reverse("review_queue")},
    )


def test_employer_to_public_list_end_to_end(city_cc, client_for, django_capture_on_commit_callbacks):
    employer = Client()
    response = register(employer)
    assert response.status_code == 302 and response.url == reverse("unit_create")
    user = User.objects.get(username="cc_soft")
    assert user.role == User.Role.EMPLOYER

    response = create_unit(employer)
    unit = Unit.objects.get(credit_code=CODE)
    assert response.url == reverse("unit_detail", args=[unit.pk])
    assert unit.status == Unit.Status.DRAFT and unit.users.get() == user

    response = create_post(employer, unit)
    post = Post.objects.get(unit=unit)
    assert response.url == reverse("post_detail", args=[post.pk])
    assert post.allowance == Decimal("2300.00") and post.status == Post.Status.DRAFT

    employer.post(reverse("unit_submit", args=[unit.pk]))
    unit.refresh_from_db()
    today = timezone.localdate()
    deadline = add_working_days(today, 15)
    assert unit.status == Unit.Status.SUBMITTED and unit.review_deadline == deadline
    page = employer.get(reverse("unit_detail", args=[unit.pk])).content.decode()
    assert deadline_text(today, deadline) in page

    # The post waits for the unit: submitting it now is refused with the reason.
    page = employer.post(reverse("post_submit", args=[post.pk]), follow=True).content.decode()
    assert "单位审核通过后才能提交岗位" in page
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT

    city = client_for(city_cc)  # a separate client: the employer's session stays in `employer`
    queue = city.get(reverse("review_queue")).content.decode()
    assert "长春星河软件有限公司" in queue and f"{deadline:%Y-%m-%d}" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(city, "unit", unit.pk, "approve", "材料齐全")
    assert response.url == reverse("review_queue")
    unit.refresh_from_db()
    assert unit.status == Unit.Status.APPROVED and unit.first_approved_on == today
    assert Notification.objects.filter(recipient=user, title__contains="审核结果：已通过").exists()

    employer.post(reverse("post_submit", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED and post.review_deadline == deadline
    page = employer.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert deadline_text(today, deadline) in page
    assert "剩余工作日" in page

    decide(city, "post", post.pk, "approve")
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED and post.published_on == today

    public = Client().get(reverse("post_list")).content.decode()
    assert "前端开发见习生" in public and "长春星河软件有限公司" in public
    assert Client().get(reverse("post_public", args=[post.pk])).status_code == 200
    directory = Client().get(reverse("unit_directory")).content.decode()
    assert "长春星河软件有限公司" in directory

    # The history on the object pages: who, what, from, to.
    page = employer.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "city_cc" in page and "待审核" in page and "已通过" in page
    assert list(
        ReviewLog.objects.filter(object_id=unit.pk, content_type__model="unit").values_list("action", flat=True)
    ) == [
        "submit",
        "approve",
    ]


def test_missing_opinion_on_reject_from_the_queue_changes_nothing(city_cc, client_for):
    from units.tests.factories import SubmittedUnitFactory

    unit = SubmittedUnitFactory()
    city = client_for(city_cc)
    page = city.post(
        reverse("review_decide", args=["unit", unit.pk]),
        {"action": "reject", "opinion": "", "next": "/review/"},
        follow=True,
    ).content.decode()
    assert "不通过时必须填写审核意见。" in page
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.SUBMITTED
    assert not ReviewLog.objects.filter(object_id=unit.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field_label", "message"),
    [
        (
            {"credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1")},
            "统一社会信用代码",
            "统一社会信用代码校验位错误",
        ),
        ({"contact_phone": "12345"}, "联系人手机号码", "联系人手机号码应为11位"),
    ],
)
def test_bad_unit_input_in_the_browser_is_shown_and_nothing_saved(db, overrides, field_label, message):
    client = Client()
    register(client)
    response = create_unit(client, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and field_label in page
    assert not Unit.objects.exists()
    assert User.objects.get(username="cc_soft").unit_id is None


def test_duplicate_credit_code_in_the_browser_says_so(unit_a):
    client = Client()
    register(client)
    page = create_unit(client, credit_code=unit_a.credit_code).content.decode()
    assert "一个统一社会信用代码只能登记一个单位" in page
    assert Unit.objects.filter(credit_code=unit_a.credit_code).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"allowance": "1000"}, "单位发放生活补贴不得低于当地最低工资标准2120.00元的60%，即1272.00元。"),
        ({"slots": "0"}, "岗位数至少为1人，收到0。"),
        ({"duration_months": "13"}, "见习期限应为3至12个月，收到13个月。"),
    ],
)
def test_bad_post_input_in_the_browser_is_shown_and_nothing_saved(employer_a, client_for, overrides, message):
    client = client_for(employer_a)
    response = create_post(client, employer_a.unit, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_registration_with_the_licence_attached(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    register(client)
    licence = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4\n" + b"0" * 100, content_type="application/pdf")
    create_unit(client, licence=licence)
    unit = Unit.objects.get(credit_code=CODE)
    attachment = unit.attachments.get()
    assert attachment.original_name == "营业执照.pdf"
    download = client.get(reverse("unit_attachment", args=[unit.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    attachment.file.delete(save=False)


def test_bad_licence_refuses_the_whole_registration(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    register(client)
    response = create_unit(client, licence=SimpleUploadedFile("licence.exe", b"MZ\x90\x00"))
    assert "材料文件只能是 PDF、JPG 或 PNG 格式" in response.content.decode()
    assert not Unit.objects.exists()
