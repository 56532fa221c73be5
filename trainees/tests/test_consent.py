"""Consent (SECURITY.md "Consent"): asked at sign-up with unticked boxes and a plain explanation of
each use; changeable on the person's own page, with every change kept; only the person chooses;
the unsubscribe link only withdraws; and what a young person did not consent to is neither sent
to them nor shown to units."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jianxi_portal.core.models import User
from trainees.models import ConsentChange, Trainee
from trainees.services.consent import consent_set
from trainees.tests.factories import TraineeFactory, make_id_number

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def registration(**extra):
    return {
        "username": "xiaowang",
        "password": "Qingnian-2026x",
        "password2": "Qingnian-2026x",
        "name": "王小明",
        "id_number": make_id_number(date(2003, 9, 18), 135),
        "phone": "13912345678",
        "category": "college_graduate",
        "school": "长春工业大学",
        "major": "计算机科学与技术",
        "education": "bachelor",
        "left_school_on": "2025-06-30",
        **extra,
    }


def test_the_sign_up_page_asks_with_unticked_boxes_and_explains_each_use(client):
    html = client.get(reverse("trainees:youth_register")).content.decode()
    for name in ("consent_push", "consent_digest", "consent_employers"):
        box = html.split(f'name="{name}"')[0].rsplit("<input", 1)[1] + html.split(f'name="{name}"')[1].split(">")[0]
        assert 'type="checkbox"' in box and "checked" not in box
    assert "每周最多 3 条" in html and "不会因此把您的信息交给见习单位" in html
    assert "每周一发送一次汇总" in html
    assert "看到您的姓名、学历、专业和毕业院校" in html and "不显示身份证号和手机号" in html


def test_a_new_sign_up_has_every_consent_off_until_ticked(client, changchun):
    client.post(reverse("trainees:youth_register"), registration(region=changchun.pk))
    trainee = Trainee.objects.get()
    assert (trainee.consent_push, trainee.consent_digest, trainee.consent_employers) == (False, False, False)
    profile = trainee.seeker
    assert (profile.push_enabled, profile.digest_enabled, profile.open_to_employers) == (False, False, False)
    # The person was asked: each answer is recorded, "no" included.
    assert sorted(trainee.consent_changes.values_list("purpose", "granted", "source")) == [
        ("digest", False, "signup"),
        ("employers", False, "signup"),
        ("push", False, "signup"),
    ]


def test_ticked_boxes_at_sign_up_are_the_persons_consent(client, changchun):
    client.post(
        reverse("trainees:youth_register"), registration(region=changchun.pk, consent_push="on", consent_employers="on")
    )
    trainee = Trainee.objects.get()
    assert (trainee.consent_push, trainee.consent_digest, trainee.consent_employers) == (True, False, True)
    assert trainee.consent_push_at == NOW
    profile = trainee.seeker
    assert (profile.push_enabled, profile.digest_enabled, profile.open_to_employers) == (True, False, True)
    assert trainee.consent_changes.get(purpose="push").granted


def test_consents_change_on_the_persons_page_with_their_history(client_for, clock):
    user = User.objects.create_user("qingnian", role=User.Role.YOUTH)
    trainee = TraineeFactory(user=user)
    client = client_for(user)
    page = client.get(reverse("trainees:my_consent")).content.decode()
    assert "您还没有亲自选择过以下授权" in page
    client.post(reverse("trainees:my_consent"), {"consent_push": "on", "consent_digest": "on"})
    clock.shift(600)  # ten minutes later (within the session's idle limit)
    client.post(reverse("trainees:my_consent"), {"consent_digest": "on"})
    trainee.refresh_from_db()
    assert (trainee.consent_push, trainee.consent_digest, trainee.consent_employers) == (False, True, False)
    assert list(trainee.consent_changes.values_list("purpose", "granted")) == [
        ("push", False),
        ("digest", True),
        ("push", True),
    ]  # newest first; unchanged boxes leave no row
    page = client.get(reverse("trainees:my_consent")).content.decode()
    assert "本人在“我的见习”中修改" in page and "2026-12-01 09:40" in page
    assert "您还没有亲自选择过以下授权" not in page


def test_only_the_person_chooses(city_cc):
    user = User.objects.create_user("qingnian", role=User.Role.YOUTH)
    trainee = TraineeFactory(user=user)
    with pytest.raises(PermissionDenied):
        consent_set(trainee_id=trainee.pk, by=city_cc, source=ConsentChange.Source.PROFILE, push=True)
    with pytest.raises(PermissionDenied):
        consent_set(trainee_id=trainee.pk, by=None, source=ConsentChange.Source.PROFILE, push=True)
    with pytest.raises(ValidationError):  # the unsubscribe link can only withdraw
        consent_set(trainee_id=trainee.pk, by=None, source=ConsentChange.Source.UNSUBSCRIBE, push=True)
    trainee.refresh_from_db()
    assert not trainee.consent_push and not trainee.consent_changes.exists()


def test_the_consent_page_is_the_young_persons_own(client_for, city_cc):
    assert client_for(city_cc).get(reverse("trainees:my_consent")).status_code == 403


def test_the_migration_withdraws_the_old_default_opt_ins_with_a_record():
    """Profiles made before consent was asked had the three flags on by the model's defaults: the
    data migration turns them off and records, for each, a withdrawal by the system."""
    from importlib import import_module

    from django.apps import apps

    from outreach.models import SeekerProfile

    user = User.objects.create_user("old", role=User.Role.YOUTH)
    trainee = TraineeFactory(user=user)
    SeekerProfile.objects.filter(trainee=trainee).update(
        push_enabled=True, digest_enabled=False, open_to_employers=True
    )
    migration = import_module("outreach.migrations.0005_consent_withdrawn_codes_regions")
    migration.withdraw_default_consents(apps, None)
    profile = SeekerProfile.objects.get(trainee=trainee)
    assert (profile.push_enabled, profile.digest_enabled, profile.open_to_employers) == (False, False, False)
    assert sorted(trainee.consent_changes.values_list("purpose", "granted", "source")) == [
        ("employers", False, "migration"),
        ("push", False, "migration"),
    ]
