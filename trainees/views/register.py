"""Pages of the trainee register: the city's list, create and edit; a trainee's page with every
placement and event; young people's self-registration and profile."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from jianxi_portal.core.views import run_every_check
from trainees import selectors, services
from trainees.forms import ConsentForm, LinkAccountForm, ProfileForm, TraineeForm, TraineeQuery, YouthRegisterForm
from trainees.models import ConsentChange, Trainee, TraineeCategory
from trainees.services import consent
from trainees.views.common import data_or_none, run

PROFILE_INITIAL = (
    "name",
    "category",
    "school",
    "major",
    "education",
    "left_school_on",
    "unemployment_registered",
    "employed",
)


@role_required("city", "province", "admin")
def trainee_list(request):
    query = parse_query(request, TraineeQuery)
    q, category = query["q"], query["category"]
    page = Paginator(selectors.trainees_for(request.user, q=q, category=category), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trainees/trainee_list.html",
        {
            "page": page,
            "q": q,
            "category": category,
            "categories": TraineeCategory.choices,
        },
    )


@role_required("city")
def trainee_create(request):
    form = TraineeForm(data_or_none(request))
    if request.method == "POST" and form.is_valid():
        trainee = run(form, lambda: services.trainee_create(by=request.user, **form.cleaned_data))
        if trainee is not None:
            messages.success(request, f"已登记见习人员 {trainee.name}。")
            return redirect("trainees:trainee_detail", trainee.pk)
    return render(request, "trainees/trainee_form.html", {"form": form, "title": "登记见习人员"})


def _profile_initial(trainee: Trainee) -> dict:
    return {field: getattr(trainee, field) for field in PROFILE_INITIAL}


@role_required("city")
def trainee_edit(request, pk):
    trainee = get_object_or_404(Trainee.objects.editable_by(request.user), pk=pk)
    form = TraineeForm(data_or_none(request), initial=_profile_initial(trainee), editing=True)
    if request.method == "POST" and form.is_valid():
        done = run(
            form, lambda: services.trainee_update(trainee_id=trainee.pk, by=request.user, **form.service_values())
        )
        if done is not None:
            messages.success(request, "已保存。")
            return redirect("trainees:trainee_detail", trainee.pk)
    return render(
        request, "trainees/trainee_form.html", {"form": form, "trainee": trainee, "title": f"修改：{trainee.name}"}
    )


def trainee_context(trainee: Trainee, user) -> dict:
    """A trainee's placements with their events and trainings, applications and internships."""
    placements = list(selectors.trainee_placements(trainee, user))
    events = selectors.events_by_object(placements)
    return {
        "trainee": trainee,
        "placements": [(p, events.get(p.pk, [])) for p in placements],
        "applications": selectors.applications_for(user).filter(trainee=trainee),
        "internships": selectors.internships_for(user).filter(trainee=trainee),
    }


@role_required("city", "province", "admin", "employer")
def trainee_detail(request, pk):
    trainee = get_object_or_404(Trainee.objects.visible_to(request.user).select_related("region"), pk=pk)
    # The ID number and phone show in full (each view audited) only to the people the rule in
    # jianxi_portal.core.personal names: the template asks it (`{% personal %}`).
    context = trainee_context(trainee, request.user)
    context["can_edit"] = Trainee.objects.editable_by(request.user).filter(pk=trainee.pk).exists()
    context["can_place"] = may(request.user, "trainees.place_trainee", trainee)
    context["link_form"] = LinkAccountForm() if context["can_place"] else None
    return render(request, "trainees/trainee_detail.html", context)


@role_required("city")
@require_POST
def trainee_link_account(request, pk):
    """The claim path of a record registered before the person's account (SECURITY.md, "ID numbers")."""
    trainee = get_object_or_404(Trainee.objects.editable_by(request.user), pk=pk)
    form = LinkAccountForm(request.POST)
    if form.is_valid():
        done = run(
            form,
            lambda: services.trainee_link_account(
                trainee_id=trainee.pk, by=request.user, username=form.cleaned_data["username"]
            ),
        )
        if done is not None:
            messages.success(request, f"已将账户 {form.cleaned_data['username']} 关联到{trainee.name}的见习人员信息。")
            return redirect("trainees:trainee_detail", trainee.pk)
    messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("trainees:trainee_detail", trainee.pk)


def youth_register(request):
    """Public self-registration: an account and the person's record in one step."""
    if request.user.is_authenticated:
        return redirect("trainees:my_profile")
    form = YouthRegisterForm(data_or_none(request))
    if request.method == "POST":
        user = run_every_check(form, lambda data: services.youth_register(**form.service_values(data)))
        if user is not None:
            # One answer whether or not the ID number was registered before (SECURITY.md, "ID numbers").
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功。")
            return redirect("trainees:my_profile")
    return render(request, "trainees/youth_register.html", {"form": form})


@role_required("youth")
def my_profile(request):
    trainee = Trainee.objects.filter(user=request.user).select_related("region").first()
    if trainee is None:
        form = ProfileForm(data_or_none(request), initial={"name": request.user.get_full_name()})
        if request.method == "POST" and form.is_valid():
            if run(form, lambda: services.trainee_create(by=request.user, **form.cleaned_data)) is not None:
                messages.success(request, "个人信息已登记。")
                return redirect("trainees:my_profile")
        return render(request, "trainees/trainee_form.html", {"form": form, "title": "登记个人信息"})
    return render(request, "trainees/profile.html", trainee_context(trainee, request.user))


@role_required("youth")
def my_profile_edit(request):
    trainee = get_object_or_404(Trainee, user=request.user)
    initial = {**_profile_initial(trainee), "region": trainee.region_id}
    form = ProfileForm(data_or_none(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        done = run(
            form, lambda: services.trainee_update(trainee_id=trainee.pk, by=request.user, **form.service_values())
        )
        if done is not None:
            messages.success(request, "个人信息已保存。")
            return redirect("trainees:my_profile")
    return render(request, "trainees/trainee_form.html", {"form": form, "trainee": trainee, "title": "修改个人信息"})


@role_required("youth")
def my_consent(request):
    """The person's three consents (SECURITY.md "Consent"): change them, read every past choice."""
    trainee = get_object_or_404(Trainee, user=request.user)
    current = {purpose: getattr(trainee, field) for purpose, field in consent.FIELDS.items()}
    form = ConsentForm(data_or_none(request), current=current)
    if request.method == "POST" and form.is_valid():
        done = run(
            form,
            lambda: services.consent_set(
                trainee_id=trainee.pk, by=request.user, source=ConsentChange.Source.PROFILE, **form.choices()
            ),
        )
        if done is not None:
            messages.success(request, "信息使用授权已保存。")
            return redirect("trainees:my_consent")
    history = trainee.consent_changes.select_related("by")[:200]
    return render(
        request,
        "trainees/consent.html",
        {"form": form, "trainee": trainee, "history": history, "chosen": consent.has_chosen(trainee)},
    )
