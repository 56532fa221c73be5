"""Unit services: registration rules, the review decisions, 清单管理 and documents."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jianxi_portal.core.models import District, Region, ReviewLog, User
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.core.workdays import add_working_days
from jianxi_portal.tests.factories import UserFactory
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory, PostFactory, SubmittedPostFactory
from units import services
from units.models import Unit, UnitAttachment
from units.tests.factories import SubmittedUnitFactory, UnitFactory, credit_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def new_employer(db):
    return UserFactory(username="new_employer", role=User.Role.EMPLOYER)


def unit_values(**overrides):
    district = District.objects.get(region__code="changchun", name="朝阳区")
    values = dict(
        name="长春新见习科技有限公司",
        credit_code=credit_code(901),
        unit_type="private",
        industry="I",
        region=district.region,
        district=district,
        address="长春市朝阳区人民大街1号",
        contact_name="李四",
        contact_phone="13904310002",
        employee_count=80,
        is_internet_major=True,
        description="软件开发",
    )
    return values | overrides


def messages_of(exc_info, field):
    return exc_info.value.message_dict[field]


# Registration -------------------------------------------------------------------------------------


def test_employer_registers_a_draft_unit_linked_to_the_account(new_employer):
    unit = services.unit_create(by=new_employer, **unit_values())
    new_employer.refresh_from_db()
    assert unit.status == Unit.Status.DRAFT
    assert new_employer.unit_id == unit.pk
    assert unit.region.code == "changchun" and unit.is_internet_major


def test_wrong_credit_code_check_digit_is_refused_naming_the_field(new_employer):
    good = credit_code(902)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=new_employer, **unit_values(credit_code=wrong))
    assert messages_of(exc, "credit_code") == [f"统一社会信用代码校验位错误：第18位应为“{good[17]}”。"]
    assert not Unit.objects.filter(credit_code=wrong).exists()


def test_second_registration_of_a_credit_code_is_refused_and_says_so(new_employer, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=new_employer, **unit_values(credit_code=unit_a.credit_code))
    message = messages_of(exc, "credit_code")[0]
    assert f"统一社会信用代码{unit_a.credit_code}已登记见习单位" in message
    assert "一个统一社会信用代码只能登记一个单位" in message
    assert Unit.objects.filter(credit_code=unit_a.credit_code).count() == 1
    new_employer.refresh_from_db()
    assert new_employer.unit_id is None


def test_credit_code_is_normalised_to_upper_case(new_employer):
    code = "91220101MA0Y9C6N78"
    unit = services.unit_create(by=new_employer, **unit_values(credit_code=code.lower()))
    assert unit.credit_code == code


def test_contact_mobile_is_validated(new_employer):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=new_employer, **unit_values(contact_phone="0431-8888888"))
    assert messages_of(exc, "contact_phone") == ["联系人手机号码应为11位，以1开头（例如 13912345678）。"]
    assert Unit.objects.count() == 0


def test_district_must_lie_in_the_chosen_region(new_employer):
    chuanying = District.objects.get(region__code="jilin", name="船营区")
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            by=new_employer, **unit_values(district=chuanying, region=Region.objects.get(code="changchun"))
        )
    assert messages_of(exc, "district") == ["所选区县“船营区”不属于长春市，请重新选择。"]


def test_all_missing_fields_are_reported_at_once(new_employer):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=new_employer, **unit_values(name="", address=" ", unit_type="", industry="Z"))
    errors = exc.value.message_dict
    assert errors["name"] == ["请填写单位名称。"]
    assert errors["address"] == ["请填写地址。"]
    assert errors["unit_type"] == ["请选择单位性质。"]
    assert errors["industry"] == ["请选择所属行业。"]


def test_an_employer_registers_only_one_unit(employer_a):
    with pytest.raises(ValidationError, match="一个账号只能登记一个单位"):
        services.unit_create(by=employer_a, **unit_values())


def test_city_registers_a_unit_of_its_own_region_only(city_cc, city_jl):
    unit = services.unit_create(by=city_cc, **unit_values())
    assert unit.region.code == "changchun"
    with pytest.raises(ValidationError) as exc:
        services.unit_create(by=city_jl, **unit_values(credit_code=credit_code(903)))
    assert messages_of(exc, "region") == ["只能登记吉林市的单位。"]


def test_youth_cannot_register_a_unit(youth):
    with pytest.raises(PermissionDenied):
        services.unit_create(by=youth, **unit_values())


def test_employer_account_checks_username_password_and_mobile(db, employer_a):
    with pytest.raises(ValidationError) as exc:
        services.employer_account_create(username="EMPLOYER_A", password="123", name="", phone="123")
    errors = exc.value.message_dict
    assert errors["username"] == ["用户名“EMPLOYER_A”已被使用，请换一个。"]
    assert errors["name"] == ["请填写经办人姓名。"]
    assert errors["phone"] == ["经办人手机号码应为11位，以1开头（例如 13912345678）。"]
    # every rule the password breaks, each a whole Chinese sentence (never 「密码该密码…」)
    assert errors["password"][0] == "密码太短：至少需要 12 个字符，当前只有 3 个。"
    assert any("过于常见" in m for m in errors["password"])
    assert not any(m.startswith("密码该") for m in errors["password"])
    user = services.employer_account_create(
        username="hr_new", password="Strong-pass-2026", name="王五", phone="13904310003"
    )
    assert user.role == User.Role.EMPLOYER and user.check_password("Strong-pass-2026") and user.unit_id is None


# Edits ----------------------------------------------------------------------------------------------


def test_employer_edits_own_draft_and_returned_unit_only(employer_a, employer_b):
    unit = employer_a.unit
    Unit.objects.filter(pk=unit.pk).update(status=Unit.Status.RETURNED)
    services.unit_update(unit_id=unit.pk, by=employer_a, name="长春甲单位（更名）")
    assert Unit.objects.get(pk=unit.pk).name == "长春甲单位（更名）"
    with pytest.raises(PermissionDenied):
        services.unit_update(unit_id=unit.pk, by=employer_b, name="改别人的")
    Unit.objects.filter(pk=unit.pk).update(status=Unit.Status.APPROVED)
    with pytest.raises(InvalidTransition, match="只有草稿或已退回的单位可以修改"):
        services.unit_update(unit_id=unit.pk, by=employer_a, name="已通过不能改")


def test_edit_cannot_take_another_units_credit_code(new_employer, unit_b):
    unit = services.unit_create(by=new_employer, **unit_values())
    with pytest.raises(ValidationError) as exc:
        services.unit_update(unit_id=unit.pk, by=new_employer, credit_code=unit_b.credit_code)
    assert "一个统一社会信用代码只能登记一个单位" in messages_of(exc, "credit_code")[0]


# Review ---------------------------------------------------------------------------------------------


def test_submission_sets_the_deadline_fifteen_working_days_later(new_employer):
    unit = services.unit_create(by=new_employer, **unit_values())
    unit = services.unit_submit(unit_id=unit.pk, by=new_employer)
    assert unit.status == Unit.Status.SUBMITTED
    assert unit.review_deadline == add_working_days(timezone.localdate(), 15)


def test_city_of_the_region_approves_and_first_approval_date_never_changes(city_cc):
    unit = SubmittedUnitFactory()
    unit = services.unit_approve(unit_id=unit.pk, by=city_cc)
    assert unit.status == Unit.Status.APPROVED and unit.first_approved_on == timezone.localdate()
    earlier = timezone.localdate() - timedelta(days=40)
    Unit.objects.filter(pk=unit.pk).update(first_approved_on=earlier)
    services.unit_suspend(unit_id=unit.pk, by=city_cc, reason="核查举报")
    services.unit_resume(unit_id=unit.pk, by=city_cc, reason="核查无误")
    assert Unit.objects.get(pk=unit.pk).first_approved_on == earlier


def test_reject_and_return_need_an_opinion_and_nothing_changes_without_one(city_cc):
    unit = SubmittedUnitFactory()
    for decide in (services.unit_reject, services.unit_return):
        with pytest.raises(ValidationError) as exc:
            decide(unit_id=unit.pk, by=city_cc, opinion="  ")
        assert "必须填写审核意见" in messages_of(exc, "opinion")[0]
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.SUBMITTED
    assert not ReviewLog.objects.filter(object_id=unit.pk, action__in=("reject", "return")).exists()


def test_returned_unit_is_edited_and_submitted_again(city_cc):
    unit = SubmittedUnitFactory()
    services.unit_return(unit_id=unit.pk, by=city_cc, opinion="请补充营业执照")
    employer = UserFactory(username="emp_ret", role=User.Role.EMPLOYER, unit=unit)
    services.unit_update(unit_id=unit.pk, by=employer, address="长春市南关区新地址8号")
    unit = services.unit_submit(unit_id=unit.pk, by=employer)
    assert unit.status == Unit.Status.SUBMITTED
    actions = list(ReviewLog.objects.filter(object_id=unit.pk).values_list("action", "opinion"))
    assert actions == [("return", "请补充营业执照"), ("submit", "")]


def test_illegal_decisions_are_refused(city_cc, city_jl, province_user, employer_a):
    draft = UnitFactory()
    with pytest.raises(InvalidTransition, match="当前状态为“草稿”，不能通过"):
        services.unit_approve(unit_id=draft.pk, by=city_cc)
    submitted = SubmittedUnitFactory()
    for outsider in (city_jl, province_user, employer_a):
        with pytest.raises(PermissionDenied):
            services.unit_approve(unit_id=submitted.pk, by=outsider)
    assert Unit.objects.get(pk=submitted.pk).status == Unit.Status.SUBMITTED


def test_decision_notifies_the_units_users_after_commit(city_cc, django_capture_on_commit_callbacks):
    unit = SubmittedUnitFactory(name="通知单位")
    employer = UserFactory(username="emp_n", role=User.Role.EMPLOYER, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_return(unit_id=unit.pk, by=city_cc, opinion="地址不详")
    note = employer.notifications.get()
    assert note.title == "见习单位“通知单位”审核结果：已退回" and note.body == "地址不详"


# 清单管理 -------------------------------------------------------------------------------------------


def test_suspend_takes_the_unit_and_its_posts_off_the_public_lists_until_resumed(city_cc, unit_a):
    post = ApprovedPostFactory(unit=unit_a)
    services.unit_suspend(unit_id=unit_a.pk, by=city_cc, reason="涉嫌虚假招聘，暂停核查")
    assert not Unit.objects.listed().filter(pk=unit_a.pk).exists()
    assert not Post.objects.published().filter(pk=post.pk).exists()
    assert Post.objects.get(pk=post.pk).status == Post.Status.APPROVED
    services.unit_resume(unit_id=unit_a.pk, by=city_cc, reason="核查完毕")
    assert Post.objects.published().filter(pk=post.pk).exists()


def test_revoke_sets_revoked_on_and_closes_open_posts_the_same_day(city_cc, unit_a):
    published, pending, draft = (
        ApprovedPostFactory(unit=unit_a),
        SubmittedPostFactory(unit=unit_a),
        PostFactory(unit=unit_a),
    )
    unit = services.unit_revoke(unit_id=unit_a.pk, by=city_cc, reason="单位注销")
    today = timezone.localdate()
    assert unit.status == Unit.Status.REVOKED and unit.revoked_on == today and unit.status_reason == "单位注销"
    for post in (published, pending):
        post.refresh_from_db()
        assert (post.status, post.closed_on, post.close_reason) == (Post.Status.CLOSED, today, "单位已撤销：单位注销")
    assert Post.objects.get(pk=draft.pk).status == Post.Status.DRAFT
    logs = ReviewLog.objects.filter(action__in=("revoke", "close")).values_list("action", "to_status", "opinion")
    assert sorted(logs) == [
        ("close", "closed", "单位已撤销：单位注销"),
        ("close", "closed", "单位已撤销：单位注销"),
        ("revoke", "revoked", "单位注销"),
    ]


def test_a_failure_closing_the_posts_rolls_the_whole_revocation_back(city_cc, unit_a, monkeypatch):
    """Positions closes the posts in the revocation's own transaction (units.signals): when closing
    the second post fails, the unit is not revoked and the first post is open again."""
    from positions import services as post_services

    first, second = ApprovedPostFactory(unit=unit_a), ApprovedPostFactory(unit=unit_a)
    real_close, closed = post_services._close, []

    def close_then_fail(post, **kwargs):
        if closed:
            raise RuntimeError("关闭岗位失败")
        closed.append(post.pk)
        return real_close(post, **kwargs)

    monkeypatch.setattr(post_services, "_close", close_then_fail)
    with pytest.raises(RuntimeError, match="关闭岗位失败"):
        services.unit_revoke(unit_id=unit_a.pk, by=city_cc, reason="单位注销")
    assert closed == [first.pk]
    unit_a.refresh_from_db()
    assert (unit_a.status, unit_a.revoked_on) == (Unit.Status.APPROVED, None)
    statuses = Post.objects.filter(pk__in=(first.pk, second.pk)).values_list("status", flat=True)
    assert sorted(statuses) == [Post.Status.APPROVED, Post.Status.APPROVED]
    assert not ReviewLog.objects.filter(action__in=("revoke", "close")).exists()


def test_management_needs_a_reason_the_right_state_and_the_regions_city(city_cc, city_jl, province_user, employer_a):
    unit = employer_a.unit
    with pytest.raises(ValidationError) as exc:
        services.unit_suspend(unit_id=unit.pk, by=city_cc, reason="")
    assert messages_of(exc, "reason") == ["暂停单位时必须填写原因。"]
    for outsider in (city_jl, province_user, employer_a):
        with pytest.raises(PermissionDenied):
            services.unit_revoke(unit_id=unit.pk, by=outsider, reason="越权")
    with pytest.raises(InvalidTransition, match="不能恢复"):
        services.unit_resume(unit_id=unit.pk, by=city_cc, reason="未暂停")
    services.unit_revoke(unit_id=unit.pk, by=city_cc, reason="撤销")
    with pytest.raises(InvalidTransition, match="单位当前状态为“已撤销”，不能撤销"):
        services.unit_revoke(unit_id=unit.pk, by=city_cc, reason="再次撤销")


# Documents ----------------------------------------------------------------------------------------


@pytest.fixture
def draft_unit(new_employer):
    return services.unit_create(by=new_employer, **unit_values())


def test_pdf_and_png_documents_are_accepted(draft_unit, new_employer):
    a = services.unit_attachment_add(
        unit_id=draft_unit.pk, by=new_employer, upload=SimpleUploadedFile("营业执照.pdf", PDF)
    )
    b = services.unit_attachment_add(
        unit_id=draft_unit.pk, by=new_employer, upload=SimpleUploadedFile("资质.PNG", PNG), kind="certificate"
    )
    assert (a.content_type, a.original_name, a.size) == ("application/pdf", "营业执照.pdf", len(PDF))
    assert b.content_type == "image/png" and b.file.name.endswith(".png") and "资质" not in b.file.name
    a.file.delete(save=False)
    b.file.delete(save=False)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.docx", PDF, "材料文件只能是 PDF、JPG 或 PNG 格式，收到“.docx”。"),
        ("licence.pdf", b"MZ\x90\x00 not a pdf", "材料文件内容不是有效的PDF文件。"),
        ("licence.jpg", b"", "材料文件是空文件。"),
        ("licence.png", PNG + b"0" * (5 * 1024 * 1024), "材料文件不能超过5 MB，当前为5.0 MB。"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_saved(draft_unit, new_employer, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.unit_attachment_add(unit_id=draft_unit.pk, by=new_employer, upload=SimpleUploadedFile(name, content))
    assert messages_of(exc, "file") == [message]
    assert not UnitAttachment.objects.exists()


def test_documents_of_an_approved_unit_cannot_be_changed(employer_a):
    with pytest.raises(InvalidTransition):
        services.unit_attachment_add(unit_id=employer_a.unit_id, by=employer_a, upload=SimpleUploadedFile("a.pdf", PDF))


def test_another_employer_cannot_attach_to_my_unit(draft_unit, employer_b):
    with pytest.raises(PermissionDenied):
        services.unit_attachment_add(unit_id=draft_unit.pk, by=employer_b, upload=SimpleUploadedFile("a.pdf", PDF))


def test_city_cannot_move_a_unit_out_of_its_region(city_cc):
    unit = UnitFactory()
    chuanying = District.objects.get(region__code="jilin", name="船营区")
    with pytest.raises(ValidationError) as exc:
        services.unit_update(unit_id=unit.pk, by=city_cc, district=chuanying)
    assert messages_of(exc, "district") == ["只能选择长春市的区县。"]
    assert Unit.objects.get(pk=unit.pk).region.code == "changchun"


def test_unit_with_posts_keeps_its_region(new_employer):
    unit = services.unit_create(by=new_employer, **unit_values())
    PostFactory(unit=unit)
    chuanying = District.objects.get(region__code="jilin", name="船营区")
    with pytest.raises(ValidationError) as exc:
        services.unit_update(unit_id=unit.pk, by=new_employer, district=chuanying)
    assert messages_of(exc, "district") == ["本单位已有岗位，不能变更所在市（州）。"]
