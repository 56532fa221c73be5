"""The shared review workflow, exercised on units (posts, filings and claims reuse it)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from jianxi_portal.core.models import ReviewLog
from jianxi_portal.core.review import InvalidTransition, Reviewable, review_history, review_transition
from jianxi_portal.core.workdays import add_working_days
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def draft_unit(db):
    return UnitFactory(region_code="changchun")


@pytest.fixture
def employer_of(draft_unit):
    from jianxi_portal.tests.factories import UserFactory

    return UserFactory(username="owner", role="employer", unit=draft_unit)


def submit(unit, by):
    return review_transition(Unit, unit.pk, action="submit", by=by)


def test_submission_sets_the_deadline_15_working_days_later(draft_unit, employer_of):
    unit = submit(draft_unit, employer_of)
    assert unit.status == "submitted"
    assert unit.review_deadline == add_working_days(timezone.localdate(), 15)


def test_approval_logs_who_when_from_to_and_sets_first_approval(draft_unit, employer_of, city_cc):
    submit(draft_unit, employer_of)
    unit = review_transition(Unit, draft_unit.pk, action="approve", by=city_cc, opinion="材料齐全")
    assert unit.status == "approved"
    assert unit.first_approved_on == timezone.localdate()
    logs = list(review_history(unit).values_list("action", "from_status", "to_status", "by__username", "opinion"))
    assert logs == [
        ("submit", "draft", "submitted", "owner", ""),
        ("approve", "submitted", "approved", "city_cc", "材料齐全"),
    ]


@pytest.mark.parametrize("action", ["reject", "return"])
def test_reject_and_return_need_an_opinion(draft_unit, employer_of, city_cc, action):
    submit(draft_unit, employer_of)
    with pytest.raises(ValidationError) as exc:
        review_transition(Unit, draft_unit.pk, action=action, by=city_cc, opinion="  ")
    assert "opinion" in exc.value.message_dict
    draft_unit.refresh_from_db()
    assert draft_unit.status == "submitted"


def test_returned_item_can_be_submitted_again_with_a_new_deadline(draft_unit, employer_of, city_cc):
    submit(draft_unit, employer_of)
    review_transition(Unit, draft_unit.pk, action="return", by=city_cc, opinion="请补充营业执照")
    unit = submit(draft_unit, employer_of)
    assert unit.status == "submitted"
    assert unit.decided_at is None


def test_approving_a_draft_is_refused_with_a_clear_message(draft_unit, city_cc):
    with pytest.raises(InvalidTransition, match="当前状态为“草稿”，不能通过"):
        review_transition(Unit, draft_unit.pk, action="approve", by=city_cc)


def test_rejected_is_final(draft_unit, employer_of, city_cc):
    submit(draft_unit, employer_of)
    review_transition(Unit, draft_unit.pk, action="reject", by=city_cc, opinion="不符合条件")
    with pytest.raises(InvalidTransition):
        submit(draft_unit, employer_of)


def test_city_cannot_decide_another_regions_item(draft_unit, employer_of, city_jl):
    submit(draft_unit, employer_of)
    with pytest.raises(PermissionDenied):
        review_transition(Unit, draft_unit.pk, action="approve", by=city_jl)
    assert ReviewLog.objects.filter(action="approve").count() == 0


def test_employer_cannot_approve_anything(draft_unit, employer_of):
    submit(draft_unit, employer_of)
    with pytest.raises(PermissionDenied):
        review_transition(Unit, draft_unit.pk, action="approve", by=employer_of)


def test_province_does_not_decide_city_items(draft_unit, employer_of, province_user):
    submit(draft_unit, employer_of)
    with pytest.raises(PermissionDenied):
        review_transition(Unit, draft_unit.pk, action="approve", by=province_user)


def test_employer_cannot_submit_another_units_item(draft_unit, employer_b):
    with pytest.raises(PermissionDenied):
        submit(draft_unit, employer_b)


def test_second_approval_is_refused_and_first_approval_date_kept(draft_unit, employer_of, city_cc):
    submit(draft_unit, employer_of)
    review_transition(Unit, draft_unit.pk, action="approve", by=city_cc)
    Unit.objects.filter(pk=draft_unit.pk).update(first_approved_on=date(2022, 5, 3))
    with pytest.raises(InvalidTransition):
        review_transition(Unit, draft_unit.pk, action="approve", by=city_cc)
    draft_unit.refresh_from_db()
    assert draft_unit.first_approved_on == date(2022, 5, 3)


@isolate_apps("jianxi_portal")
def test_a_reviewable_model_without_its_region_and_unit_hooks_fails_the_system_check():
    class Forgetful(Reviewable):
        status = models.CharField(max_length=16)

        class Meta:
            app_label = "jianxi_portal"

    class Complete(Reviewable):
        status = models.CharField(max_length=16)

        class Meta:
            app_label = "jianxi_portal"

        def review_region_id(self):
            return 1

        def review_unit_id(self):
            return None

    assert {e.msg for e in Forgetful.check()} >= {
        "Forgetful must define review_region_id()",
        "Forgetful must define review_unit_id()",
    }
    assert not [e for e in Complete.check() if e.id == "jianxi.E001"]


def test_an_importer_or_exporter_missing_its_hooks_cannot_be_built():
    from exchange.exports import Exporter
    from exchange.imports import ServiceImporter

    with pytest.raises(TypeError, match="base_queryset"):
        type("NoQueryset", (Exporter,), {})()
    with pytest.raises(TypeError, match="import_row"):
        type("NoRow", (ServiceImporter,), {})()
