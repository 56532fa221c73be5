"""Item 4 — personal values stored encrypted (`jianxi_portal.core.personal.Encrypted`): the three columns, lookup
through the digest only, the display rule with its audit row, and the data migrations that
encrypted the plaintext columns already in the database (forward and back)."""

import pytest
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jianxi_portal.core import crypto, personal
from jianxi_portal.core.models import AuditLog, User
from trainees.models import Mentor, Trainee
from trainees.tests.factories import TraineeFactory
from units.models import Unit


def test_setting_a_value_fills_ciphertext_digest_and_masked_copy_never_the_plaintext(unit_a):
    mentor = Mentor(unit=unit_a, name="李老师", position="工程师", phone=" 13904311234 ")
    assert mentor.phone_cipher and "13904311234" not in mentor.phone_cipher
    assert mentor.phone_digest == crypto.digest("13904311234") and mentor.phone_masked == "139****1234"
    mentor.save()
    assert Mentor.objects.get(pk=mentor.pk).phone == "13904311234"  # read back decrypted
    assert "phone" not in {f.name for f in Mentor._meta.concrete_fields}


def test_bank_account_is_stored_as_digits_and_masked_four_and_four(unit_a):
    unit_a.bank_account = "6222 0200-1234 5678"
    assert (unit_a.bank_account, unit_a.bank_account_masked) == ("6222020012345678", "6222********5678")


def test_lookup_goes_through_the_digest_and_the_plaintext_cannot_be_queried(unit_a):
    TraineeFactory(phone="13904317777", name="查找")
    assert Trainee.objects.get(**personal.lookup(Trainee, "phone", " 13904317777")).name == "查找"
    with pytest.raises(FieldError):
        Trainee.objects.filter(phone="13904317777").exists()
    with pytest.raises((FieldError, FieldDoesNotExist)):
        Unit.objects.filter(pk=unit_a.pk).update(contact_phone="13900000000")


def test_shown_gives_the_holder_the_full_value_once_audited_and_others_the_masked_copy(city_cc, city_jl):
    trainee = TraineeFactory(phone="13904318888")
    assert personal.shown(city_jl, trainee, "phone", via="page") == "139****8888"
    assert not AuditLog.objects.exists()
    full = personal.shown(city_cc, trainee, "phone", via="page")
    assert (full, full.full) == ("13904318888", True)
    row = AuditLog.objects.get()
    assert (row.event, row.object_type, row.object_id, row.detail) == (
        "phone.view",
        "trainees.trainee",
        str(trainee.pk),
        {"via": "page"},
    )
    assert "13904318888" not in str(row.__dict__)


def test_an_empty_value_reveals_nothing_and_records_nothing(city_cc):
    account = User.objects.create(username="nophone")
    assert personal.shown(account, account, "phone", via="page") == "" and not AuditLog.objects.exists()


def test_every_encrypted_field_has_a_display_rule():
    declared = set(personal.FIELDS)
    assert declared == set(personal.RULES), declared ^ set(personal.RULES)
    assert declared == {
        ("trainees.trainee", "id_number"),
        ("trainees.trainee", "phone"),
        ("trainees.mentor", "phone"),
        ("units.unit", "contact_phone"),
        ("units.unit", "bank_account"),
        ("jianxi_portal.user", "phone"),
        ("reports.monthlyreport", "reporter_phone"),
    }


# ---------------------------------------------------------------------------------------------
# The data migrations


MIGRATED = {  # app -> (migration, model, plaintext column, encrypted field)
    "jianxi_portal": ("0008_user_phone_encrypted", "User", "phone", "phone"),
    "trainees": ("0004_mentor_phone_encrypted", "Mentor", "phone", "phone"),
    "units": ("0003_unit_personal_values_encrypted", "Unit", "contact_phone", "contact_phone"),
    "reports": ("0002_reporter_phone_encrypted", "MonthlyReport", "reporter_phone", "reporter_phone"),
}


def _before(executor) -> list[tuple[str, str]]:
    """Each app's migration just before its encryption migration."""
    targets = []
    for app, (name, *_) in MIGRATED.items():
        parents = [d for d in executor.loader.get_migration(app, name).dependencies if d[0] == app]
        targets.append(parents[0])
    return targets


def _rows(apps, unit_a, *, encrypted: bool):
    """One row of each model with a phone, through the historical models: in the plaintext column
    (`encrypted=False`, the schema before the migrations) or as ciphertext + digest + masked copy
    (the schema after them)."""
    region_id, district_id = unit_a.region_id, unit_a.district_id

    def phone(name, value):
        if not encrypted:
            return {name: value}
        return {
            f"{name}_cipher": crypto.encrypt(value),
            f"{name}_digest": crypto.digest(value),
            f"{name}_masked": personal.PHONE.mask(value),
        }

    user = apps.get_model("jianxi_portal", "User").objects.create(username="legacy", **phone("phone", "13904310101"))
    unit = apps.get_model("units", "Unit").objects.create(
        name="旧单位",
        credit_code="91220101MA00000001",
        unit_type="private",
        industry="I",
        region_id=region_id,
        district_id=district_id,
        address="旧地址",
        contact_name="旧联系人",
        **phone("contact_phone", "13904310102"),
    )
    mentor = apps.get_model("trainees", "Mentor").objects.create(
        unit_id=unit.pk, name="旧老师", position="师傅", **phone("phone", "0431-85611189")
    )
    report = apps.get_model("reports", "MonthlyReport").objects.create(
        region_id=region_id,
        year=2024,
        month=1,
        due_on="2024-02-05",
        computed_at="2024-02-01T00:00:00+08:00",
        status="submitted",
        submitted_at="2024-02-02T00:00:00+08:00",
        reporter_name="旧经办",
        **phone("reporter_phone", "13904310103"),
    )
    return {
        "jianxi_portal": (user.pk, "13904310101"),
        "units": (unit.pk, "13904310102"),
        "trainees": (mentor.pk, "0431-85611189"),
        "reports": (report.pk, "13904310103"),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_migrations_encrypt_existing_rows_and_the_reverse_decrypts_them(unit_a, figures):
    """Back once and forward once (each pass re-runs every migration that depends on the four, the
    suite's slowest step): rows written encrypted come back decrypted into the plaintext column, and
    rows left in the plaintext column (those same rows) are encrypted forward."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = _before(executor)
    try:
        rows = _rows(executor.loader.project_state(latest).apps, unit_a, encrypted=True)
        executor.migrate(before)
        back = MigrationExecutor(connection).loader.project_state(before).apps
        for app, (_, model_name, plain, _name) in MIGRATED.items():
            pk, value = rows[app]
            assert back.get_model(app, model_name).objects.filter(pk=pk).values_list(plain, flat=True).get() == value

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        for app, (_, model_name, plain, name) in MIGRATED.items():
            model = executor.loader.project_state(latest).apps.get_model(app, model_name)
            pk, value = rows[app]
            stored = model.objects.filter(pk=pk).values(f"{name}_cipher", f"{name}_digest", f"{name}_masked").get()
            assert crypto.decrypt(stored[f"{name}_cipher"]) == value
            assert stored[f"{name}_digest"] == crypto.digest(value)
            assert stored[f"{name}_masked"] == personal.PHONE.mask(value)
            assert plain not in {f.name for f in model._meta.fields}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(Mentor._meta.db_table)}")
            assert not any("85611189" in str(cell) for row in cursor.fetchall() for cell in row)
    finally:
        MigrationExecutor(connection).migrate(latest)
    figures.add(
        "4",
        f"data migrations ({connection.vendor}): {len(MIGRATED)} plaintext phone columns (account, "
        "unit contact, mentor, reporter) encrypted forward into ciphertext + digest + masked copy, "
        "the plaintext column dropped; the reverse decrypts them back",
    )


def test_admin_pages_show_only_masked_copies(client_for, admin_user, employer_a, unit_a):
    from django.urls import reverse

    employer_a.phone = "13904312468"
    employer_a.save()
    client = client_for(admin_user)
    page = client.get(reverse("admin:jianxi_portal_user_change", args=[employer_a.pk])).content.decode()
    assert "13904312468" not in page and "139****2468" in page and employer_a.phone_cipher not in page
    unit_page = client.get(reverse("admin:units_unit_change", args=[unit_a.pk])).content.decode()
    assert unit_a.contact_phone_masked in unit_page and unit_a.contact_phone_cipher not in unit_page
    assert unit_a.bank_account not in unit_page and not AuditLog.objects.filter(event__endswith=".view").exists()
