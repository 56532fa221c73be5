"""A reviewer's round: a refused decision keeps the chosen conclusion and the typed opinion beside
the reason; the opinion of a return or rejection heads the item's page; a decision taken on an
item's page moves on to the next item of the queue."""

from datetime import date

from positions.models import Post
from positions.tests.factories import SubmittedPostFactory
from units.tests.factories import SubmittedUnitFactory


def test_a_return_without_an_opinion_keeps_the_chosen_conclusion(client_for, city_cc, unit_a):
    post = SubmittedPostFactory(unit=unit_a, title="前台接待见习岗位")
    client = client_for(city_cc)
    page = client.post(
        f"/review/post/{post.pk}/decide/", {"action": "return", "opinion": "", "next": "/review/"}, follow=True
    )
    body = page.content.decode()
    form = body[body.index(f'id="decide-post-{post.pk}"') :]
    form = form[: form.index("</form>")]
    assert 'value="return" checked' in form and 'value="approve" required>' in form
    assert "退回修改时须填写审核意见" in form or "意见" in form.split('role="alert"')[1]
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED
    # the draft is shown once: the next visit starts blank
    again = client.get("/review/").content.decode()
    assert 'value="return" checked' not in again


def test_a_refused_opinion_keeps_the_typed_text(client_for, city_cc, unit_a):
    post = SubmittedPostFactory(unit=unit_a)
    client = client_for(city_cc)
    body = client.post(
        f"/review/post/{post.pk}/decide/", {"opinion": "请补充岗位职责", "next": "/review/"}, follow=True
    ).content.decode()
    assert "请补充岗位职责</textarea>" in body and "请选择审核结论。" in body


def test_the_return_opinion_heads_the_items_page(client_for, city_cc, employer_a, unit_a):
    post = SubmittedPostFactory(unit=unit_a, title="行政文员见习岗位")
    client_for(city_cc).post(
        f"/review/post/{post.pk}/decide/", {"action": "return", "opinion": "岗位职责描述过于笼统。", "next": "/review/"}
    )
    body = client_for(employer_a).get(f"/manage/posts/{post.pk}/").content.decode()
    banner = body[body.index('class="warning decision-banner"') :]
    banner = banner[: banner.index("</div>")]
    assert "已退回修改" in banner and "审核意见：岗位职责描述过于笼统。" in banner
    assert body.index("decision-banner") < body.index("岗位信息")


def test_a_decision_on_an_items_page_opens_the_next_item_of_the_queue(client_for, city_cc, unit_a):
    first = SubmittedPostFactory(unit=unit_a, review_deadline=date(2030, 3, 4))
    second = SubmittedUnitFactory(region_code="changchun", review_deadline=date(2030, 3, 5))
    client = client_for(city_cc)
    response = client.post(
        f"/review/post/{first.pk}/decide/", {"action": "approve", "next": f"/manage/posts/{first.pk}/"}
    )
    assert response["Location"] == f"/manage/units/{second.pk}/"
    response = client.post(
        f"/review/unit/{second.pk}/decide/", {"action": "approve", "next": f"/manage/units/{second.pk}/"}
    )
    assert response["Location"] == "/review/"


def test_a_decision_from_the_queue_stays_on_the_queue(client_for, city_cc, unit_a):
    post = SubmittedPostFactory(unit=unit_a)
    SubmittedPostFactory(unit=unit_a)
    response = client_for(city_cc).post(
        f"/review/post/{post.pk}/decide/", {"action": "approve", "next": "/review/?kind=post"}
    )
    assert response["Location"] == "/review/?kind=post"
