"""Item 4 — personal data: pages are not cached; no log line carries an ID number, a mobile or a bank
card number; every personal column is encrypted (the inventory); values are masked by role and
every full view is audited, in pages, the API and exports; a PostgreSQL dump holds none of the
seeded values in plaintext; task messages carry ids only."""

import logging
import logging.config
import re

import pytest
from django.apps import apps
from django.db.models import CharField, TextField
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from jianxi_portal.core import personal
from jianxi_portal.core.models import AuditLog
from jianxi_portal.core.privacy import ScrubPersonalDataFilter, no_store, scrub
from positions.tests.factories import ApprovedPostFactory

ID_NUMBER = "22010219900101123X"
MOBILE = "13912345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"trainee {ID_NUMBER} placed", "trainee 220102********123X placed"),
        ("id=220102199001011234;", "id=220102********1234;"),
        (f"phone {MOBILE}, alt +86 13812345678", "phone 139****5678, alt 138****5678"),
        (
            "order 12345678901234567890 and 2026-11-27",
            "order 12345678901234567890 and 2026-11-27",
        ),  # 20 digits: not an ID
        ("paid to 6222020012345678 / 6217000012345678901", "paid to 6222********5678 / 6217***********8901"),  # cards
        ("amount 1880.00, slots 12", "amount 1880.00, slots 12"),
    ],
)
def test_scrub_masks_id_mobile_and_bank_card_numbers_only(text, expected):
    assert scrub(text) == expected


def _capture(logger_name):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(ScrubPersonalDataFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    return logger, handler, records


def test_log_filter_scrubs_messages_arguments_and_tracebacks(figures):
    logger, handler, records = _capture("jianxi.test.scrub")
    try:
        logger.warning("import row failed for %s (%s)", ID_NUMBER, MOBILE)
        logger.warning({"id_number": ID_NUMBER})
        try:
            raise ValueError(f"bad id {ID_NUMBER}")
        except ValueError:
            logger.exception("while importing %s", MOBILE)
    finally:
        logger.removeHandler(handler)
    text = "\n".join(records)
    assert ID_NUMBER not in text and MOBILE not in text
    assert text.count("220102********123X") == 3 and text.count("139****5678") == 2
    figures.add(
        "4",
        f"log filter: {len(records)} records with ID and mobile numbers in message, arguments and "
        "traceback → 0 raw values",
    )


def test_settings_put_the_filter_on_every_handler():
    from jianxi_portal import settings as base

    handlers = base.LOGGING["handlers"]
    assert handlers and all("scrub_personal" in h.get("filters", []) for h in handlers.values())
    config = {**base.LOGGING, "root": {"handlers": [], "level": "INFO"}}
    logging.config.dictConfig({**config, "disable_existing_loggers": False})  # the configuration is valid


def test_no_store_decorator():
    @no_store
    def view(request):
        return HttpResponse("个人信息")

    response = view(RequestFactory().get("/"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_every_signed_in_response_is_no_store_including_the_api(client_for, api_for, city_cc, employer_a, figures):
    pages = {
        "/": client_for(city_cc).get("/"),
        "/annex1/": client_for(city_cc).get("/annex1/"),
        "/accounts/security/": client_for(employer_a).get("/accounts/security/"),
        "/api/v1/regions/": api_for(employer_a).get("/api/v1/regions/"),
    }
    assert all("no-store" in r["Cache-Control"] for r in pages.values()), {
        p: r.get("Cache-Control") for p, r in pages.items()
    }
    figures.add("4", f"Cache-Control: no-store on {len(pages)} of {len(pages)} signed-in responses (pages and API)")


# =============================================================================================
# Encrypted at rest, masked by role, every unmasking audited, nothing personal in task messages


def test_every_personal_column_of_every_table_is_encrypted_history_tables_included(figures):
    """The inventory, as a test: a character column whose name or label says phone, ID number or
    bank account must be one of the stored columns of an `Encrypted` field (ciphertext, digest,
    masked copy) of its model, or of the model a history table copies."""
    stored = {(model, column) for (model, _), field in personal.FIELDS.items() for column in field.column_names}
    models = apps.get_models(include_auto_created=True)
    found, plaintext = [], []
    for model in models:
        origin = getattr(model, "instance_type", model)._meta.label_lower  # simple-history's copy
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField | TextField):
                continue
            if PERSONAL_NAME.search(field.name) or PERSONAL_LABEL.search(str(field.verbose_name)):
                found.append((model._meta.label_lower, field.name))
                if (origin, field.name) not in stored:
                    plaintext.append(f"{model._meta.label_lower}.{field.name}")
    assert plaintext == []
    history = [m for m in models if hasattr(m, "instance_type")]
    owners = sorted({m for m, _ in personal.FIELDS})
    figures.add(
        "4",
        f"inventory: {len(personal.FIELDS)} personal fields on {len(owners)} models "
        f"({', '.join(f'{m}.{f}' for m, f in sorted(personal.FIELDS))}) stored as ciphertext + keyed "
        f"digest + masked copy; {len(found)} personal columns found in {len(models)} tables "
        f"({len(history)} history tables included), 0 of them plaintext",
    )


PERSONAL_NAME = re.compile(r"phone|mobile|id_number|id_card|idcard|bank_account|account_no|card_no", re.I)
PERSONAL_LABEL = re.compile(r"电话|手机|身份证|银行账号|银行卡|卡号")

ROLES = ("employer_a", "employer_b", "city_cc", "city_jl", "province_user", "admin_user", "youth")
# Who reads each field in full (DESIGN: the people whose work needs it); every other role: masked.
FULL = {
    ("trainees.trainee", "id_number"): {"city_cc"},
    ("trainees.trainee", "phone"): {"city_cc"},
    ("trainees.mentor", "phone"): {"employer_a", "city_cc"},
    ("units.unit", "contact_phone"): {"employer_a", "city_cc"},
    ("units.unit", "bank_account"): {"employer_a", "city_cc"},
    ("jianxi_portal.user", "phone"): {"employer_a"},  # employer_a's own account
    ("reports.monthlyreport", "reporter_phone"): {"city_cc", "province_user"},
}
VALUES = {
    ("trainees.trainee", "id_number"): "220102200203040025",
    ("trainees.trainee", "phone"): "13904315502",
    ("trainees.mentor", "phone"): "13904315503",
    ("units.unit", "contact_phone"): "13904315501",
    ("units.unit", "bank_account"): "6222020015501234",
    ("jianxi_portal.user", "phone"): "13904315505",
    ("reports.monthlyreport", "reporter_phone"): "13904315504",
}


@pytest.fixture
def world(unit_a, employer_a, city_cc):
    """One record of each kind with its own values: unit A (contact phone, bank account), its
    mentor, a trainee of 长春市 on duty at unit A under that mentor, employer A's own phone, and
    长春市's submitted report for May 2022."""
    from reports import services as report_services
    from reports.indicators import Period
    from trainees.models import Mentor
    from trainees.tests.factories import OnDutyPlacementFactory, TraineeFactory

    unit_a.contact_phone = VALUES[("units.unit", "contact_phone")]
    unit_a.bank_account = VALUES[("units.unit", "bank_account")]
    unit_a.save()
    employer_a.phone = VALUES[("jianxi_portal.user", "phone")]
    employer_a.save()
    mentor = Mentor.objects.create(
        unit=unit_a, name="带教王", position="工程师", phone=VALUES[("trainees.mentor", "phone")]
    )
    trainee = TraineeFactory(
        id_number=VALUES[("trainees.trainee", "id_number")],
        phone=VALUES[("trainees.trainee", "phone")],
        name="隐私测试人",
    )
    post = ApprovedPostFactory(unit=unit_a)
    placement = OnDutyPlacementFactory(trainee=trainee, post=post, mentor=mentor)
    report = report_services.report_prepare(region_id=city_cc.region_id, period=Period(2022, 5), by=city_cc)
    report = report_services.report_submit(
        report_id=report.pk,
        reporter_name="王经办",
        reporter_phone=VALUES[("reports.monthlyreport", "reporter_phone")],
        by=city_cc,
    )
    return {
        "units.unit": unit_a,
        "jianxi_portal.user": employer_a,
        "trainees.mentor": mentor,
        "trainees.trainee": trainee,
        "reports.monthlyreport": report,
        "placement": placement,
    }


def _views(since: int):
    return AuditLog.objects.filter(pk__gt=since, event__endswith=".view")


def _last_audit() -> int:
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_masking_follows_the_role_by_field_table_and_each_full_value_leaves_one_audit_row(request, world, figures):
    start, full, masked = _last_audit(), 0, 0
    for (model, name), holders in FULL.items():
        obj, value = world[model], VALUES[(model, name)]
        for role in ROLES:
            user = request.getfixturevalue(role)
            before = _last_audit()
            shown = personal.shown(user, obj, name, via="test")
            rows = list(_views(before))
            if role in holders:
                full += 1
                assert (shown, shown.full) == (value, True), (model, name, role)
                assert [(r.event, r.object_type, r.object_id, r.user_id) for r in rows] == [
                    (f"{personal.field_of(obj, name).kind.name}.view", model, str(obj.pk), user.pk)
                ]
            else:
                masked += 1
                assert shown == personal.field_of(obj, name).kind.mask(value) and not shown.full, (model, name, role)
                assert rows == []
    logged = list(_views(start))
    assert len(logged) == full
    assert not any(v in str(r.__dict__) for r in logged for v in VALUES.values())
    figures.add(
        "4",
        f"masking by role: {len(FULL)} fields × {len(ROLES)} roles = {full + masked} cells as the table "
        f"says: {full} full (each exactly one audit row naming the object, no value), {masked} masked "
        "(no audit row)",
    )


def _client(user):
    from django.test import Client

    from accounts.twofactor import verify_test_client

    client = Client()
    client.force_login(user)
    verify_test_client(client, user)
    return client


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


# (channel, how to ask, record, fields shown, roles shown them in full, roles shown them masked)
CHANNELS = [
    (
        "unit page",
        "page",
        lambda w: reverse("unit_detail", args=[w["units.unit"].pk]),
        "units.unit",
        ("contact_phone", "bank_account"),
        ("employer_a", "city_cc"),
        ("province_user", "admin_user"),
    ),
    (
        "unit API",
        "api",
        lambda w: f"/api/v1/units/{w['units.unit'].pk}/",
        "units.unit",
        ("contact_phone", "bank_account"),
        ("employer_a", "city_cc"),
        ("province_user", "admin_user"),
    ),
    (
        "trainee page",
        "page",
        lambda w: reverse("trainees:trainee_detail", args=[w["trainees.trainee"].pk]),
        "trainees.trainee",
        ("id_number", "phone"),
        ("city_cc",),
        ("employer_a", "province_user"),
    ),
    (
        "trainee API",
        "api",
        lambda w: f"/api/v1/trainees/{w['trainees.trainee'].pk}/",
        "trainees.trainee",
        ("id_number", "phone"),
        ("city_cc",),
        ("employer_a", "province_user"),
    ),
    (
        "mentor list page",
        "page",
        lambda w: reverse("trainees:mentor_list"),
        "trainees.mentor",
        ("phone",),
        ("employer_a",),
        (),
    ),
    (
        "mentor API",
        "api",
        lambda w: f"/api/v1/mentors/{w['trainees.mentor'].pk}/",
        "trainees.mentor",
        ("phone",),
        ("employer_a", "city_cc"),
        ("province_user",),
    ),
    (
        "placement page (mentor)",
        "page",
        lambda w: reverse("trainees:placement_detail", args=[w["placement"].pk]),
        "trainees.mentor",
        ("phone",),
        ("employer_a", "city_cc"),
        ("province_user",),
    ),
    (
        "Annex 2 report page",
        "page",
        lambda w: "/reports/annex2/2022/5/changchun/",
        "reports.monthlyreport",
        ("reporter_phone",),
        ("city_cc", "province_user"),
        (),
    ),
    (
        "Annex 2 API",
        "api",
        lambda w: f"/api/v1/reports/annex2/{w['reports.monthlyreport'].pk}/",
        "reports.monthlyreport",
        ("reporter_phone",),
        ("city_cc", "province_user"),
        (),
    ),
    (
        "unit export",
        "export:units",
        None,
        "units.unit",
        ("contact_phone", "bank_account"),
        ("city_cc",),
        ("province_user",),
    ),
    (
        "trainee export",
        "export:trainees",
        None,
        "trainees.trainee",
        ("id_number", "phone"),
        ("city_cc",),
        ("province_user",),
    ),
]


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        import openpyxl

        content = b"".join(response.streaming_content)
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    return response.content.decode()


def test_pages_api_and_exports_show_full_values_only_to_holders_each_view_audited(request, world, figures):
    requests_, shown_full, shown_masked = 0, 0, 0
    for channel, how, url, model, names, full_roles, masked_roles in CHANNELS:
        obj = world[model]
        for role in (*full_roles, *masked_roles):
            user = request.getfixturevalue(role)
            before = _last_audit()
            if how.startswith("export:"):
                response = _client(user).get(reverse("exchange:export", args=[how.split(":")[1]]))
            else:
                response = (_api(user) if how == "api" else _client(user)).get(url(world))
            assert response.status_code == 200, (channel, role, response.status_code)
            body, requests_ = _body(response), requests_ + 1
            rows = list(_views(before))
            for name in names:
                value = VALUES[(model, name)]
                kind = personal.field_of(obj, name).kind
                if role in full_roles:
                    shown_full += 1
                    assert value in body, (channel, role, name)
                    if how.startswith("export:"):  # one row per export, with the count of full values
                        export = AuditLog.objects.filter(pk__gt=before, event="exchange.export").get()
                        assert export.detail[f"full_{kind.name}s"] >= 1, (channel, role, name)
                    else:
                        assert [
                            (r.object_type, r.object_id)
                            for r in rows
                            if r.event == kind.event and r.detail.get("field", kind.name) == name
                        ] == [(model, str(obj.pk))], (channel, role)
                else:
                    shown_masked += 1
                    assert value not in body and kind.mask(value) in body, (channel, role, name)
            if role in masked_roles:
                assert rows == [], (channel, role)
            written = AuditLog.objects.filter(pk__gt=before)
            assert not any(v in str(r.__dict__) for r in written for v in VALUES.values())
    figures.add(
        "4",
        f"unmasking in pages, API and exports: {len(CHANNELS)} channels, {requests_} requests by role: "
        f"{shown_full} full values shown to holders, each with an audit row (export: one row counting "
        f"them), no value in any row; {shown_masked} shown masked, no audit row",
    )


TEMPLATE_PERSONAL = re.compile(r"\{\{[^}]*\.(id_number|phone|contact_phone|reporter_phone|bank_account)\s*(\||\}\})")


def test_no_template_prints_a_personal_value_without_the_rule():
    """Templates print `<field>_masked` or ask `{% personal obj "field" %}`; never `{{ obj.phone }}`."""
    from django.conf import settings as django_settings

    root = django_settings.BASE_DIR / "templates"
    offenders = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.rglob("*.html")
        for m in TEMPLATE_PERSONAL.finditer(path.read_text(encoding="utf-8"))
        if "errors." not in m.group(0)
    ]  # a form's messages about the field, not its value
    assert offenders == []


def test_no_api_serializer_reads_a_personal_value_except_through_the_rule():
    from jianxi_portal.core.api import router
    from jianxi_portal.core.api_base import PersonalField

    checked, offenders = 0, []
    for _, viewset, _ in router.registry:
        classes = {getattr(viewset, "serializer_class", None)}
        for action in ("list", "retrieve", "create", "partial_update"):
            view = viewset(action=action, request=None, format_kwarg=None, kwargs={})
            try:
                classes.add(view.get_serializer_class())
            except Exception:  # a viewset without a serializer for that action
                pass
        for cls in filter(None, classes):
            model = getattr(getattr(cls, "Meta", None), "model", None)
            if model is None:
                continue
            for name, field in cls().fields.items():
                checked += 1
                source = name if field.source in (None, "*") else field.source
                owner, last = _owner(model, source)
                if (
                    owner is not None
                    and (owner._meta.label_lower, last) in personal.FIELDS
                    and not isinstance(field, PersonalField)
                ):
                    offenders.append(f"{cls.__name__}.{name}")
    assert checked > 100 and offenders == []


def _owner(model, source: str):
    *path, last = source.split(".")
    for part in path:
        try:
            model = model._meta.get_field(part).related_model
        except Exception:
            return None, last
        if model is None:
            return None, last
    return model, last


# ---------------------------------------------------------------------------------------------
# A dump of the PostgreSQL database holds none of the seeded values


N_UNITS, N_TRAINEES, N_API_TRAINEES, N_IMPORTED = 20, 25, 5, 10
PASSWORD = "Jianxi#Privacy-2026"


def _seed(city_cc) -> dict[str, list[str]]:
    """Through the services, the API and one import, as people would: employers register (phone),
    register their units (contact phone, bank account) and add mentors through the API; the city
    registers trainees through the service and the API and imports more; it submits a monthly
    report (reporter's phone). Returns the plaintext values seeded, by kind."""
    from datetime import date

    from rest_framework.test import APIClient

    from exchange.imports import importer_for
    from exchange.tests.helpers import id_number, trainee_row, xlsx_bytes
    from jianxi_portal.tests.factories import district
    from reports import services as report_services
    from reports.indicators import Period
    from trainees.services.register import trainee_create
    from units import services as unit_services
    from units.tests.factories import credit_code

    seeded: dict[str, list[str]] = {"id_number": [], "phone": [], "bank_account": []}
    place = district("changchun")
    for i in range(N_UNITS):
        phones = [f"1370431{i:04d}", f"1380431{i:04d}", f"1350431{i:04d}"]  # account, unit contact, mentor
        account = f"6217{(i * 7919 + 104729) % 10**12:012d}"
        employer = unit_services.employer_account_create(
            username=f"dump_employer_{i}", password=PASSWORD, name=f"经办人{i}", phone=phones[0]
        )
        unit_services.unit_create(
            by=employer,
            name=f"脱敏测试单位{i}",
            credit_code=credit_code(7000 + i),
            unit_type="private",
            industry="I",
            region=place.region,
            district=place,
            address="人民大街1号",
            contact_name=f"联系人{i}",
            contact_phone=phones[1],
            bank_name="中国建设银行长春分行",
            bank_account=account,
            employee_count=20,
        )
        employer.refresh_from_db()
        api = APIClient()
        api.force_authenticate(employer)
        response = api.post(
            "/api/v1/mentors/", {"name": f"带教{i}", "position": "工程师", "phone": phones[2]}, format="json"
        )
        assert response.status_code == 201, response.content
        seeded["phone"] += phones
        seeded["bank_account"].append(account)
    profile = {"category": "college_graduate", "school": "吉林大学", "left_school_on": date(2025, 7, 1)}
    for i in range(N_TRAINEES):
        number, phone = id_number(date(2001, 5, 6), i), f"1360431{i:04d}"
        trainee_create(by=city_cc, name=f"脱敏见习生{i}", id_number=number, phone=phone, **profile)
        seeded["id_number"].append(number)
        seeded["phone"].append(phone)
    api = APIClient()
    api.force_authenticate(city_cc)
    for i in range(N_API_TRAINEES):
        number, phone = id_number(date(2001, 7, 8), i), f"1330431{i:04d}"
        response = api.post(
            "/api/v1/trainees/",
            {"name": f"接口见习生{i}", "id_number": number, "phone": phone, **profile, "left_school_on": "2025-07-01"},
            format="json",
        )
        assert response.status_code == 201, response.content
        seeded["id_number"].append(number)
        seeded["phone"].append(phone)
    rows = [
        trainee_row(i, name=f"导入见习生{i}", number=id_number(date(2002, 9, 10), i), 手机号码=f"1590431{i:04d}")
        for i in range(N_IMPORTED)
    ]
    import io

    report = importer_for("trainees").run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=False)
    assert report.create == N_IMPORTED, report.as_dict()
    seeded["id_number"] += [r["居民身份证号"] for r in rows]
    seeded["phone"] += [r["手机号码"] for r in rows]
    monthly = report_services.report_prepare(region_id=city_cc.region_id, period=Period(2022, 5), by=city_cc)
    report_services.report_submit(
        report_id=monthly.pk, reporter_name="王经办", reporter_phone="13304319999", by=city_cc
    )
    seeded["phone"].append("13304319999")
    return seeded


@pytest.mark.postgres(reason="pg_dump of the PostgreSQL test database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_dump_holds_no_seeded_id_number_phone_or_bank_account_in_plaintext(
    city_cc, tmp_path, figures, monkeypatch
):
    from exchange import views as exchange_views
    from jianxi_portal.core import backup

    seeded = _seed(city_cc)
    # Reads that unmask (audited) and an export job searched by a phone (its row keeps the search).
    client = _client(city_cc)
    assert client.get("/api/v1/trainees/?page_size=100").status_code == 200
    monkeypatch.setattr(exchange_views, "DIRECT_LIMIT", 0)
    assert client.get(reverse("exchange:export", args=["trainees"]), {"q": seeded["phone"][-2]}).status_code == 302
    assert AuditLog.objects.filter(event="id_number.view").count() == len(seeded["id_number"])

    path = backup.dump(tmp_path / "plain.sql", plain=True)
    text = path.read_text(encoding="utf-8")
    found = {kind: [v for v in values if v in text] for kind, values in seeded.items()}
    # The search would find them: every name typed in is there, and every masked copy.
    names = [
        "脱敏见习生0",
        f"接口见习生{N_API_TRAINEES - 1}",
        f"导入见习生{N_IMPORTED - 1}",
        f"脱敏测试单位{N_UNITS - 1}",
    ]
    assert all(name in text for name in names)
    masks = {"id_number": personal.ID_NUMBER, "phone": personal.PHONE, "bank_account": personal.BANK_ACCOUNT}
    assert all(masks[kind].mask(v) in text for kind, values in seeded.items() for v in values)
    assert found == {"id_number": [], "phone": [], "bank_account": []}
    counts = {kind: len(values) for kind, values in seeded.items()}
    assert counts == {
        "id_number": N_TRAINEES + N_API_TRAINEES + N_IMPORTED,
        "phone": 3 * N_UNITS + N_TRAINEES + N_API_TRAINEES + N_IMPORTED + 1,
        "bank_account": N_UNITS,
    }
    figures.add(
        "4",
        f"database dump (pg_dump plain, {path.stat().st_size / 1e6:.1f} MB, after seeding through "
        "services, API and an import, unmasked reads and an export job searched by phone): "
        f"0 of {counts['id_number']} ID numbers, 0 of {counts['phone']} phones, "
        f"0 of {counts['bank_account']} bank accounts in plaintext (every masked copy and name found)",
    )


# ---------------------------------------------------------------------------------------------
# Task messages carry ids


def _our_tasks():
    from celery import current_app

    current_app.loader.import_default_modules()
    return {name: task for name, task in current_app.tasks.items() if not name.startswith("celery.")}


ID_PARAMETER = re.compile(r"^(\w+_ids?|today|value)$")  # ids, a date string, the health-check ping


def test_task_messages_carry_ids_never_personal_values(
    client_for, city_cc, unit_a, monkeypatch, figures, django_capture_on_commit_callbacks
):
    """Every message queued while a young people's register is imported through the browser
    (upload → preview → confirm), a large export searched by phone runs as a job and a post is
    approved: the wire message (headers and JSON body, as Celery builds it) holds no seeded value,
    and its arguments are ids. Every task's signature takes ids or a date only."""
    import inspect

    from celery.app.task import Task
    from django.core.files.uploadedfile import SimpleUploadedFile
    from kombu.serialization import dumps

    from exchange import views as exchange_views
    from exchange.models import Job
    from exchange.tests.helpers import trainee_row, xlsx_bytes
    from positions import services as post_services
    from positions.tests.factories import SubmittedPostFactory

    sent = []
    original = Task.apply_async

    def record(task, args=None, kwargs=None, **options):
        sent.append((task.name, tuple(args or ()), dict(kwargs or {})))
        return original(task, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", record)
    monkeypatch.setattr(exchange_views, "DIRECT_LIMIT", 0)
    rows = [trainee_row(i, 手机号码=f"1590432{i:04d}") for i in range(10)]
    values = [r["居民身份证号"] for r in rows] + [r["手机号码"] for r in rows]
    client = client_for(city_cc)
    upload = SimpleUploadedFile("见习人员.xlsx", xlsx_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:import", args=["trainees"]), {"file": upload})
    preview = Job.objects.get(kind="import_preview")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:job_confirm", args=[preview.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("exchange:export", args=["trainees"]), {"q": values[-1]})
    post = SubmittedPostFactory(unit=unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        post_services.post_approve(post_id=post.pk, by=city_cc)
    assert Job.objects.filter(status="done").count() == 3, list(Job.objects.values("kind", "status", "error"))

    app = next(iter(_our_tasks().values())).app
    wire = []
    for name, args, kwargs in sent:
        message = app.amqp.as_task_v2("00000000-0000-0000-0000-000000000000", name, args, kwargs)
        wire.append(dumps(message.headers, serializer="json")[2] + dumps(message.body, serializer="json")[2])
        assert all(isinstance(a, int) for a in args) and not kwargs, (name, args, kwargs)
    leaked = [v for v in values if any(v in w for w in wire)]
    assert {n for n, _, _ in sent} >= {"exchange.run_job", "outreach.tasks.push_post"} and leaked == []
    signatures = {}
    for name, task in _our_tasks().items():
        params = [p for p in inspect.signature(task.run).parameters if p not in ("self", "args", "kwargs")]
        signatures[name] = [p for p in params if not ID_PARAMETER.match(p)]
    assert {name: bad for name, bad in signatures.items() if bad} == {}
    figures.add(
        "4",
        f"Celery: {len(sent)} task messages queued during a browser import of 10 trainees (preview + "
        "confirm), an export job searched by phone and a post approval carry ids only "
        f"({', '.join(sorted({n for n, _, _ in sent}))}); 0 of {len(values)} ID numbers and phones in "
        f"any message's headers or JSON body; {len(signatures)} of {len(signatures)} task signatures "
        "take ids or a date only",
    )
