"""The service zone: sanitised rich text, images and attachments checked by content and size,
draft/published, region tags and who may write what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from outreach import articles
from outreach.models import Article

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield


def test_body_is_sanitised_to_the_allowed_subset():
    dirty = (
        '<p onclick="x()">见习<script>alert(1)</script><strong>政策</strong></p>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://rst.jl.gov.cn/">人社厅</a>'
        '<img src="https://evil.example/x.png"><img src="/zone/files/3/" alt="图" onerror="x()">'
        '<iframe src="/"></iframe><table><tr><td style="color:red">1</td></tr></table>'
    )
    clean = articles.clean_html(dirty)
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean and "iframe" not in clean
    assert "javascript:" not in clean and "evil.example" not in clean and "style=" not in clean
    assert "<strong>政策</strong>" in clean
    assert '<a href="https://rst.jl.gov.cn/" rel="noopener noreferrer">人社厅</a>' in clean
    assert '<img src="/zone/files/3/" alt="图">' in clean


def test_province_writes_for_the_province_and_city_for_its_region(province_user, city_cc, jilin_region):
    provincial = articles.article_create(
        by=province_user, kind="policy", title="吉人社联〔2022〕79号解读", body="<p>政策要点</p>"
    )
    assert provincial.region is None and provincial.status == "draft"
    local = articles.article_create(
        by=city_cc, kind="notice", title="长春市见习报名通知", body="<p>通知</p>", region=jilin_region
    )
    assert local.region == city_cc.region  # a city always writes for its own region


def test_a_city_cannot_edit_another_region_or_province_articles(province_user, city_cc, city_jl):
    provincial = articles.article_create(by=province_user, kind="policy", title="政策", body="<p>x</p>")
    local = articles.article_create(by=city_cc, kind="notice", title="通知", body="<p>x</p>")
    for article in (provincial, local):
        with pytest.raises(PermissionDenied):
            articles.article_update(article_id=article.pk, by=city_jl, title="改")


def test_required_fields_and_an_empty_body_after_cleaning(province_user):
    with pytest.raises(ValidationError) as err:
        articles.article_create(by=province_user, kind="", title="", body="<script>x</script>")
    assert set(err.value.message_dict) == {"kind", "title", "body"}


def test_only_published_articles_are_public(client, province_user):
    article = articles.article_create(by=province_user, kind="story", title="小王的见习故事", body="<p>留用了</p>")
    assert client.get(f"/zone/{article.pk}/").status_code == 404
    assert "小王的见习故事" not in client.get("/zone/").content.decode()
    articles.article_publish(article_id=article.pk, by=province_user)
    assert client.get(f"/zone/{article.pk}/").status_code == 200
    assert "小王的见习故事" in client.get("/").content.decode()  # the home page's latest articles
    articles.article_unpublish(article_id=article.pk, by=province_user)
    assert client.get(f"/zone/{article.pk}/").status_code == 404


def test_uploads_are_checked_by_content_and_size(province_user):
    article = articles.article_create(by=province_user, kind="procedure", title="经办流程", body="<p>x</p>")
    image = articles.article_file_add(
        article_id=article.pk, by=province_user, kind="image", upload=SimpleUploadedFile("流程图.png", PNG)
    )
    assert (image.content_type, image.original_name) == ("image/png", "流程图.png")
    with pytest.raises(ValidationError):  # a PDF is not an image
        articles.article_file_add(
            article_id=article.pk, by=province_user, kind="image", upload=SimpleUploadedFile("x.png", PDF)
        )
    with pytest.raises(ValidationError):  # an executable renamed
        articles.article_file_add(
            article_id=article.pk,
            by=province_user,
            kind="attachment",
            upload=SimpleUploadedFile("表格.pdf", b"MZ\x90\x00" + b"0" * 64),
        )
    with pytest.raises(ValidationError) as err:
        articles.article_file_add(
            article_id=article.pk,
            by=province_user,
            kind="image",
            upload=SimpleUploadedFile("big.png", PNG + b"0" * (2 * 1024 * 1024)),
        )
    assert "不能超过 2 MB" in str(err.value)
    pdf = articles.article_file_add(
        article_id=article.pk, by=province_user, kind="attachment", upload=SimpleUploadedFile("申请表.pdf", PDF)
    )
    assert pdf.content_type == "application/pdf"


def test_files_are_public_only_once_the_article_is(client, client_for, province_user, city_jl):
    article = articles.article_create(by=province_user, kind="notice", title="通知", body="<p>x</p>")
    item = articles.article_file_add(
        article_id=article.pk, by=province_user, kind="attachment", upload=SimpleUploadedFile("附件.pdf", PDF)
    )
    url = f"/zone/files/{item.pk}/"
    assert client.get(url).status_code == 404
    assert client_for(city_jl).get(url).status_code == 404  # a city cannot read the province's draft
    assert client_for(province_user).get(url).status_code == 200
    articles.article_publish(article_id=article.pk, by=province_user)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_staff_pages_write_upload_and_publish(client_for, city_cc):
    client = client_for(city_cc)
    response = client.post(
        "/manage/zone/new/",
        {"kind": "notice", "title": "见习报名开始", "summary": "", "body": "<p>欢迎报名<script>x</script></p>"},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.body == "<p>欢迎报名</p>" and article.region == city_cc.region
    client.post(f"/manage/zone/{article.pk}/files/", {"kind": "image", "file": SimpleUploadedFile("a.png", PNG)})
    assert article.files.count() == 1
    client.post(f"/manage/zone/{article.pk}/publish/")
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None


def test_another_city_gets_404_on_the_management_page(client_for, city_cc, city_jl):
    article = articles.article_create(by=city_cc, kind="notice", title="通知", body="<p>x</p>")
    client = client_for(city_jl)
    assert client.get(f"/manage/zone/{article.pk}/").status_code == 404
    assert client.post(f"/manage/zone/{article.pk}/publish/").status_code == 404
    assert article not in client.get("/manage/zone/").context["page"].object_list


@pytest.mark.parametrize("who", ["city_cc", "province_user"])
def test_the_editor_shows_the_body_help_as_text_not_markup(client_for, request, who):
    """The help names tags; rendered as markup it swallowed the rest of the form into a list and a
    link, so that choosing 地区 followed the link and lost what was typed."""
    page = client_for(request.getfixturevalue(who)).get("/manage/zone/new/").content.decode()
    help_text = page.split('<small class="help">', 2)[-1].split("</small>", 1)[0]
    assert "&lt;ol&gt;" in help_text and "&lt;a href&gt;" in help_text and "&lt;img src&gt;" in help_text
    assert "<a href>" not in page and "<ol>" not in help_text and "<table>" not in help_text
    # The form ends before the footer: nothing of it is nested in a stray element.
    assert page.index("</form>") < page.index('<footer class="footer">')
