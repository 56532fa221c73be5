"""The field-encryption key (SECURITY.md: Rotating the field-encryption key): production refuses to
start without FIELD_ENCRYPTION_KEY (a system check at ERROR level, part of `check --deploy`), and
`manage.py rotate_field_key` re-encrypts every personal value under a new key in batches,
resumable after an interruption, printing the rows done per table."""

import io
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from jianxi_portal.core import crypto, personal
from jianxi_portal.core.checks import field_encryption_key_check
from jianxi_portal.core.management.commands import rotate_field_key
from jianxi_portal.core.models import AuditLog, User
from jianxi_portal.tests.factories import UserFactory
from jianxi_portal.tests.security.test_deployment import ROOT, production_env
from trainees.models import Mentor, Trainee
from trainees.services.register import find_by_id_number
from trainees.tests.factories import MentorFactory, TraineeFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
ID_NUMBERS = ["220102200203040011", "220102200203040038", "22010220020304005X"]


def test_production_check_deploy_fails_without_the_field_key(figures):
    env = production_env()
    env.pop("FIELD_ENCRYPTION_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "jianxi.E001" in result.stderr and "FIELD_ENCRYPTION_KEY is not set" in result.stderr
    figures.add(
        "7",
        "production without FIELD_ENCRYPTION_KEY: check --deploy exits "
        f"{result.returncode} with ERROR jianxi.E001 (the key would be derived from SECRET_KEY)",
    )


@pytest.mark.parametrize(
    "debug, key, old, expected",
    [
        (False, "", "", ["jianxi.E001"]),
        (True, "", "", []),
        (False, NEW, "", []),
        (False, "not-a-key", "", ["jianxi.E002"]),
        (False, NEW, f"{OLD}, also-not-a-key", ["jianxi.E002"]),
    ],
)
def test_field_key_check(debug, key, old, expected):
    with override_settings(DEBUG=debug, FIELD_ENCRYPTION_KEY=key, FIELD_ENCRYPTION_OLD_KEYS=old):
        assert [e.id for e in field_encryption_key_check()] == expected


def cast():
    """Every model with personal values: 3 trainees (ID number and phone), a unit (contact phone,
    bank account), a mentor, an account with a phone."""
    trainees = [TraineeFactory(id_number=n, phone=f"1390431000{i}") for i, n in enumerate(ID_NUMBERS)]
    unit = ApprovedUnitFactory(name="轮换单位", region_code="changchun", bank_account="6222020000001234")
    mentor = MentorFactory(unit=unit, phone="13904319999")
    user = UserFactory(username="rotating", phone="13904318888")
    return trainees, unit, mentor, user


def on_new_key(model) -> int:
    return sum(
        all(crypto.is_current(getattr(obj, f"{f.name}_cipher")) for f in personal.fields_of(model))
        for obj in model.objects.all()
    )


def rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out, **options)
    return out.getvalue()


@pytest.mark.postgres(reason="the batches lock their rows (SELECT … FOR UPDATE)")
@pytest.mark.django_db(transaction=True)
def test_rotation_re_encrypts_every_personal_value_resumably(changchun, monkeypatch, figures):
    with override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_ENCRYPTION_OLD_KEYS=""):
        trainees, unit, mentor, user = cast()

    calls = []
    real_batch = rotate_field_key.rotate_batch

    def interrupted(model, pairs, after, size):
        if model is Trainee and any(m is Trainee for m in calls):
            raise KeyboardInterrupt  # the operator's Ctrl+C after the first batch of trainees
        calls.append(model)
        return real_batch(model, pairs, after, size)

    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_OLD_KEYS=OLD):
        # during the rotation the portal reads and finds values under either key
        assert find_by_id_number(ID_NUMBERS[0]) == trainees[0]
        assert Trainee.objects.get(**personal.lookup(Trainee, "phone", "13904310001")) == trainees[1]
        monkeypatch.setattr(rotate_field_key, "rotate_batch", interrupted)
        with pytest.raises(KeyboardInterrupt):
            rotate(batch_size=2)
        assert on_new_key(Trainee) == 2  # the first batch of two was committed, the third row waits
        monkeypatch.setattr(rotate_field_key, "rotate_batch", real_batch)
        second = rotate(batch_size=2)
        third = rotate(batch_size=2)

    assert "trainees.trainee: 1 行已换用新密钥，2 行原已是新密钥" in second
    # tables after the interrupted one were not reached by the first run; those before it were
    assert f"units.unit: {Unit.objects.count()} 行已换用新密钥，0 行原已是新密钥" in second
    assert f"jianxi_portal.user: 0 行已换用新密钥，{User.objects.count()} 行原已是新密钥" in second
    assert "trainees.trainee: 0 行已换用新密钥，3 行原已是新密钥" in third
    assert all(" 0 行已换用新密钥" in line for line in third.splitlines() if "行已换用新密钥" in line)

    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_OLD_KEYS=""):  # the old key is gone
        assert [Trainee.objects.get(pk=t.pk).id_number for t in trainees] == ID_NUMBERS
        assert [Trainee.objects.get(pk=t.pk).phone for t in trainees] == [f"1390431000{i}" for i in range(3)]
        assert find_by_id_number(ID_NUMBERS[2]) == trainees[2]
        assert Trainee.objects.get(**personal.lookup(Trainee, "phone", "13904310002")) == trainees[2]
        fresh = Unit.objects.get(pk=unit.pk)
        assert (fresh.bank_account, fresh.contact_phone) == ("6222020000001234", "13904310001")
        assert Mentor.objects.get(pk=mentor.pk).phone == "13904319999"
        assert User.objects.get(pk=user.pk).phone == "13904318888"
        assert [on_new_key(m) for m in (Trainee, Unit, Mentor)] == [3, Unit.objects.count(), Mentor.objects.count()]
    assert AuditLog.objects.filter(event="personal.rotate_key").count() == 2
    lines = [line for line in second.splitlines() if "行已换用新密钥" in line]
    figures.add(
        "4",
        "key rotation (PostgreSQL, batches of 2): interrupted after the first batch of trainees "
        "(2 of 3 on the new key), run again: " + "; ".join(lines) + "; a third run rotated 0 rows; "
        "every value read back under the new key alone, lookups by ID number and phone found",
    )


@pytest.mark.django_db
def test_rotation_needs_the_new_key_in_the_settings():
    from django.core.management.base import CommandError

    with override_settings(FIELD_ENCRYPTION_KEY=""), pytest.raises(CommandError):
        rotate()


@pytest.mark.django_db
def test_a_recovery_code_issued_under_the_old_key_works_during_the_rotation(admin_user):
    from accounts.twofactor import recovery_codes_left, recovery_codes_reset, verify_token_for

    with override_settings(FIELD_ENCRYPTION_KEY=OLD, FIELD_ENCRYPTION_OLD_KEYS=""):
        codes = recovery_codes_reset(admin_user)
    with override_settings(FIELD_ENCRYPTION_KEY=NEW, FIELD_ENCRYPTION_OLD_KEYS=OLD):
        assert verify_token_for(admin_user, codes[0]) is True
        assert verify_token_for(admin_user, codes[0]) is False  # used up
        assert recovery_codes_left(admin_user) == 9
