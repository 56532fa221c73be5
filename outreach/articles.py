"""The service zone (服务专区): policies, procedures, notices and stories published under the plan's
name by province staff (for the whole province or a region) and city staff (for their region).

Bodies are HTML typed in a plain textarea and sanitised on the server (nh3) to a small set of
tags; images may only come from this site's own article files (the CSP allows no other source
anyway). Uploads are checked by content, not by name: images JPEG/PNG/GIF/WebP up to 2 MB,
attachments PDF, Word, Excel or images up to 10 MB, at most 20 files per article."""

from pathlib import Path

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import Region, User
from jianxi_portal.core.permissions import ensure_perm
from outreach.models import Article, ArticleFile

TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
FILE_PREFIX = "/zone/files/"

IMAGE_MAX = 2 * 1024 * 1024
ATTACHMENT_MAX = 10 * 1024 * 1024
FILES_PER_ARTICLE = 20
IMAGE_TYPES = {
    b"\xff\xd8\xff": ("image/jpeg", {".jpg", ".jpeg"}),
    b"\x89PNG\r\n\x1a\n": ("image/png", {".png"}),
    b"GIF87a": ("image/gif", {".gif"}),
    b"GIF89a": ("image/gif", {".gif"}),
}
DOCUMENT_TYPES = {
    b"%PDF-": ("application/pdf", {".pdf"}),
    # Office Open XML files are zip archives; the legacy formats are OLE compound files.
    b"PK\x03\x04": ("application/vnd.openxmlformats-officedocument", {".docx", ".xlsx"}),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": ("application/vnd.ms-office", {".doc", ".xls"}),
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        return value if value.startswith(FILE_PREFIX) else None
    if attr in ("width", "height"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_html(text: str) -> str:
    """The body as it is stored and shown: only the allowed tags and attributes, links to http(s),
    mail or this site, images only from this site's article files."""
    return nh3.clean(
        text or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def file_url(item: ArticleFile) -> str:
    return reverse("outreach:article_file", args=[item.pk])


def _ensure_editor(by: User, region_id: int | None) -> None:
    """`outreach.change_article` (outreach.permissions) of an article of `region_id` (None: the province's)."""
    ensure_perm(
        by,
        "outreach.change_article",
        Article(region_id=region_id),
        message="省级经办人员可发布全省或各地区的内容；市（州）经办人员只能发布本地区的内容。",
    )


def _clean(values: dict, by: User) -> dict:
    errors = {}
    cleaned = {
        "kind": values.get("kind") or "",
        "title": str(values.get("title") or "").strip(),
        "summary": str(values.get("summary") or "").strip(),
        "body": clean_html(values.get("body") or ""),
    }
    if cleaned["kind"] not in Article.Kind.values:
        errors["kind"] = "请选择栏目。"
    if not cleaned["title"]:
        errors["title"] = "请填写标题。"
    elif len(cleaned["title"]) > 120:
        errors["title"] = "标题不能超过120个字。"
    if len(cleaned["summary"]) > 300:
        errors["summary"] = "摘要不能超过300个字。"
    if not nh3.clean(cleaned["body"], tags=set()).strip() and "<img" not in cleaned["body"]:
        errors["body"] = "请填写正文。"
    region = values.get("region")
    cleaned["region_id"] = getattr(region, "pk", region) or None
    if by.is_city:
        cleaned["region_id"] = by.region_id
    elif cleaned["region_id"] and not Region.objects.filter(pk=cleaned["region_id"]).exists():
        errors["region"] = "地区无效。"
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def article_create(*, by: User, **values) -> Article:
    """A draft article: the province's for the whole province or a region, a city's for its region."""
    if not (by.is_province or by.is_city):
        raise PermissionDenied("服务专区内容由省级或市（州）经办人员发布。")
    cleaned = _clean(values, by)
    _ensure_editor(by, cleaned["region_id"])
    article = Article.objects.create(author=by, **cleaned)
    audit("article.create", user=by, obj=article)
    return article


def _locked(article_id: int, by: User) -> Article:
    article = Article.objects.select_for_update().get(pk=article_id)
    _ensure_editor(by, article.region_id)
    return article


@transaction.atomic
def article_update(*, article_id: int, by: User, **values) -> Article:
    article = _locked(article_id, by)
    current = {
        "kind": article.kind,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "region": article.region_id,
    }
    cleaned = _clean({**current, **values}, by)
    _ensure_editor(by, cleaned["region_id"])
    for name, value in cleaned.items():
        setattr(article, name, value)
    article.save()
    audit("article.update", user=by, obj=article)
    return article


@transaction.atomic
def article_publish(*, article_id: int, by: User) -> Article:
    article = _locked(article_id, by)
    if article.status == Article.Status.PUBLISHED:
        raise ValidationError({"__all__": "文章已发布。"})
    article.status = Article.Status.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    audit("article.publish", user=by, obj=article)
    return article


@transaction.atomic
def article_unpublish(*, article_id: int, by: User) -> Article:
    """Withdraw a published article to draft (it leaves the public zone and the home page)."""
    article = _locked(article_id, by)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError({"__all__": "文章尚未发布。"})
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    audit("article.unpublish", user=by, obj=article)
    return article


def _sniff(upload, kind: str) -> tuple[str, str]:
    """(content type, extension) from the file's first bytes and its name; ValidationError otherwise."""
    head = upload.read(16)
    upload.seek(0)
    ext = Path(upload.name or "").suffix.lower()
    types = dict(IMAGE_TYPES) if kind == ArticleFile.Kind.IMAGE else {**IMAGE_TYPES, **DOCUMENT_TYPES}
    for magic, (content_type, extensions) in types.items():
        if head.startswith(magic) and ext in extensions:
            return OFFICE_TYPES.get(ext, content_type), ext
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP" and ext == ".webp":
        return "image/webp", ext
    allowed = "JPG、PNG、GIF、WebP" if kind == ArticleFile.Kind.IMAGE else "PDF、Word、Excel 或图片"
    raise ValidationError({"file": f"文件格式不符：只能上传 {allowed} 文件（按文件内容检查）。"})


@transaction.atomic
def article_file_add(*, article_id: int, by: User, upload, kind: str) -> ArticleFile:
    """Add an image or attachment to an article (type checked by content, size limited)."""
    article = _locked(article_id, by)
    if kind not in ArticleFile.Kind.values:
        raise ValidationError({"kind": "请选择图片或附件。"})
    limit = IMAGE_MAX if kind == ArticleFile.Kind.IMAGE else ATTACHMENT_MAX
    if upload.size > limit:
        size = f"{upload.size / 1048576:.1f}"
        raise ValidationError({"file": f"文件不能超过 {limit // (1024 * 1024)} MB（本文件 {size} MB）。"})
    if article.files.count() >= FILES_PER_ARTICLE:
        raise ValidationError({"file": f"每篇文章最多上传 {FILES_PER_ARTICLE} 个文件。"})
    content_type, _ = _sniff(upload, kind)
    item = ArticleFile(
        article=article,
        kind=kind,
        original_name=Path(upload.name).name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    item.file.save(upload.name, upload, save=False)
    item.save()
    audit("article.file_add", user=by, obj=article, detail={"file": item.pk})
    return item


@transaction.atomic
def article_file_delete(*, file_id: int, by: User) -> None:
    item = ArticleFile.objects.select_related("article").get(pk=file_id)
    _locked(item.article_id, by)
    item.file.delete(save=False)
    item.delete()
    audit("article.file_delete", user=by, obj=item.article, detail={"file": file_id})
