"""Unit, post and placement imports: every rule comes from the owning app's services (check
digits, one unit per credit code, the allowance floor, eligibility, slots, the event order), the
preview writes nothing, re-importing changes nothing, and a city imports only into its region."""

import io
from datetime import date
from decimal import Decimal

import pytest

from exchange.imports import importer_for
from exchange.tests.helpers import xlsx_bytes
from jianxi_portal.core.models import District
from positions.models import Post
from positions.resources import PostResource
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement
from trainees.resources import PlacementResource
from trainees.tests.factories import TraineeFactory
from units.models import Unit
from units.resources import UnitResource
from units.tests.factories import ApprovedUnitFactory, UnitFactory, credit_code

pytestmark = pytest.mark.django_db


def run(register, rows, headers, user, dry_run=False):
    return importer_for(register).run(io.BytesIO(xlsx_bytes(rows, headers)), by=user, dry_run=dry_run)


def district_name(code="changchun"):
    return District.objects.filter(region__code=code).order_by("pk").first().name


def unit_row(n, **overrides):
    row = {
        "单位名称": f"导入单位{n}",
        "统一社会信用代码": credit_code(9000 + n),
        "单位性质": "民营企业",
        "所属行业": "制造业",
        "区县": district_name(),
        "地址": "人民大街100号",
        "联系人": "李四",
        "联系人手机号码": "13904310002",
        "职工人数": 120,
        "国有企业专栏": "否",
        "制造业名企专栏": "是",
        "互联网大厂专栏": "",
        "实习实训基地": "是",
        "单位简介": "",
    }
    row.update(overrides)
    return row


# Units --------------------------------------------------------------------------------------


def test_units_preview_then_import_then_reimport(city_cc):
    rows = [unit_row(1), unit_row(2), unit_row(3, 统一社会信用代码="91220101MA0000000X")]
    preview = run("units", rows, UnitResource.headers(), city_cc, dry_run=True)
    assert (preview.create, preview.invalid) == (2, 1)
    assert preview.errors[0].row == 4 and preview.errors[0].column == "统一社会信用代码"
    assert "校验位" in preview.errors[0].message or "字符" in preview.errors[0].message
    assert Unit.objects.filter(name__startswith="导入单位").count() == 0

    run("units", rows, UnitResource.headers(), city_cc)
    unit = Unit.objects.get(name="导入单位2")
    assert (unit.status, unit.region.code, unit.industry) == ("draft", "changchun", "C")
    assert unit.is_famous_manufacturer and unit.is_practice_base and not unit.is_state_owned
    again = run("units", rows, UnitResource.headers(), city_cc)
    assert (again.create, again.update, again.unchanged) == (0, 0, 2)


def test_unit_row_changed_updates_a_draft(city_cc):
    run("units", [unit_row(1)], UnitResource.headers(), city_cc)
    report = run("units", [unit_row(1, 地址="新地址8号")], UnitResource.headers(), city_cc)
    assert report.update == 1 and Unit.objects.get(name="导入单位1").address == "新地址8号"


def test_approved_unit_is_not_changed_by_import(city_cc):
    unit = ApprovedUnitFactory(credit_code=credit_code(9001), name="导入单位1", region_code="changchun")
    report = run("units", [unit_row(1, 地址="新地址8号")], UnitResource.headers(), city_cc)
    assert report.invalid == 1 and "草稿或已退回" in report.errors[0].message
    unit.refresh_from_db()
    assert unit.address != "新地址8号"


def test_city_cannot_import_a_unit_into_another_region(city_cc):
    report = run("units", [unit_row(1, 区县=district_name("jilin"))], UnitResource.headers(), city_cc)
    assert report.invalid == 1 and report.errors[0].column == "区县"
    assert not Unit.objects.filter(name="导入单位1").exists()


def test_credit_code_of_another_regions_unit_is_refused_without_naming_it(city_cc):
    UnitFactory(credit_code=credit_code(9001), region_code="jilin", name="吉林某公司")
    report = run("units", [unit_row(1)], UnitResource.headers(), city_cc)
    assert report.invalid == 1 and "已登记见习单位" in report.errors[0].message
    assert "吉林某公司" not in report.errors[0].message


# Posts --------------------------------------------------------------------------------------


def post_row(unit, **overrides):
    row = {
        "岗位编号": None,
        "单位统一社会信用代码": unit.credit_code,
        "岗位名称": "财务助理",
        "岗位类别": "管理",
        "岗位数（人）": 2,
        "见习期限（月）": 6,
        "单位发放生活补贴（元/月）": "1500",
        "工作地点（区县）": unit.district.name,
        "专业要求": "会计学",
        "学历要求": "本科",
        "岗位描述": "",
        "截止日期": None,
        "同时作为实习岗位": "否",
    }
    row.update(overrides)
    return row


def test_posts_import_with_the_allowance_floor_and_duration_from_the_service(city_cc, unit_a):
    rows = [
        post_row(unit_a),
        post_row(unit_a, 岗位名称="低补贴岗位", **{"单位发放生活补贴（元/月）": "100"}),
        post_row(unit_a, 岗位名称="超长岗位", **{"见习期限（月）": 24}),
    ]
    report = run("posts", rows, PostResource.headers(), city_cc)
    assert report.create == 1
    assert {(e.row, e.column) for e in report.errors} == {(3, "单位发放生活补贴（元/月）"), (4, "见习期限（月）")}
    assert "最低工资标准" in next(e.message for e in report.errors if e.row == 3)
    post = Post.objects.get(title="财务助理")
    assert (post.status, post.slots, post.allowance, post.unit) == ("draft", 2, Decimal("1500.00"), unit_a)
    again = run("posts", rows[:1], PostResource.headers(), city_cc)
    assert (again.create, again.unchanged) == (0, 1)


def test_post_import_refuses_another_regions_unit(city_cc, unit_b):
    report = run("posts", [post_row(unit_b)], PostResource.headers(), city_cc)
    assert report.invalid == 1 and report.errors[0].column == "单位统一社会信用代码"
    assert not Post.objects.exists()


def test_post_id_of_another_region_is_unknown(city_cc, unit_a, unit_b):
    other = ApprovedPostFactory(unit=unit_b)
    report = run("posts", [post_row(unit_a, 岗位编号=other.pk)], PostResource.headers(), city_cc)
    assert report.invalid == 1 and report.errors[0].column == "岗位编号"


# Placements ---------------------------------------------------------------------------------


def placement_row(trainee_number, post, **overrides):
    row = {h: None for h in PlacementResource.headers()}
    row.update(
        {
            "居民身份证号": trainee_number,
            "岗位编号": post.pk,
            "协议签订日期": "2026-03-01",
            "计划开始日期": "2026-03-01",
            "计划结束日期": "2026-08-31",
            "单位发放生活补贴（元/月）": "1500",
        }
    )
    row.update(overrides)
    return row


@pytest.fixture
def post_cc(unit_a):
    return ApprovedPostFactory(unit=unit_a, slots=1, allowance=Decimal("1500.00"))


def test_placement_with_events_start_end_outcome(city_cc, post_cc):
    trainee = TraineeFactory(id_number="220102200203040011")
    row = placement_row(
        trainee.id_number,
        post_cc,
        到岗日期="2026-03-02",
        结束方式="期满",
        结束日期="2026-08-31",
        期满去向="留用",
        去向登记日期="2026-09-01",
        劳动合同签订日期="2026-09-01",
        **{"劳动合同期限（月）": 24, "已缴纳社会保险": "是"},
    )
    preview = run("placements", [row], PlacementResource.headers(), city_cc, dry_run=True)
    assert (preview.create, preview.invalid) == (1, 0), preview.errors
    assert not Placement.objects.exists()
    run("placements", [row], PlacementResource.headers(), city_cc)
    placement = Placement.objects.get()
    assert (placement.status, placement.started_on, placement.end, placement.outcome) == (
        "ended",
        date(2026, 3, 2),
        "completed",
        "retained",
    )
    again = run("placements", [row], PlacementResource.headers(), city_cc)
    assert (again.create, again.update, again.unchanged) == (0, 0, 1)


def test_placement_events_added_by_a_later_file(city_cc, post_cc):
    trainee = TraineeFactory(id_number="220102200203040011")
    run("placements", [placement_row(trainee.id_number, post_cc)], PlacementResource.headers(), city_cc)
    assert Placement.objects.get().status == "planned"
    report = run(
        "placements",
        [placement_row(trainee.id_number, post_cc, 到岗日期="2026-03-02")],
        PlacementResource.headers(),
        city_cc,
    )
    assert report.update == 1 and Placement.objects.get().status == "on_duty"


def test_placement_slots_and_eligibility_come_from_the_service(city_cc, post_cc):
    first = TraineeFactory(id_number="220102200203040011")
    second = TraineeFactory(id_number="220102200203040038")
    old = TraineeFactory(id_number="220102199001010014", left_school_on=date(2015, 7, 1))
    rows = [
        placement_row(first.id_number, post_cc),
        placement_row(second.id_number, post_cc),  # the post has one slot
        placement_row(old.id_number, post_cc),  # left school 2015: not eligible in 2026
    ]
    report = run("placements", rows, PlacementResource.headers(), city_cc)
    assert report.create == 1
    assert [e.row for e in report.errors] == [3, 4]
    assert "离校已超过2年" in next(e.message for e in report.errors if e.row == 4)
    assert Placement.objects.count() == 1


def test_city_cannot_import_placements_on_another_regions_post(city_cc, unit_b):
    trainee = TraineeFactory(id_number="220102200203040011")
    post = ApprovedPostFactory(unit=unit_b, allowance=Decimal("1500.00"))
    report = run("placements", [placement_row(trainee.id_number, post)], PlacementResource.headers(), city_cc)
    assert report.invalid == 1 and report.errors[0].column == "岗位编号"
    assert not Placement.objects.exists()


def test_placement_for_another_regions_trainee_is_refused(city_cc, post_cc, jilin_region):
    trainee = TraineeFactory(id_number="220102200203040011", region=jilin_region)
    report = run("placements", [placement_row(trainee.id_number, post_cc)], PlacementResource.headers(), city_cc)
    assert report.invalid == 1 and report.errors[0].column == "居民身份证号"
