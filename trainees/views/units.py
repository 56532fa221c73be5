"""Pages a unit keeps beside its placements: its mentors (专人带教) and, for a practice base, its
interns (实习, 双贯通) with the conversion into a traineeship."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from jianxi_portal.core.permissions import may, role_required
from trainees import selectors, services
from trainees.forms import InternshipConvertForm, InternshipEndForm, InternshipForm, MentorForm
from trainees.models import Internship, Mentor
from trainees.services.placements import default_planned_end
from trainees.views.common import data_or_none, run


@role_required("employer")
def mentor_list(request):
    unit = request.user.unit
    if unit is None:
        return render(request, "trainees/no_unit.html", status=200)
    form = MentorForm(data_or_none(request), initial={"active": True})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("active")
        if run(form, lambda: services.mentor_create(unit=unit, by=request.user, **data)) is not None:
            messages.success(request, f"已添加带教老师 {data['name']}。")
            return redirect("trainees:mentor_list")
    return render(
        request,
        "trainees/mentor_list.html",
        {
            "mentors": selectors.mentors_with_load(unit.pk),
            "form": form,
            "unit": unit,
        },
    )


@role_required("employer")
def mentor_edit(request, pk):
    mentor = get_object_or_404(Mentor.objects.visible_to(request.user), pk=pk)
    initial = {f: getattr(mentor, f) for f in ("name", "position", "max_trainees", "active")}
    form = MentorForm(data_or_none(request), initial=initial, editing=True, current_phone=mentor.phone_masked)
    if request.method == "POST" and form.is_valid():
        if run(form, lambda: services.mentor_update(mentor_id=mentor.pk, by=request.user, **form.cleaned_data)):
            messages.success(request, "已保存。")
            return redirect("trainees:mentor_list")
    return render(request, "trainees/mentor_form.html", {"form": form, "mentor": mentor})


@role_required("employer", "city", "province", "admin")
def internship_list(request):
    unit = request.user.unit if request.user.is_employer else None
    return render(
        request,
        "trainees/internship_list.html",
        {
            "internships": selectors.internships_for(request.user),
            "can_create": unit is not None and unit.is_practice_base,
            "not_practice_base": request.user.is_employer and (unit is None or not unit.is_practice_base),
        },
    )


@role_required("employer")
def internship_create(request):
    unit = request.user.unit
    form = InternshipForm(data_or_none(request), unit_id=unit.pk if unit else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        post = data.pop("post")
        internship = run(form, lambda: services.internship_create(post_id=post.pk, by=request.user, **data))
        if internship is not None:
            messages.success(request, f"已登记实习生 {internship.trainee.name}。")
            return redirect("trainees:internship_detail", internship.pk)
    return render(request, "trainees/internship_form.html", {"form": form, "unit": unit})


def _internship(request, pk) -> Internship:
    return get_object_or_404(selectors.internships_for(request.user), pk=pk)


@role_required("employer", "city", "province", "admin")
def internship_detail(request, pk, convert_form=None, end_form=None):
    internship = _internship(request, pk)
    manage = may(request.user, "trainees.change_internship", internship)
    open_ = internship.status != Internship.Status.CONVERTED
    if manage and open_ and convert_form is None:
        start = internship.trainee.left_school_on
        convert_form = InternshipConvertForm(
            unit_id=internship.unit_id,
            initial={
                "signed_on": start,
                "planned_start": start,
                "planned_end": default_planned_end(internship.post, start) if start else None,
            },
        )
    return render(
        request,
        "trainees/internship_detail.html",
        {
            "internship": internship,
            "manage": manage and open_,
            "events": selectors.events_by_object([internship]).get(internship.pk, []),
            "convert_form": convert_form,
            "end_form": end_form or InternshipEndForm(),
        },
    )


@role_required("employer", "city")
def internship_convert(request, pk):
    internship = _internship(request, pk)
    form = InternshipConvertForm(data_or_none(request), unit_id=internship.unit_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        post = data.pop("post")
        placement = run(
            form,
            lambda: services.internship_convert(
                internship_id=internship.pk, by=request.user, post_id=post.pk if post else None, **data
            ),
        )
        if placement is not None:
            messages.success(request, "已转为见习，见习协议已生成。")
            return redirect("trainees:placement_detail", placement.pk)
    return internship_detail(request, pk, convert_form=form)


@role_required("employer", "city")
def internship_end(request, pk):
    internship = _internship(request, pk)
    form = InternshipEndForm(data_or_none(request))
    if request.method == "POST" and form.is_valid():
        if (
            run(
                form, lambda: services.internship_end(internship_id=internship.pk, by=request.user, **form.cleaned_data)
            )
            is not None
        ):
            messages.success(request, "实习已结束。")
            return redirect("trainees:internship_detail", internship.pk)
    return internship_detail(request, pk, end_form=form)
