"""Staff pages of outreach: the service zone's articles (write, upload, publish), the province's
demonstration-unit ranking with nominations, and the records behind a dashboard figure."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from jianxi_portal.core.views import form_errors_from
from jianxi_portal.core.views_review import perform
from outreach import articles, demonstration
from outreach.figures import FIGURES, Period, scoped_base
from outreach.models import Article, ArticleFile, Nomination
from outreach.queries import ArticleManageQuery, FigureQuery, RankingQuery


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="栏目", choices=[("", "请选择")] + Article.Kind.choices)
    title = forms.CharField(label="标题", max_length=120)
    summary = forms.CharField(label="摘要", max_length=300, required=False)
    # The tag names are text to read, not markup: escaped here because the field template marks
    # help text safe (unescaped, the form and the footer ended up inside the help's <ol> and <a>,
    # and clicking 地区 followed that link and lost what was typed).
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=escape(
            "可使用简单的 HTML：<p> <strong> <em> <h3> <ul>/<ol>/<li> <a href> <table> "
            "以及本文章上传图片的 <img src>；其余标签会被去除。"
        ),
    )
    region = forms.ModelChoiceField(label="地区", queryset=Region.objects.all(), required=False, empty_label="全省")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_city:
            del self.fields["region"]


class FileForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ArticleFile.Kind.choices)
    file = forms.FileField(label="文件", help_text="图片：JPG/PNG/GIF/WebP，≤2MB；附件：PDF/Word/Excel/图片，≤10MB")


def _scoped_article(request, pk) -> Article:
    return get_object_or_404(Article.objects.visible_to(request.user).select_related("region", "author"), pk=pk)


@role_required("city", "province", "admin")
def article_list(request):
    qs = Article.objects.visible_to(request.user).select_related("region", "author").order_by("-updated_at", "-pk")
    status = parse_query(request, ArticleManageQuery)["status"]
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/article_manage_list.html",
        {
            "page": page,
            "params": {"status": status} if status else {},
            "status": status,
            "statuses": Article.Status.choices,
            "may_create": request.user.is_city or request.user.is_province,
        },
    )


@role_required("city", "province")
def article_create(request):
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            article = articles.article_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已保存为草稿。可上传图片和附件，核对后发布。")
            return redirect("outreach:article_edit", pk=article.pk)
    return render(request, "outreach/article_form.html", {"form": form, "creating": True})


@role_required("city", "province", "admin")
def article_edit(request, pk):
    """Edit the text, upload or remove files, publish or withdraw (admins and other regions read)."""
    article = _scoped_article(request, pk)
    user = request.user
    may_edit = may(user, "outreach.change_article", article)
    initial = {
        "kind": article.kind,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "region": article.region_id,
    }
    form = ArticleForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            articles.article_update(article_id=article.pk, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "文章已保存。")
            return redirect("outreach:article_edit", pk=article.pk)
    files = [(f, articles.file_url(f)) for f in article.files.all()]
    return render(
        request,
        "outreach/article_form.html",
        {
            "form": form,
            "article": article,
            "files": files,
            "file_form": FileForm(),
            "may_edit": may_edit,
            "creating": False,
        },
    )


@role_required("city", "province")
@require_POST
def article_action(request, pk, action):
    article = _scoped_article(request, pk)
    service, done = {
        "publish": (articles.article_publish, "文章已发布，公众可在服务专区和首页看到。"),
        "unpublish": (articles.article_unpublish, "文章已撤回为草稿。"),
    }[action]
    perform(request, lambda: service(article_id=article.pk, by=request.user), done)
    return redirect("outreach:article_edit", pk=article.pk)


@role_required("city", "province")
@require_POST
def article_file_add(request, pk):
    article = _scoped_article(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择类型和文件。")
    else:
        perform(
            request,
            lambda: articles.article_file_add(
                article_id=article.pk, by=request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            ),
            "文件已上传。",
        )
    return redirect("outreach:article_edit", pk=article.pk)


@role_required("city", "province")
@require_POST
def article_file_delete(request, pk, file_id):
    article = _scoped_article(request, pk)
    item = get_object_or_404(ArticleFile, pk=file_id, article_id=article.pk)
    perform(request, lambda: articles.article_file_delete(file_id=item.pk, by=request.user), "文件已删除。")
    return redirect("outreach:article_edit", pk=article.pk)


# ---------------------------------------------------------------------------------------------
# Demonstration units


@role_required("province", "admin")
def demonstration_ranking(request):
    query = parse_query(request, RankingQuery)
    year, order = query["year"] or timezone.localdate().year, query["by"] or "overall"
    region = Region.objects.filter(code=query["region"]).first() if query["region"] else None
    rows = demonstration.unit_rankings(year, order=order, region_id=region.pk if region else None)
    return render(
        request,
        "outreach/demonstration.html",
        {
            "rows": rows,
            "year": year,
            "order": order,
            "criteria": demonstration.CRITERIA,
            "regions": Region.objects.all(),
            "region": region,
            "years": range(timezone.localdate().year, 2021, -1),
            "may_nominate": request.user.is_province,
            "nominations": Nomination.objects.filter(year=year).select_related("unit__region", "by"),
        },
    )


@role_required("province")
@require_POST
def nominate(request, unit_id):
    raw, this_year = request.POST.get("year", ""), timezone.localdate().year
    year = int(raw) if raw.isdigit() and 2020 <= int(raw) <= this_year + 1 else this_year
    perform(
        request,
        lambda: demonstration.nomination_create(
            unit_id=unit_id, year=year, note=request.POST.get("note", ""), by=request.user
        ),
        f"已推荐为{year}年度全国示范单位。",
    )
    return redirect(f"{reverse('outreach:demonstration')}?year={year}")


@role_required("province")
@require_POST
def nomination_withdraw(request, pk):
    nomination = get_object_or_404(Nomination, pk=pk)
    perform(
        request, lambda: demonstration.nomination_withdraw(nomination_id=nomination.pk, by=request.user), "已撤回推荐。"
    )
    return redirect(f"{reverse('outreach:demonstration')}?year={nomination.year}")


# ---------------------------------------------------------------------------------------------
# Records behind a figure


@role_required("employer", "city", "province", "admin")
def figure_records(request, key):
    """The records a figure counts (or sums), in the user's scope: `?year=&month=&region=&unit=`."""
    figure = FIGURES.get(key)
    if figure is None:
        raise Http404
    today, query = timezone.localdate(), parse_query(request, FigureQuery)
    period = Period(query["year"] or today.year, query["month"])
    if period.year > today.year + 5:
        raise Http404
    region, unit = query["region"], query["unit"] or ""
    base = scoped_base(figure, request.user, region_code=region, unit_id=query["unit"])
    records = figure.records(base, period).order_by("-pk")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    params = {k: v for k, v in {**period.params(), "region": region, "unit": unit}.items() if v}
    return render(
        request,
        "outreach/figure_records.html",
        {
            "figure": figure,
            "period": period,
            "page": page,
            "total": figure.value(base, period),
            "params": params,
            "region": Region.objects.filter(code=region).first() if region else None,
            "is_posts": figure.measure == "slots",
        },
    )
