"""Exports: the user's scope, the list page's filters, masked ID numbers, formula injection
neutralised, large exports as jobs."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from exchange import exports
from exchange.models import Job
from jianxi_portal.core.models import AuditLog
from jianxi_portal.core.spreadsheets import neutralise
from positions.tests.factories import ApprovedPostFactory, PostFactory
from subsidies.tests.factories import ClaimFactory, DisbursementFactory
from trainees.tests.factories import PlacementFactory, TraineeFactory
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def export(client, register, **params):
    response = client.get(reverse("exchange:export", args=[register]), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return sheet_rows(response)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("张三", "张三"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_formula_injection_is_neutralised_in_the_file(client_for, city_cc):
    UnitFactory(name='=HYPERLINK("http://evil.example","点我")', region_code="changchun")
    UnitFactory(name="@SUM(1+1)", region_code="changchun", address="-2+3")
    rows = export(client_for(city_cc), "units")
    names = sorted(r[0] for r in rows[1:])
    assert names == ['\'=HYPERLINK("http://evil.example","点我")', "'@SUM(1+1)"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client_for(city_cc).get(reverse("exchange:export", args=["units"])).streaming_content))
    )
    cells = [c for row in workbook.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)


def test_city_exports_only_its_region_units(client_for, city_cc, unit_a, unit_b):
    rows = export(client_for(city_cc), "units", q="单位")
    assert rows[0][:2] == ("单位名称", "统一社会信用代码")
    assert [r[0] for r in rows[1:]] == ["长春甲单位"]
    log = AuditLog.objects.get(event="exchange.export")
    # its own region's unit: contact phone and bank account in full, counted (never the values)
    assert log.detail == {"register": "units", "rows": 1, "full_phones": 1, "full_bank_accounts": 1}
    assert unit_a.contact_phone not in str(log.detail)


def test_province_exports_every_region_and_filters_apply(client_for, province_user, unit_a, unit_b):
    UnitFactory(name="长春草稿单位", region_code="changchun")
    client = client_for(province_user)
    assert sorted(r[0] for r in export(client, "units")[1:]) == ["吉林乙单位", "长春甲单位", "长春草稿单位"]
    assert [r[0] for r in export(client, "units", status="approved", region="jilin")[1:]] == ["吉林乙单位"]


def test_employer_exports_only_its_unit_posts(client_for, employer_a, unit_a, unit_b):
    PostFactory(unit=unit_a, title="甲的岗位")
    PostFactory(unit=unit_b, title="乙的岗位")
    rows = export(client_for(employer_a), "posts")
    assert [r[5] for r in rows[1:]] == ["甲的岗位"]


def test_post_filters_of_the_list_apply(client_for, city_cc, unit_a):
    ApprovedPostFactory(unit=unit_a, title="已发布")
    PostFactory(unit=unit_a, title="草稿")
    assert [r[5] for r in export(client_for(city_cc), "posts", status="approved")[1:]] == ["已发布"]
    assert [r[5] for r in export(client_for(city_cc), "posts", q="草")[1:]] == ["草稿"]


def test_trainee_id_numbers_masked_for_province(client_for, province_user):
    TraineeFactory(id_number="220102200203040011")
    rows = export(client_for(province_user), "trainees")
    assert rows[1][1] == "220102********0011"


def test_trainee_full_id_numbers_for_own_city_only_and_audited(client_for, city_cc, unit_a, jilin_region):
    TraineeFactory(id_number="220102200203040011", name="本市人员")
    other = TraineeFactory(id_number="220102200203040038", name="外市人员", region=jilin_region)
    PlacementFactory(trainee=other, post=ApprovedPostFactory(unit=unit_a), allowance=Decimal("1500"))
    rows = {r[0]: r[1] for r in export(client_for(city_cc), "trainees")[1:]}
    assert rows == {"本市人员": "220102200203040011", "外市人员": "220102********0038"}
    log = AuditLog.objects.get(event="exchange.export")
    assert (log.user, log.detail) == (
        city_cc,
        {"register": "trainees", "rows": 2, "full_id_numbers": 1, "full_phones": 1},
    )
    assert "220102200203040011" not in str(log.detail)


def test_city_cannot_export_another_regions_trainees(client_for, city_jl):
    TraineeFactory(name="长春人员")
    assert export(client_for(city_jl), "trainees")[1:] == []


def test_placements_export_scoped_and_filtered(client_for, city_cc, unit_a, unit_b):
    for unit, name in ((unit_a, "甲"), (unit_b, "乙")):
        post = ApprovedPostFactory(unit=unit)
        PlacementFactory(post=post, trainee=TraineeFactory(name=name), allowance=Decimal("1500"))
    rows = export(client_for(city_cc), "placements")
    assert [r[0] for r in rows[1:]] == ["甲"] and rows[1][1].count("*") == 8
    assert export(client_for(city_cc), "placements", status="ended")[1:] == []


def test_claims_and_payments_exports_are_scoped(client_for, city_jl, unit_a, unit_b):
    ClaimFactory(unit=unit_a)
    DisbursementFactory(claim__unit=unit_a)
    DisbursementFactory(claim__unit=unit_b)  # and its approved claim
    assert [r[1] for r in export(client_for(city_jl), "claims")[1:]] == ["吉林乙单位"]
    assert [r[2] for r in export(client_for(city_jl), "disbursements")[1:]] == ["吉林乙单位"]


def test_youth_cannot_export(client_for, youth):
    response = client_for(youth).get(reverse("exchange:export", args=["units"]))
    assert response.status_code == 403


def test_unknown_register_is_404(client_for, city_cc):
    assert client_for(city_cc).get(reverse("exchange:export", args=["nothing"])).status_code == 404


def test_large_export_runs_as_a_job_with_a_download_for_its_owner_only(
    client_for, city_cc, city_jl, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    from exchange import views

    monkeypatch.setattr(views, "DIRECT_LIMIT", 1)
    for n in range(3):
        UnitFactory(name=f"单位{n}", region_code="changchun")
    client = client_for(city_cc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("exchange:export", args=["units"]), {"status": "draft"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exchange:job", args=[job.pk])
    assert (job.status, job.result["rows"], job.progress_total, job.params["filters"]) == (
        "done",
        3,
        3,
        {"status": ["draft"]},
    )
    download = client.get(reverse("exchange:job_download", args=[job.pk]))
    assert len(sheet_rows(download)) == 4
    other = client_for(city_jl)
    for name in ("exchange:job", "exchange:job_status", "exchange:job_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_large_export_searched_by_phone_keeps_the_search_encrypted_in_the_job(
    client_for, city_cc, monkeypatch, django_capture_on_commit_callbacks
):
    from exchange import views

    monkeypatch.setattr(views, "DIRECT_LIMIT", 0)
    TraineeFactory(phone="13904319911", name="按手机号找到")
    TraineeFactory(phone="13904319912", name="另一人")
    client = client_for(city_cc)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("exchange:export", args=["trainees"]), {"q": "13904319911"})
    job = Job.objects.get()
    assert "13904319911" not in str(job.params) and set(job.params["filters"]) == {"q_sealed"}
    rows = sheet_rows(client.get(reverse("exchange:job_download", args=[job.pk])))
    assert [(r[0], r[4]) for r in rows[1:]] == [("按手机号找到", "13904319911")]  # found through the digest


@pytest.mark.parametrize(
    "page, register, importable",
    [
        ("unit_manage_list", "units", True),
        ("post_manage_list", "posts", True),
        ("trainees:trainee_list", "trainees", True),
        ("claim_list", "claims", False),
    ],
)
def test_list_pages_link_their_export_with_the_current_filters(client_for, city_cc, page, register, importable):
    html = client_for(city_cc).get(reverse(page), {"status": "draft"}).content.decode()
    assert f'href="{reverse("exchange:export", args=[register])}?status=draft"' in html
    assert (f'href="{reverse("exchange:import", args=[register])}"' in html) is importable


def test_placement_list_download_is_neutralised_too(client_for, city_cc, unit_a):
    """The placement page's own download (trainees/exports.py) shares the neutralisation."""
    post = ApprovedPostFactory(unit=unit_a, title="=cmd|' /C calc'!A0")
    PlacementFactory(post=post, trainee=TraineeFactory(name="@SUM(1)"), allowance=Decimal("1500"))
    response = client_for(city_cc).get(reverse("trainees:placement_list"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in workbook.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert "'@SUM(1)" in values and "'=cmd|' /C calc'!A0" in values
