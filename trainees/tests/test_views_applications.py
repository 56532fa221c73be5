"""Application pages: apply, accept (signing), decline, withdraw; closed posts; scoping."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from positions.models import Post
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Application, Placement
from trainees.services import application_create
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(youth, changchun):
    return TraineeFactory(user=youth, name="青年甲", region=changchun)


def test_youth_applies_and_the_employer_accepts_through_the_forms(applicant, youth, post_a, client_for, employer_a):
    client = client_for(youth)
    response = client.post(reverse("trainees:application_apply", args=[post_a.pk]), {"note": "会计专业"})
    application = Application.objects.get()
    assert response.url == reverse("trainees:application_detail", args=[application.pk])
    employer = client_for(employer_a)
    page = employer.get(reverse("trainees:application_detail", args=[application.pk])).content.decode()
    assert "录用并签订见习协议" in page and "会计专业" in page
    response = employer.post(
        reverse("trainees:application_accept", args=[application.pk]),
        {"signed_on": "2026-03-01", "planned_start": "2026-03-02", "planned_end": "", "allowance": "1500"},
    )
    placement = Placement.objects.get()
    assert response.url == reverse("trainees:placement_detail", args=[placement.pk])
    assert (placement.application, placement.signed_on, placement.planned_start, placement.planned_end) == (
        application,
        date(2026, 3, 1),
        date(2026, 3, 2),
        date(2026, 9, 1),
    )


def test_acceptance_form_shows_the_refusal(applicant, youth, post_a, client_for, employer_a):
    application = application_create(post_id=post_a.pk, by=youth)
    response = client_for(employer_a).post(
        reverse("trainees:application_accept", args=[application.pk]),
        {"signed_on": "2026-03-01", "planned_start": "2026-03-01", "allowance": "1000"},
    )
    assert "下限 1272.00 元，当前为 1000.00 元" in response.content.decode()
    assert not Placement.objects.exists()


def test_employer_declines_and_the_youth_sees_it(applicant, youth, post_a, client_for, employer_a):
    application = application_create(post_id=post_a.pk, by=youth)
    client_for(employer_a).post(reverse("trainees:application_decline", args=[application.pk]), {"note": "名额已定"})
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("declined", "名额已定")
    page = client_for(youth).get(reverse("trainees:application_detail", args=[application.pk])).content.decode()
    assert "未录用" in page and "名额已定" in page


def test_youth_withdraws(applicant, youth, post_a, client_for):
    application = application_create(post_id=post_a.pk, by=youth)
    client_for(youth).post(reverse("trainees:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_closed_post_is_404_on_the_apply_page(applicant, youth, post_a, client_for):
    Post.objects.filter(pk=post_a.pk).update(status=Post.Status.CLOSED)
    client = client_for(youth)
    assert client.get(reverse("trainees:application_apply", args=[post_a.pk])).status_code == 404
    assert client.post(reverse("trainees:application_apply", args=[post_a.pk]), {"note": "x"}).status_code == 404
    assert not Application.objects.exists()


def test_post_past_its_closing_date_refuses_a_direct_post(applicant, youth, post_a, client_for):
    Post.objects.filter(pk=post_a.pk).update(closing_date=timezone.localdate() - timedelta(days=1))
    client = client_for(youth)
    assert client.get(reverse("trainees:application_apply", args=[post_a.pk])).status_code == 404
    assert client.post(reverse("trainees:application_apply", args=[post_a.pk]), {"note": "x"}).status_code == 404
    assert not Application.objects.exists()


def test_public_post_page_offers_the_apply_link(applicant, youth, post_a, client_for, client):
    page = client.get(f"/posts/{post_a.pk}/").content.decode()
    assert reverse("trainees:youth_register") in page
    youth_client = client_for(youth)
    apply_url = reverse("trainees:application_apply", args=[post_a.pk])
    assert apply_url in youth_client.get(f"/posts/{post_a.pk}/").content.decode()
    youth_client.post(apply_url, {"note": ""})
    application = Application.objects.get()
    page = youth_client.get(f"/posts/{post_a.pk}/").content.decode()
    assert reverse("trainees:application_detail", args=[application.pk]) in page


def test_youth_without_a_record_is_sent_to_the_profile(youth, post_a, client_for):
    response = client_for(youth).get(reverse("trainees:application_apply", args=[post_a.pk]))
    assert response.status_code == 302 and response.url == reverse("trainees:my_profile")


def test_employer_lists_only_applications_to_its_posts(applicant, youth, post_a, post_b, client_for, employer_a):
    application_create(post_id=post_a.pk, by=youth)
    application_create(post_id=post_b.pk, by=youth)
    response = client_for(employer_a).get(reverse("trainees:application_list"))
    assert [a.post for a in response.context["page"]] == [post_a]


def test_other_units_and_cities_get_404_on_an_application(applicant, youth, post_a, client_for, employer_b, city_jl):
    application = application_create(post_id=post_a.pk, by=youth)
    for outsider in (employer_b, city_jl):
        client = client_for(outsider)
        assert client.get(reverse("trainees:application_detail", args=[application.pk])).status_code == 404
    response = client_for(employer_b).post(
        reverse("trainees:application_accept", args=[application.pk]),
        {"signed_on": "2026-03-01", "planned_start": "2026-03-01"},
    )
    assert response.status_code == 404


def test_applicant_cannot_see_others_applications(youth, post_a, client_for, changchun):
    other_user_trainee = TraineeFactory(user=None)
    other = Application.objects.create(trainee=other_user_trainee, post=post_a)
    TraineeFactory(user=youth, region=changchun)
    assert client_for(youth).get(reverse("trainees:application_detail", args=[other.pk])).status_code == 404


def test_youth_applies_to_a_post_of_another_city(applicant, youth, unit_b, client_for):
    post = ApprovedPostFactory(unit=unit_b, allowance=Decimal("1500"))
    response = client_for(youth).post(reverse("trainees:application_apply", args=[post.pk]), {"note": ""})
    assert response.status_code == 302 and Application.objects.get().post == post
