"""Pages of posts: the public post list and post page (no login needed), and the management
pages of employers, cities and the province (create, edit, submit, review history, close)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from jianxi_portal.core.models import Region
from jianxi_portal.core.navigation import providers
from jianxi_portal.core.pagination import BadCursor, KeysetPaginator
from jianxi_portal.core.permissions import has_role, may, role_required
from jianxi_portal.core.query import InvalidQuery, parse_query, query_form
from jianxi_portal.core.remember import remembered
from jianxi_portal.core.views import form_errors_from
from jianxi_portal.core.views_review import perform, review_context
from positions import services
from positions.forms import CloseForm, PostForm, PostManageQuery, PostPageQuery, PostQuery, UnitParam
from positions.models import Education, Post, PostCategory
from positions.selectors import COLUMNS, PostFilters, posts_managed, posts_public
from units.models import Industry, Unit

PAGE_SIZE = 20
# Who may open a post's management page (`post_detail`), within their scope (`Post.visible_to`).
MANAGING_ROLES = ("employer", "city", "province", "admin")


def _scoped_post(request, pk):
    qs = Post.objects.visible_to(request.user).select_related("unit", "region", "district")
    return get_object_or_404(qs, pk=pk)


def _may_open_management(user, post) -> bool:
    """The management page's own check (its roles, then its scope): the public page links to it only
    when it would open (CONVENTIONS.md, "Permissions": the page's own check, never re-derived)."""
    return has_role(user, MANAGING_ROLES) and Post.objects.visible_to(user).filter(pk=post.pk).exists()


def _may_edit(user, post) -> bool:
    """`positions.change_post` (positions.permissions), while the post is a draft or returned."""
    return post.is_editable and may(user, "positions.change_post", post)


def post_actions(user, post) -> list[tuple[str, str]]:
    """Links other apps offer on a public post page (e.g. "申请该岗位"): each app's `nav.py` may
    define `post_actions(user, post) -> [(label, url)]`, like `nav_items`."""
    actions = []
    for module in providers():
        actions.extend(getattr(module, "post_actions", lambda u, p: [])(user, post))
    if not actions and not (user.is_authenticated and not user.is_youth):
        actions = _default_apply_link(post)
    return actions


def _default_apply_link(post) -> list[tuple[str, str]]:
    """Until the trainees app offers its own action, young people (and visitors, who sign in
    first) reach its application page from here, when it exists."""
    try:
        return [("申请该岗位", reverse("trainees:application_apply", args=[post.pk]))]
    except NoReverseMatch:
        return []


# ---------------------------------------------------------------------------------------------
# Public


def post_list(request):
    """见习岗位清单: published posts with search (title, unit, major), filters (region, category,
    industry, special column, education, also-internship), a sort (`selectors.SORTS`) and keyset
    pages that keep them (`KeysetPaginator`: 下一页 carries the last row's sort key, so a deep
    page costs what the first costs; an older `?page=N` link still shows its rows). 下一页 is
    decided by reading one row more than the page; the total is not counted here (a broad word's
    count costs more than the page, bench/README.md): it is the remembered "超过 1000 个" when a
    visitor counted it in the last minutes, else it is filled in after load by the page's script
    from `post_list_count`, or —
    without JavaScript — by the link 「统计总数」 (`?count=1`: the page counts itself). At most two
    queries whatever the number of posts or the page's depth: the page (with unit, region,
    district) and the regions when the filter form is rendered (kept 5 minutes per set of
    filters); plus, on PostgreSQL, one per search word for the units whose name holds it and one
    for the region's id."""
    filters = PostFilters(**parse_query(request, PostQuery))
    where = query_form(request, PostPageQuery)
    paginator = _paginator(filters)
    try:
        page = paginator.page(
            after=where.cleaned_data["after"], number=where.cleaned_data["page"], count=where.cleaned_data["count"]
        )
    except BadCursor:
        where.add_error("after", "翻页链接已失效，请从第一页重新查看。")
        raise InvalidQuery(where) from None
    if not page.rows and page.number > 1 and not page.capped:  # an old link past the end: the last page
        total, capped = paginator.count()
        if not capped:
            page = paginator.page(number=max(1, -(-total // PAGE_SIZE)), count=True)
    # Each row's two links from one reverse per page, not two `{% url %}` per row (a tenth of the
    # page's rendering at national scale, bench/README.md).
    post_href, unit_href = _pk_url("post_public"), _pk_url("unit_public")
    for post in page.rows:
        post.href, post.unit_href = post_href(post.pk), unit_href(post.unit_id)
    context = {
        "page": page,
        "params": filters.as_params(),
        "filters_form": _filters_form(filters),
        "total_text": None if page.count is None else total_text(page.count, page.capped),
    }
    return render(request, "positions/list.html", context)


def _pk_url(name: str):
    """`pk -> reverse(name, args=[pk])` for a URL whose only argument is an `<int:pk>` (checked),
    reversing once: the URL of pk 0 cut at its argument."""
    sample = reverse(name, args=[0])
    head, sep, tail = sample.rpartition("/0/")
    if not sep or reverse(name, args=[12]) != f"{head}/12/{tail}":
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{head}/{pk}/{tail}"


def _paginator(filters: PostFilters) -> KeysetPaginator:
    # The count depends on the filters and the day, not on the sort (its capped answer is remembered).
    unsorted = sorted((k, v) for k, v in filters.as_params().items() if k != "sort")
    count_key = ("posts_public", unsorted, timezone.localdate())
    return KeysetPaginator(posts_public(filters), PAGE_SIZE, tag=filters.sort, count_key=count_key)


def total_text(count: int, capped: bool) -> str:
    """The list's total as the page shows it: exact, or a lower bound when the count stopped."""
    if capped:
        return f"超过 {count} 个在招岗位（数到 {count} 个为止；可用关键词或筛选缩小范围）"
    return f"共 {count} 个在招岗位"


def post_list_count(request):
    """The public list's total for the same filters (`?q=…&region=…`, as the list reads them), as
    JSON `{"count": N, "capped": bool, "text": "共 N 个在招岗位"}`: what `static/js/post_count.js`
    fills into the list after load. Counted up to 1,000 like the list always was (a capped answer
    remembered 120 s per set of filters and day, so the list itself then shows it at once). Bad
    filters: 400 with `{"parameter": ["message"]}` in Chinese, as the API answers them."""
    try:
        filters = PostFilters(**parse_query(request, PostQuery))
    except InvalidQuery as exc:
        return JsonResponse(exc.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})
    count, capped = _paginator(filters).count()
    body = {"count": count, "capped": capped, "text": total_text(count, capped)}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _filters_form(filters: PostFilters) -> str:
    """The list's filter form and sort links, rendered once per set of filters for 5 minutes: the
    same for every visitor (no personal data, a GET form without a token); the regions are read
    only when it is rendered."""

    def render_form():
        return render_to_string(
            "positions/_list_filters.html",
            {
                "filters": filters,
                "regions": Region.objects.all(),
                "categories": PostCategory.choices,
                "industries": Industry.choices,
                "educations": Education.choices,
                "columns": [(k, label) for k, (_, label) in COLUMNS.items()],
                "sort_links": filters.sort_links(),
            },
        )

    return mark_safe(remembered("post_list_filters", filters, 300, render_form))  # our own template, rendered above


def post_public(request, pk):
    """A published post's public page (a closed or unpublished post is a 404 here)."""
    post = get_object_or_404(Post.objects.published().select_related("unit", "region", "district"), pk=pk)
    manages = _may_open_management(request.user, post)
    context = {"post": post, "actions": post_actions(request.user, post), "manages": manages}
    return render(request, "positions/public_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Management


@role_required("employer", "city", "province", "admin")
def post_manage_list(request):
    """Posts in the user's scope (employer: its unit's; city: its region's; province: all)."""
    user = request.user
    qs = Post.objects.visible_to(user).select_related("unit", "region", "district").order_by("-pk")
    query = parse_query(request, PostManageQuery)
    if not user.sees_all_regions:
        query["region"] = ""
    qs = posts_managed(qs, query)
    status, q, region = query["status"], query["q"], query["region"]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Post.Status.choices,
        "q": q,
        "region": region,
        "regions": Region.objects.all() if user.sees_all_regions else [],
        "params": {k: v for k, v in {"status": status, "region": region, "q": q}.items() if v},
        "may_create": user.is_employer and user.unit_id is not None,
    }
    return render(request, "positions/manage_list.html", context)


def _unit_asked(request) -> int | None:
    """`?unit=` (the unit page's link; the form posts back to it), else the form's hidden `unit`."""
    unit = parse_query(request, UnitParam)["unit"]
    posted = request.POST.get("unit", "")
    return unit or (int(posted) if posted.isascii() and posted.isdigit() and len(posted) < 19 else None)


@role_required("employer", "city")
def post_create(request):
    """A new draft post: of the employer's own unit, or (city, offline channel) of `?unit=`."""
    user = request.user
    unit_id = user.unit_id if user.is_employer else _unit_asked(request)
    if not unit_id:
        messages.error(request, "请先登记本单位，再发布岗位。" if user.is_employer else "请从单位页面新增岗位。")
        return redirect("my_unit" if user.is_employer else "unit_manage_list")
    unit = get_object_or_404(Unit.objects.visible_to(user).select_related("region"), pk=unit_id)
    form = PostForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(by=user, unit_id=unit.pk, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "岗位已保存为草稿。单位审核通过后即可提交岗位审核。")
            return redirect("post_detail", pk=post.pk)
    return render(request, "positions/form.html", {"form": form, "unit": unit, "creating": True})


@role_required(*MANAGING_ROLES)
def post_detail(request, pk):
    """One post for the people who work on it: fields, status, deadline and working days left,
    the full history, and the actions the user may take now."""
    user = request.user
    post = _scoped_post(request, pk)
    context = {
        "post": post,
        # Who may act is asked in the template ({% may %}, positions.permissions).
        "close_form": CloseForm(),
        "is_public": post.is_open_for_applications(),
        **review_context(post, user),
    }
    return render(request, "positions/detail.html", context)


@role_required("employer", "city")
def post_edit(request, pk):
    user = request.user
    post = _scoped_post(request, pk)
    if not _may_edit(user, post):
        messages.error(request, f"岗位当前状态为“{post.get_status_display()}”，不能修改。")
        return redirect("post_detail", pk=post.pk)
    form = PostForm(request.POST or None, unit=post.unit, initial=PostForm.initial_from(post))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(post_id=post.pk, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "岗位已保存。")
            return redirect("post_detail", pk=post.pk)
    return render(request, "positions/form.html", {"form": form, "unit": post.unit, "post": post, "creating": False})


@role_required("employer", "city")
@require_POST
def post_submit(request, pk):
    post = _scoped_post(request, pk)
    perform(
        request,
        lambda: services.post_submit(post_id=post.pk, by=request.user),
        "岗位已提交审核，市（州）人社部门将在15个工作日内审核。",
    )
    return redirect("post_detail", pk=post.pk)


@role_required("employer", "city")
@require_POST
def post_close(request, pk):
    post = _scoped_post(request, pk)
    reason = request.POST.get("reason", "")
    perform(
        request,
        lambda: services.post_close(post_id=post.pk, by=request.user, reason=reason),
        f"岗位“{post.title}”已关闭。",
    )
    return redirect("post_detail", pk=post.pk)
