"""Pages of follow-up (跟踪帮扶): the city's list of people not retained, with who has not been
contacted within 30 days, and a person's page with the contacts and the form to record one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from jianxi_portal.core.views import form_errors_from
from outreach import followup
from outreach.models import FollowUpContact
from outreach.queries import CaseQuery


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label="联系日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label="联系方式", choices=FollowUpContact.Method.choices)
    outcome = forms.ChoiceField(label="当前状况", choices=FollowUpContact.Outcome.choices)
    outcome_on = forms.DateField(
        label="就业/培训开始日期",
        required=False,
        help_text="已就业或参加培训时填写",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="帮扶情况",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：推荐岗位、政策宣传、培训报名等",
    )


@role_required("city", "province", "admin")
def case_list(request):
    today = timezone.localdate()
    user = request.user
    params = parse_query(request, CaseQuery)
    if not user.sees_all_regions:
        params["region"] = ""
    cases = followup.filtered(followup.follow_up_cases(user, today=today), today=today, **params)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    for case in page:
        case.due = followup.is_due(case, today)
    query = {k: ("1" if v is True else v) for k, v in params.items() if v}
    return render(
        request,
        "outreach/followup_list.html",
        {
            "page": page,
            "params": query,
            "filters": params,
            "outcomes": FollowUpContact.Outcome.choices,
            "regions": Region.objects.all() if user.sees_all_regions else [],
            "days": followup.CONTACT_DAYS,
        },
    )


@role_required("city", "province", "admin")
def case_detail(request, pk):
    today = timezone.localdate()
    case = get_object_or_404(followup.follow_up_cases(request.user, today=today), pk=pk)
    may_record = may(request.user, "outreach.add_followupcontact", case)
    form = ContactForm(request.POST or None, initial={"contacted_on": today})
    if request.method == "POST" and may_record and form.is_valid():
        try:
            followup.contact_record(placement_id=case.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已登记对{case.trainee.name}的跟踪帮扶。")
            return redirect("outreach:followup_detail", pk=case.pk)
    contacts = case.follow_ups.select_related("by").order_by("-contacted_on", "-pk")
    return render(
        request,
        "outreach/followup_detail.html",
        {
            "case": case,
            "contacts": contacts,
            "form": form,
            "may_record": may_record,
            "due": followup.is_due(case, today),
            "days": followup.CONTACT_DAYS,
        },
    )
