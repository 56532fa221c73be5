"""Public pages of outreach: the special columns and the service zone (articles and their files)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from jianxi_portal.core.models import Region
from jianxi_portal.core.query import parse_query
from outreach.columns import BY_SLUG, COLUMNS, column_counts
from outreach.models import Article, ArticleFile
from outreach.queries import ZoneQuery
from positions.forms import PostQuery
from positions.models import Education, PostCategory
from units.models import Industry

PAGE_SIZE = 20


def column_index(request):
    return render(request, "outreach/column_index.html", {"columns": column_counts()})


def column_page(request, slug):
    """One special column: the public post list with the column's filter fixed (search, region,
    industry and education still apply), its count and pagination."""
    column = BY_SLUG.get(slug)
    if column is None:
        raise Http404
    query = parse_query(request, PostQuery)
    filters = column.filters(query)
    page = Paginator(column.posts(query), PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in filters.as_params().items() if k not in column.fixed}
    return render(
        request,
        "outreach/column.html",
        {
            "column": column,
            "columns": COLUMNS,
            "page": page,
            "filters": filters,
            "params": params,
            "regions": Region.objects.all(),
            "industries": Industry.choices,
            "educations": Education.choices,
            "categories": PostCategory.choices,
            "fixed": column.fixed,
        },
    )


def zone(request):
    """服务专区: published policies, procedures, notices and stories, newest first."""
    articles = Article.objects.published().select_related("region")
    query = parse_query(request, ZoneQuery)
    kind, region = query["kind"], query["region"]
    if kind:
        articles = articles.filter(kind=kind)
    if region:
        articles = articles.filter(Q(region__code=region) | Q(region__isnull=True))
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/zone.html",
        {
            "page": page,
            "kinds": Article.Kind.choices,
            "kind": kind,
            "regions": Region.objects.all(),
            "region": region,
            "params": {k: v for k, v in {"kind": kind, "region": region}.items() if v},
        },
    )


def article_public(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("region", "author"), pk=pk)
    attachments = [f for f in article.files.all() if f.kind == ArticleFile.Kind.ATTACHMENT]
    return render(request, "outreach/article.html", {"article": article, "attachments": attachments})


def article_file(request, pk):
    """An article's image or attachment: public once the article is published; before that only
    to the staff who may edit it."""
    item = get_object_or_404(ArticleFile.objects.select_related("article"), pk=pk)
    published = item.article.status == Article.Status.PUBLISHED
    if not published and not Article.objects.visible_to(request.user).filter(pk=item.article_id).exists():
        raise Http404
    inline = item.kind == ArticleFile.Kind.IMAGE
    return FileResponse(
        item.file.open("rb"), as_attachment=not inline, filename=item.original_name, content_type=item.content_type
    )
