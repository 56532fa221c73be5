"""Pages of recruitment events: the public list of upcoming events and an event's page (apply from
it), and the city's management pages (create, edit, publish, cancel, attach posts, figures)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from jianxi_portal.core.views import form_errors_from
from jianxi_portal.core.views_review import perform
from outreach import events as services
from outreach.models import Event, EventApplication, EventPost, EventSignup
from outreach.queries import EventManageQuery, EventQuery
from positions.models import Post
from trainees.forms import ApplyForm
from trainees.models import Application, Trainee


class EventForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="活动类型", choices=[("", "请选择")] + Event.Kind.choices)
    starts_on = forms.DateField(label="活动日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="开始时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="结束时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="活动地点", max_length=200, required=False, help_text="线下活动填写；直播活动可留空")
    live_url = forms.CharField(
        label="直播链接", max_length=300, required=False, help_text="直播带岗填写，以 https:// 开头"
    )
    description = forms.CharField(label="活动介绍", required=False, widget=forms.Textarea(attrs={"rows": 5}))


# ---------------------------------------------------------------------------------------------
# Public


def event_list(request):
    """Upcoming published events, soonest first (no login needed)."""
    today = timezone.localdate()
    events = Event.objects.upcoming(today).select_related("region")
    region = parse_query(request, EventQuery)["region"]
    if region:
        events = events.filter(region__code=region)
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    figures = services.event_figures(page)
    for event in page:
        event.figures = figures[event.pk]

    return render(
        request,
        "outreach/event_list.html",
        {
            "page": page,
            "params": {"region": region} if region else {},
            "regions": Region.objects.all(),
            "region": region,
        },
    )


PUBLIC = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def _public_event(request, pk) -> Event:
    return get_object_or_404(Event.objects.filter(status=Event.Status.PUBLISHED).select_related("region"), pk=pk)


class CheckInForm(forms.Form):
    code = forms.CharField(label="签到码", max_length=8, help_text="活动现场公布的6位数字")


def event_public(request, pk):
    """An event's public page; a cancelled event's page stays and says so (its posts are not shown)."""
    event = get_object_or_404(Event.objects.filter(status__in=PUBLIC).select_related("region"), pk=pk)
    today = timezone.localdate()
    cancelled = event.status == Event.Status.CANCELLED
    posts = Post.objects.none() if cancelled else Post.objects.published().filter(eventpost__event=event)
    signup = None
    if request.user.is_authenticated and request.user.is_youth:
        signup = EventSignup.objects.filter(event=event, user=request.user).first()
    return render(
        request,
        "outreach/event_public.html",
        {
            "event": event,
            "posts": posts.select_related("unit", "district").order_by("eventpost__added_at"),
            "upcoming": event.starts_on >= today,
            "event_day": event.starts_on == today,
            "cancelled": cancelled,
            "figures": services.event_figures([event])[event.pk],
            "signup": signup,
            "checkin_form": CheckInForm(),
        },
    )


@role_required("youth")
@require_POST
def event_signup(request, pk):
    event = get_object_or_404(Event.objects.filter(status__in=PUBLIC), pk=pk)
    if request.POST.get("cancel"):
        perform(request, lambda: services.event_signup_cancel(event_id=event.pk, by=request.user), "已取消报名。")
    else:
        perform(
            request,
            lambda: services.event_signup(event_id=event.pk, by=request.user),
            "报名成功。活动当天请在现场输入签到码签到；活动如有变更或取消，我们会通知您。",
        )
    return redirect("outreach:event_public", pk=event.pk)


@role_required("youth")
@require_POST
def event_check_in(request, pk):
    event = get_object_or_404(Event.objects.filter(status__in=PUBLIC), pk=pk)
    form = CheckInForm(request.POST)
    code = form.data.get("code", "")
    perform(
        request,
        lambda: services.event_check_in_by_code(event_id=event.pk, code=code, by=request.user),
        "签到成功，欢迎参加本次活动。",
    )
    return redirect("outreach:event_public", pk=event.pk)


@role_required("youth")
def event_apply(request, pk, post_id):
    event = _public_event(request, pk)
    post = get_object_or_404(Post.objects.published().filter(eventpost__event=event).select_related("unit"), pk=post_id)
    if not Trainee.objects.filter(user=request.user).exists():
        messages.warning(request, "申请岗位前请先登记个人信息。")
        return redirect("trainees:my_profile")
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.event_apply(
                event_id=event.pk, post_id=post.pk, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已通过“{event.title}”提交对“{post.title}”的申请。")
            return redirect("trainees:application_detail", application.pk)
    return render(request, "outreach/event_apply.html", {"event": event, "post": post, "form": form})


# ---------------------------------------------------------------------------------------------
# Management


def _scoped(request, pk) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("region", "created_by"), pk=pk)


@role_required("city", "province", "admin")
def event_manage_list(request):
    events = Event.objects.visible_to(request.user).select_related("region").order_by("-starts_on", "-pk")
    query = parse_query(request, EventManageQuery)
    status, upcoming = query["status"], query["upcoming"]
    if status:
        events = events.filter(status=status)
    if upcoming:
        events = events.filter(starts_on__gte=timezone.localdate()).exclude(status=Event.Status.CANCELLED)
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    figures = services.event_figures(page)
    for event in page:
        event.figures = figures[event.pk]
    params = {k: v for k, v in {"status": status, "upcoming": "1" if upcoming else ""}.items() if v}
    return render(
        request,
        "outreach/event_manage_list.html",
        {
            "page": page,
            "params": params,
            "status": status,
            "upcoming": upcoming,
            "statuses": Event.Status.choices,
            "may_create": request.user.is_city,
        },
    )


@role_required("city")
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "活动已保存为草稿。添加岗位后即可发布。")
            return redirect("outreach:event_detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form, "creating": True})


@role_required("city")
def event_edit(request, pk):
    event = _scoped(request, pk)
    initial = {name: getattr(event, name) for name in services.FIELDS}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event_id=event.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "活动已保存。")
            return redirect("outreach:event_detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form, "event": event, "creating": False})


@role_required("city", "province", "admin")
def event_detail(request, pk):
    """An event for its city: fields, attached posts, applications made through it, actions."""
    event = _scoped(request, pk)
    user = request.user
    manages = may(user, "outreach.change_event", event)
    attached = EventPost.objects.filter(event=event).select_related("post__unit", "confirmed_by")
    addable = []
    if manages and event.status != Event.Status.CANCELLED:
        addable = (
            Post.objects.published()
            .filter(region_id=event.region_id)
            .exclude(eventpost__event=event)
            .select_related("unit")
            .order_by("-published_on", "-id")[:200]
        )
    applications = (
        EventApplication.objects.filter(event=event)
        .select_related("application__trainee", "application__post__unit")
        .order_by("-created_at")
    )
    signups = (
        EventSignup.objects.filter(event=event)
        .select_related("user__trainee", "checked_in_by")
        .order_by("cancelled_at", "created_at")
    )
    return render(
        request,
        "outreach/event_detail.html",
        {
            "event": event,
            "attached": attached,
            "addable": addable,
            "manages": manages,
            "applications": applications,
            "figures": services.event_figures([event])[event.pk],
            "accepted": Application.Status.ACCEPTED,
            "signups": signups,
            "event_day": event.starts_on == timezone.localdate(),
        },
    )


@role_required("city")
@require_POST
def event_action(request, pk, action):
    event = _scoped(request, pk)
    if action == "publish":
        perform(
            request,
            lambda: services.event_publish(event_id=event.pk, by=request.user),
            "活动已发布，公众可在“招聘活动”中看到；专业相符且同意推送的青年将收到活动通知。",
        )
    else:
        reason = request.POST.get("reason", "")
        perform(
            request,
            lambda: services.event_cancel(event_id=event.pk, by=request.user, reason=reason),
            "活动已取消，已通知所有报名人员和参会单位。",
        )
    return redirect("outreach:event_detail", pk=event.pk)


@role_required("city")
@require_POST
def event_check_in_from_list(request, pk, signup_id):
    event = _scoped(request, pk)
    signup = get_object_or_404(EventSignup.objects.filter(event=event), pk=signup_id)
    perform(request, lambda: services.event_check_in_from_list(signup_id=signup.pk, by=request.user), "已签到。")
    return redirect("outreach:event_detail", pk=event.pk)


@role_required("employer")
def unit_events(request):
    """The events the unit's posts are at, to confirm its booth."""
    links = (
        EventPost.objects.filter(post__unit_id=request.user.unit_id)
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event__region", "post")
        .order_by("-event__starts_on", "pk")
    )
    return render(request, "outreach/unit_events.html", {"links": links})


@role_required("employer")
@require_POST
def booth_confirm(request, pk, post_id):
    link = get_object_or_404(EventPost.objects.filter(post__unit_id=request.user.unit_id), event_id=pk, post_id=post_id)
    perform(
        request,
        lambda: services.event_booth_confirm(event_id=link.event_id, post_id=link.post_id, by=request.user),
        "已确认参会。",
    )
    return redirect("outreach:unit_events")


@role_required("city")
@require_POST
def event_post_add(request, pk):
    event = _scoped(request, pk)
    raw = request.POST.get("post", "")
    if not raw.isdigit():
        messages.error(request, "请选择要添加的岗位。")
    else:
        perform(
            request,
            lambda: services.event_post_add(event_id=event.pk, post_id=int(raw), by=request.user),
            "岗位已添加到活动。",
        )
    return redirect("outreach:event_detail", pk=event.pk)


@role_required("city")
@require_POST
def event_post_remove(request, pk, post_id):
    event = _scoped(request, pk)
    perform(
        request,
        lambda: services.event_post_remove(event_id=event.pk, post_id=post_id, by=request.user),
        "岗位已从活动中移除。",
    )
    return redirect("outreach:event_detail", pk=event.pk)
