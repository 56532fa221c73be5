"""Pages of the push log: a post's and an event's pushes (who, why, by which channel, opened,
applied, unsubscribed), the city's push by hand to a filtered group with a preview, and the link
in every push that records its opening."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jianxi_portal.core.majors import catalogue
from jianxi_portal.core.permissions import role_required
from jianxi_portal.core.views_review import error_text
from outreach import push, pushlog
from outreach.models import Event
from positions.models import Education, Post, PostCategory


def push_open(request, token):
    """The link of a push: recorded as opened, then on to its post or event."""
    log = push.push_opened(token=token)
    if log is None:
        raise Http404
    if log.post_id:
        return redirect("post_public", pk=log.post_id)
    return redirect("outreach:event_public", pk=log.event_id)


def _log_page(request, template: str, qs, context: dict):
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, template, {**context, "page": page, "totals": pushlog.totals(qs)})


@role_required("employer", "city", "province", "admin")
def post_pushes(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("unit", "region"), pk=pk)
    return _log_page(
        request,
        "outreach/push_log.html",
        pushlog.push_log(request.user, post=post),
        {"post": post, "title": f"推送记录：{post.title}"},
    )


@role_required("city", "province", "admin")
def event_pushes(request, pk):
    event = get_object_or_404(Event.objects.visible_to(request.user).select_related("region"), pk=pk)
    return _log_page(
        request,
        "outreach/push_log.html",
        pushlog.push_log(request.user, event=event),
        {"event": event, "title": f"推送记录：{event.title}"},
    )


class HandPushForm(forms.Form):
    """The group to push to: people of the city's region the post or event fits, narrowed."""

    post = forms.IntegerField(required=False, widget=forms.HiddenInput)
    event = forms.IntegerField(required=False, widget=forms.HiddenInput)
    major = forms.CharField(
        label="专业（门类、专业类或专业的名称或代码）",
        max_length=40,
        required=False,
        help_text="如“工学”“计算机类”“080901”；留空则不限",
    )
    education = forms.ChoiceField(
        label="学历", required=False, choices=[("", "不限")] + [c for c in Education.choices if c[0] != Education.ANY]
    )
    category = forms.ChoiceField(label="意向岗位类别", choices=[("", "不限")] + PostCategory.choices, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("post") and not data.get("event"):
            raise ValidationError("请从岗位或招聘活动页面进入人工推送。")
        word = (data.get("major") or "").strip()
        found = catalogue().lookup(word) if word else []
        if word and not found:
            self.add_error("major", "专业目录中没有这个名称或代码。")
        data["major_codes"] = [n.code for n in found]
        return data


def _hand_push_args(form) -> dict:
    data = form.cleaned_data
    return {
        "post_id": data.get("post"),
        "event_id": data.get("event"),
        "education": data.get("education") or "",
        "category": data.get("category") or "",
        "major_code": (data.get("major_codes") or [""])[0],
    }


@role_required("city")
def hand_push(request):
    """GET: the group and who of it would not receive the push, and why; POST: send."""
    form = HandPushForm(request.POST or request.GET or None)
    rows, target = [], None
    if form.is_bound and form.is_valid():
        args = _hand_push_args(form)
        try:
            if request.method == "POST":
                sent, skipped = push.hand_push_send(by=request.user, **args)
                messages.success(request, f"已推送给 {sent} 人；{skipped} 人未推送（原因见预览）。")
                back = (
                    reverse("outreach:post_pushes", args=[args["post_id"]])
                    if args["post_id"]
                    else reverse("outreach:event_pushes", args=[args["event_id"]])
                )
                return redirect(back)
            rows = push.hand_push_preview(by=request.user, **args)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        target = _target(request.user, args)
    return render(
        request,
        "outreach/hand_push.html",
        {
            "form": form,
            "rows": rows,
            "target": target,
            "limit": push.push_limit(),
            "will_send": sum(r.blocked is None for r in rows),
        },
    )


def _target(user, args):
    if args["post_id"]:
        return Post.objects.visible_to(user).filter(pk=args["post_id"]).first()
    return Event.objects.visible_to(user).filter(pk=args["event_id"]).first()
