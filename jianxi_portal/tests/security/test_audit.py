"""Item 3 — audit: append-only on PostgreSQL, retention never purges rows younger than 6 months,
denied accesses recorded, province auditors search and export (+08:00, formulas neutralised),
admins cannot purge; no personal values."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import AnnualQuota, AuditLog, User


def old_row(days, event="old.event"):
    return AuditLog.objects.create(event=event, at=timezone.now() - timedelta(days=days))


@pytest.mark.postgres
def test_rows_cannot_be_updated_or_deleted_on_postgresql(db, figures):
    row = audit("test.event", detail={"n": 1})
    attempts = {
        "orm update": lambda: AuditLog.objects.filter(pk=row.pk).update(result="denied"),
        "orm save": lambda: (setattr(row, "result", "x"), row.save()),
        "orm delete": lambda: AuditLog.objects.filter(pk=row.pk).delete(),
        "sql delete": lambda: connection.cursor().execute("DELETE FROM jianxi_portal_auditlog"),
        "sql update": lambda: connection.cursor().execute("UPDATE jianxi_portal_auditlog SET event = 'x'"),
        "purge flag on a young row": lambda: connection.cursor().execute(
            "SET LOCAL jianxi.audit_purge = 'on'; DELETE FROM jianxi_portal_auditlog"
        ),
    }
    refused = 0
    for attempt in attempts.values():
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
        refused += 1
    row.refresh_from_db()
    assert (row.event, row.result) == ("test.event", "ok")
    figures.add(
        "3",
        f"append-only (PostgreSQL trigger): {refused} of {len(attempts)} update/delete attempts refused, row unchanged",
    )


def database_now() -> datetime:
    """The database's own clock: PostgreSQL's append-only trigger judges a row's age by it, and a
    shifted test clock (README, "The suite on any date") cannot move it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        value = cursor.fetchone()[0]
    return value if isinstance(value, datetime) else datetime.fromisoformat(value).replace(tzinfo=UTC)


@pytest.mark.postgres
def test_purge_deletes_only_rows_older_than_six_months_on_postgresql(db, figures):
    # The rows' ages and purge_audit's cutoff are counted from the database's clock, as the trigger's.
    with time_machine.travel(database_now(), tick=False):
        old_row(400), old_row(184)
        young = [old_row(182), old_row(30), old_row(0)]
        call_command("purge_audit", stdout=io.StringIO())
    remaining = set(AuditLog.objects.exclude(event="audit.purge").values_list("pk", flat=True))
    assert remaining == {r.pk for r in young}
    assert AuditLog.objects.get(event="audit.purge").detail["deleted"] == 2
    figures.add("3", "retention purge (PostgreSQL): 2 rows older than 183 days deleted, 3 younger kept")


def test_purge_keeps_six_months_on_any_database(db):
    with time_machine.travel(database_now(), tick=False):  # the trigger's clock, on PostgreSQL
        old_row(200)
        kept = old_row(100)
        call_command("purge_audit", stdout=io.StringIO())
    assert set(AuditLog.objects.exclude(event="audit.purge").values_list("pk", flat=True)) == {kept.pk}


def test_purge_refuses_a_retention_shorter_than_183_days(db):
    old_row(100)
    with pytest.raises(CommandError, match="不得少于 183 天"):
        call_command("purge_audit", days=90)
    assert AuditLog.objects.count() == 1


def test_audit_details_never_hold_id_or_mobile_numbers(db, figures):
    row = audit(
        "login.failure", result="failed", detail={"username": "220102199001011234", "note": ["call 13912345678"]}
    )
    assert row.detail == {"username": "220102********1234", "note": ["call 139****5678"]}
    figures.add("3", "audit detail: an ID number and a mobile typed as a username stored masked")


def test_denied_page_access_is_audited(client_for, city_cc, figures):
    assert client_for(city_cc).get("/security/audit/").status_code == 403
    row = AuditLog.objects.get(event="access.denied")
    assert (row.user, row.result, row.detail) == (
        city_cc,
        "denied",
        {"method": "GET", "path": "/security/audit/", "status": 403},
    )
    assert row.region_code == "changchun" and row.request_id


def test_another_regions_object_404_is_audited_on_the_api(api_for, city_cc, figures):
    foreign = AnnualQuota.objects.filter(region__code="jilin").first()
    assert api_for(city_cc).get(f"/api/v1/quotas/{foreign.pk}/").status_code == 404
    row = AuditLog.objects.get(event="access.denied")
    assert (row.user, row.detail["status"]) == (city_cc, 404)
    figures.add("3", "denied access: a page 403 and another region's API object (404) each leave one audit row")


def test_a_refusal_shown_as_a_message_is_audited_although_the_service_rolled_back(rf, city_cc, figures):
    """Buttons run services through `perform`, which shows a refusal as a message (no 403 for the
    middleware) after the service's transaction, and the audit row it wrote there, rolled back."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import PermissionDenied

    from jianxi_portal.core.views_review import perform

    def refused():
        with transaction.atomic():
            audit("review.denied", user=city_cc, result="denied")
            raise PermissionDenied("您无权对该事项执行此操作。")

    request = rf.post("/manage/units/1/submit/")
    request.user, request.session = city_cc, {}
    request._messages = FallbackStorage(request)
    assert perform(request, refused, "已提交。") is False
    rows = list(AuditLog.objects.filter(result="denied"))
    assert [(r.event, r.detail["path"], r.detail["status"]) for r in rows] == [
        ("access.denied", "/manage/units/1/submit/", 403)
    ]
    figures.add("3", "denied action shown as a message (service rolled back): one access.denied row kept")


def test_anonymous_404_is_not_audited(client, db):
    client.get("/no-such-page/")
    assert not AuditLog.objects.filter(event="access.denied").exists()


def test_browser_requests_for_a_favicon_are_not_audited(client_for, city_cc):
    client_for(city_cc).get("/favicon.ico")
    assert not AuditLog.objects.filter(event="access.denied").exists()


def test_role_change_is_audited(city_cc, jilin_region):
    user = User.objects.get(pk=city_cc.pk)
    user.region = jilin_region
    user.save()
    row = AuditLog.objects.get(event="user.permission_change")
    assert row.detail == {"changes": {"region_id": [city_cc.region_id, jilin_region.pk]}}


# A fixed instant (10:00 Beijing): the rows a day and three days back, and the date filters, never
# depend on the hour the suite runs.
@time_machine.travel(datetime(2026, 12, 3, 2, tzinfo=UTC), tick=False)
def test_province_searches_the_log(client_for, province_user, city_cc, city_jl):
    three_days_ago = timezone.now() - timedelta(days=3)
    AuditLog.objects.create(event="login.success", user=city_cc, username="city_cc", at=three_days_ago)
    AuditLog.objects.create(
        event="login.failure", username="city_cc", result="failed", at=timezone.now() - timedelta(days=1)
    )
    AuditLog.objects.create(event="access.denied", user=city_jl, username="city_jl", result="denied")
    client = client_for(province_user)

    def events(query):
        page = client.get(f"/security/audit/?{query}")
        assert page.status_code == 200
        return [r.event for r, _, _ in page.context["rows"] if r.event != "login.success" or r.username != "province_t"]

    assert events("username=city_cc") == ["login.failure", "login.success"]
    assert events("event=login&result=failed") == ["login.failure"]
    two_days_ago = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert events(f"username=city&date_from={two_days_ago}") == ["access.denied", "login.failure"]
    assert events(f"username=city&date_to={two_days_ago}") == ["login.success"]
    assert "+08:00" in client.get("/security/audit/").content.decode()


@pytest.mark.parametrize("who", ["admin_user", "city_cc", "employer_a", "youth"])
def test_only_province_auditors_open_the_log(request, db, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/security/audit/").status_code == 403
    assert client.get("/security/audit/export/").status_code == 403


def test_export_is_xlsx_with_beijing_times_and_formulas_neutralised(client_for, province_user, figures):
    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "plain"]
    for name in hostile:
        AuditLog.objects.create(event="login.failure", username=name, result="failed")
    response = client_for(province_user).get("/security/audit/export/?event=login.failure")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间（北京时间）" and len(rows) == 1 + len(hostile)
    usernames = sorted(r[1] for r in rows[1:])
    assert usernames == sorted(["'" + h for h in hostile[:4]] + ["plain"])
    assert all(r[0].endswith("+08:00") and r[6:8] == ("登录失败", "login.failure") for r in rows[1:])
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    export = AuditLog.objects.get(event="audit.export")
    assert export.detail["rows"] == 5 and export.user == province_user
    figures.add(
        "3",
        f"export: {len(rows) - 1} rows, times +08:00, 4 of 4 formula-like usernames neutralised, "
        "0 formula cells; the export itself audited",
    )


def test_admin_site_shows_the_log_read_only(client_for, admin_user):
    row = audit("test.event")
    admin = client_for(admin_user)
    assert admin.get("/admin/jianxi_portal/auditlog/").status_code == 200
    assert admin.get(f"/admin/jianxi_portal/auditlog/{row.pk}/delete/").status_code == 403
    response = admin.post("/admin/jianxi_portal/auditlog/", {"action": "delete_selected", "_selected_action": [row.pk]})
    assert response.status_code in (200, 302) and AuditLog.objects.filter(pk=row.pk).exists()
    assert admin.post(f"/admin/jianxi_portal/auditlog/{row.pk}/change/", {"event": "x"}).status_code == 403
