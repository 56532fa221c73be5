"""Pages of applications: a young person applies to a post; the employer accepts (signing a planned
placement) or declines; the applicant may withdraw."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from positions.models import Post
from trainees import selectors, services
from trainees.forms import AgreementForm, ApplicationQuery, ApplyForm, DeclineForm
from trainees.models import Application, Trainee
from trainees.post_rules import post_open_for_applications
from trainees.services.placements import default_planned_end
from trainees.views.common import data_or_none, run


@role_required("employer", "youth", "city", "province", "admin")
def application_list(request):
    status = parse_query(request, ApplicationQuery)["status"]
    qs = selectors.applications_for(request.user)
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trainees/application_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Application.Status.choices,
        },
    )


@role_required("youth")
def application_apply(request, post_id):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("unit", "district"), pk=post_id)
    if not Trainee.objects.filter(user=request.user).exists():
        messages.warning(request, "申请岗位前请先登记个人信息。")
        return redirect("trainees:my_profile")
    form = ApplyForm(data_or_none(request))
    if request.method == "POST" and form.is_valid():
        application = run(
            form, lambda: services.application_create(post_id=post.pk, by=request.user, note=form.cleaned_data["note"])
        )
        if application is not None:
            messages.success(request, f"已提交对“{post.title}”的申请，请等待单位处理。")
            return redirect("trainees:application_detail", application.pk)
    open_now = post_open_for_applications(post)
    return render(request, "trainees/application_apply.html", {"post": post, "form": form, "open_now": open_now})


def _detail(request, application, *, accept_form=None, decline_form=None):
    post = application.post
    today = timezone.localdate()
    can_decide = may(request.user, "trainees.decide_application", application) and (
        application.status == Application.Status.PENDING
    )
    if can_decide and accept_form is None:
        accept_form = AgreementForm(
            initial={
                "signed_on": today,
                "planned_start": today,
                "planned_end": default_planned_end(post, today),
                "allowance": post.allowance,
            }
        )
    return render(
        request,
        "trainees/application_detail.html",
        {
            "application": application,
            "post": post,
            "can_decide": can_decide,
            "accept_form": accept_form,
            "decline_form": decline_form or DeclineForm(),
            "can_withdraw": may(request.user, "trainees.withdraw_application", application)
            and application.status == Application.Status.PENDING,
        },
    )


def _scoped(request, pk):
    return get_object_or_404(selectors.applications_for(request.user), pk=pk)


@role_required("employer", "youth", "city", "province", "admin")
def application_detail(request, pk):
    return _detail(request, _scoped(request, pk))


@require_POST
@role_required("employer")
def application_accept(request, pk):
    application = _scoped(request, pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        placement = run(
            form,
            lambda: services.application_accept(application_id=application.pk, by=request.user, **form.cleaned_data),
        )
        if placement is not None:
            messages.success(request, f"已录用 {application.trainee.name}，见习协议已生成。")
            return redirect("trainees:placement_detail", placement.pk)
    return _detail(request, application, accept_form=form)


@require_POST
@role_required("employer")
def application_decline(request, pk):
    application = _scoped(request, pk)
    form = DeclineForm(request.POST)
    if (
        form.is_valid()
        and run(
            form,
            lambda: services.application_decline(
                application_id=application.pk, by=request.user, note=form.cleaned_data["note"]
            ),
        )
        is not None
    ):
        messages.success(request, "已告知申请人未被录用。")
        return redirect("trainees:application_list")
    return _detail(request, application, decline_form=form)


@require_POST
@role_required("youth")
def application_withdraw(request, pk):
    application = _scoped(request, pk)
    form = DeclineForm()
    if run(form, lambda: services.application_withdraw(application_id=application.pk, by=request.user)) is not None:
        messages.success(request, "申请已撤回。")
        return redirect("trainees:application_list")
    messages.error(request, "；".join(form.non_field_errors()))
    return redirect("trainees:application_detail", application.pk)
