"""Pages of recommendations: a young person's recommended posts and preferences, the unsubscribe
link of push emails, and a post's ranked candidates for its employer (with invitations)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianxi_portal.core.majors import catalogue
from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import role_required
from jianxi_portal.core.views import form_errors_from
from jianxi_portal.core.views_review import perform
from outreach import push, pushlog, seekers
from outreach.models import SeekerProfile
from outreach.recommend import MAX_SCORE, candidates_for_post, posts_for_seeker
from positions.models import Post, PostCategory
from trainees.services.consent import has_chosen


class PreferencesForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label="意向地区",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则按您的联系市（州）推荐",
    )
    categories = forms.MultipleChoiceField(
        label="意向岗位类别", choices=PostCategory.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


@role_required("youth")
def recommended(request):
    """The posts that fit the person best, with the reasons of each."""
    profile = seekers.profile_for(request.user)
    context = {
        "profile": profile,
        "matches": posts_for_seeker(profile, limit=20) if profile else [],
        "major_node": catalogue().node(profile.major_code) if profile else None,
        "max_score": MAX_SCORE,
    }
    return render(request, "outreach/recommended.html", context)


@role_required("youth")
def preferences(request):
    profile = seekers.profile_for(request.user)
    if profile is None:
        messages.info(request, "请先登记个人信息。")
        return redirect("trainees:my_profile")
    initial = {"regions": list(profile.preferred_regions.all()), "categories": profile.categories}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            seekers.seeker_preferences_update(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "求职意向已保存，推荐岗位已按新的意向更新。")
            return redirect("outreach:recommended")
    return render(
        request,
        "outreach/preferences.html",
        {"form": form, "profile": profile, "limit": push.push_limit(), "chosen": has_chosen(profile.trainee)},
    )


def unsubscribe(request, token):
    """The link in push emails: a page to confirm (link checkers only GET), no sign-in needed."""
    if request.method == "POST":
        try:
            seekers.seeker_unsubscribe(token=token)
        except ValidationError:
            return render(request, "outreach/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "outreach/unsubscribe.html", {"done": True})

    if not SeekerProfile.objects.filter(unsubscribe_token=token).exists():
        return render(request, "outreach/unsubscribe.html", {"invalid": True}, status=404)
    return render(request, "outreach/unsubscribe.html", {})


def _managed_post(request, pk) -> Post:
    return get_object_or_404(Post.objects.visible_to(request.user).select_related("unit", "region"), pk=pk)


@role_required("employer", "city", "province", "admin")
def post_candidates(request, pk):
    """The registered young people who fit a published post best, with the reasons; the post's
    unit (or city) may invite them to apply."""
    post = _managed_post(request, pk)
    published = Post.objects.published().filter(pk=post.pk).exists()
    matches = candidates_for_post(post, limit=30) if published else []
    user = request.user
    may_invite = published and push.may_invite(user, post)
    return render(
        request,
        "outreach/candidates.html",
        {
            "post": post,
            "matches": matches,
            "published": published,
            "may_invite": may_invite,
            "marks": pushlog.invited_marks(post) if may_invite else {},
            "limit": push.push_limit(),
            "requirement": catalogue().requirement(post.majors).describe(),
        },
    )


@role_required("employer", "city")
@require_POST
def post_invite(request, pk, profile_id):
    post = _managed_post(request, pk)
    perform(
        request,
        lambda: push.seeker_invite(post_id=post.pk, profile_id=profile_id, by=request.user),
        "已向该求职者发送申请邀请。",
    )
    return redirect("outreach:post_candidates", pk=post.pk)
