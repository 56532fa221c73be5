"""SECURITY.md, item 1: isolation proven over every URL.

The matrix is built from the URL resolver itself (every pattern, the DRF router's routes included):
each pattern × method × role (two cities, two employers, a youth, anonymous), with marker data —
one object of each kind on each side (长春 / unit A, 吉林 / unit B), each carrying a unique marker
string in a name, title or note field. URL kwargs are filled with the FOREIGN side's ids.

A pattern that can be neither filled (unknown kwarg or unknown object kind) nor found in EXEMPT
with a written reason fails the test: a new URL must be mapped here before it ships.

What counts as a successful foreign attempt (must be 0):
- any 5xx (or an exception inside the view);
- a 200 on a GET whose URL names a foreign private object;
- a foreign private marker anywhere in a response body (HTML, JSON, xlsx cells, downloads);
- any change to a foreign object's row after a POST / PATCH / DELETE (checked in the database).
"""

import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.twofactor import verify_test_client
from exchange.models import Job
from jianxi_portal.core.models import AllowanceFloorRule, AnnualQuota, CalendarOverride, User
from outreach.models import Article, ArticleFile, Event, EventSignup, FollowUpContact, Nomination, PushLog
from positions.tests.factories import ApprovedPostFactory, PostFactory
from reports.models import MonthlyReport
from subsidies.tests.factories import ApprovedClaimFactory, ClaimFactory, DisbursementFactory
from trainees.models import Application, Internship, Mentor, TrainingRecord
from trainees.tests.factories import OnDutyPlacementFactory, TraineeFactory
from units.models import Unit, UnitAttachment
from units.tests.factories import UnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Patterns left out of the matrix, each with its reason. Everything else is requested.
EXEMPT: dict[str, str] = {}

# URL name (namespace stripped) -> which side object fills its `pk`.
PK_KIND = {
    "quota_edit": "quota",
    "calendar_delete": "calendar",
    "token_revoke": "token",
    "security_two_factor_reset": "city_user",
    "security_password_reset": "city_user",
    "unit_public": "unit_draft",
    "unit_detail": "unit",
    "unit_edit": "unit",
    "unit_submit": "unit_draft",
    "unit_manage": "unit",
    "unit_payee": "unit",
    "unit_attachment_add": "unit",
    "unit_attachment": "unit",
    "unit_attachment_delete": "unit",
    "review_decide": "unit_submitted",
    "post_public": "post",
    "post_detail": "post",
    "post_edit": "post",
    "post_submit": "post",
    "post_close": "post_public",
    "trainee_detail": "trainee",
    "trainee_edit": "trainee",
    "trainee_link_account": "trainee",
    "application_detail": "application",
    "application_accept": "application",
    "application_decline": "application",
    "application_withdraw": "application",
    "placement_detail": "placement",
    "placement_action": "placement",
    "mentor_edit": "mentor",
    "internship_detail": "internship",
    "internship_convert": "internship",
    "internship_end": "internship",
    "claim_detail": "claim",
    "claim_disburse": "claim_approved",
    "claim_action": "claim",
    "job": "job",
    "job_errors": "job",
    "job_status": "job",
    "job_confirm": "job",
    "job_download": "job",
    "post_candidates": "post_public",
    "post_invite": "post_public",
    "article": "article",
    "article_edit": "article",
    "article_action": "article",
    "article_file_add": "article",
    "article_file": "article_file",
    "article_file_delete": "article",
    "event_public": "event",
    "event_apply": "event",
    "event_detail": "event",
    "event_edit": "event",
    "event_action": "event",
    "event_post_add": "event",
    "event_post_remove": "event",
    "followup_detail": "placement",
    "nomination_withdraw": "nomination",
    "post_pushes": "post_public",
    "event_pushes": "event",
    "event_signup": "event",
    "event_check_in": "event",
    "booth_confirm": "event",
    "event_check_in_from_list": "event",
    # API (router basename-action)
    "quota-detail": "quota",
    "allowance-floor-detail": "allowance_floor",
    "unit-detail": "unit",
    "unit-approve": "unit_submitted",
    "unit-history": "unit",
    "unit-reject": "unit_submitted",
    "unit-resume": "unit",
    "unit-return": "unit_submitted",
    "unit-revoke": "unit",
    "unit-submit": "unit_draft",
    "unit-suspend": "unit",
    "unit-payee": "unit",
    "post-detail": "post",
    "post-approve": "post_submitted",
    "post-close": "post_public",
    "post-history": "post",
    "post-reject": "post_submitted",
    "post-return": "post_submitted",
    "post-submit": "post",
    "public-post-detail": "post",
    "annex2-detail": "report",
    "annex2-accept": "report",
    "annex2-adjust": "report",
    "annex2-recompute": "report",
    "annex2-return-": "report",
    "annex2-submit": "report",
    "claim-detail": "claim",
    "claim-approve": "claim",
    "claim-regenerate": "claim",
    "claim-reject": "claim",
    "claim-return": "claim",
    "claim-submit": "claim",
    "disbursement-detail": "disbursement",
    "trainee-detail": "trainee",
    "application-detail": "application",
    "application-accept": "application",
    "application-decline": "application",
    "application-withdraw": "application",
    "mentor-detail": "mentor",
    "internship-detail": "internship",
    "internship-convert": "internship",
    "event-detail": "event",
    "event-add-post": "event",
    "event-cancel": "event",
    "event-check-in": "event",
    "event-publish": "event",
    "event-signup": "event",
    "article-detail": "article",
    "article-publish": "article",
    "article-unpublish": "article",
    "follow-up-detail": "followup",
    "push-detail": "push",
    "nomination-detail": "nomination",
}
for _action in (
    "detail",
    "approve",
    "cancel",
    "complete",
    "insurance",
    "mentor",
    "outcome",
    "reject",
    "retain",
    "return",
    "start",
    "submit",
    "terminate",
    "trainings",
    "allowance-changes",
    "continue",
):
    PK_KIND[f"placement-{_action}"] = "placement"

# A GET naming a foreign object may answer 200 only here (the object is public by design).
PUBLIC_OBJECT_PAGES = {
    "region-detail": "regions are public reference data (name, code, districts), the same for every role",
    "unit-detail": "an approved unit is in the public directory (见习单位目录); young people read it (not city "
    "staff or employers of elsewhere, who get 404: the matrix checks them)",
}

# Fixed values for the other kwargs (by name; `action`-like kwargs get a real action name).
ACTION_BY_NAME = {
    "placement_action": "approve",
    "claim_action": "approve",
    "annex2_action": "submit",
    "unit_manage": "suspend",
    "article_action": "publish",
    "event_action": "publish",
}

ROLES = ("city_cc", "city_jl", "employer_a", "employer_b", "youth", "anonymous")
FOREIGN_SIDE = {"city_cc": "B", "city_jl": "A", "employer_a": "B", "employer_b": "A", "youth": "B", "anonymous": "B"}
# Sides whose private markers a role must never see.
HIDDEN_SIDES = {"city_cc": "B", "city_jl": "A", "employer_a": "B", "employer_b": "A", "youth": "AB", "anonymous": "AB"}


def _walk(patterns, prefix=(), ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner_ns = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + (p.pattern,), inner_ns)
        elif isinstance(p, URLPattern):
            yield prefix + (p.pattern,), ns, p


def _pattern_text(chain) -> str:
    return "".join(str(part) for part in chain)


ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_NAMED = re.compile(r"\(\?P<(\w+)>([^()]*)\)")
REGEX_UNNAMED = re.compile(r"\(([^?][^()]*)\)")


class Unfillable(Exception):
    pass


def _fill(chain, value_for) -> str:
    out = []
    for part in chain:
        text = str(part)
        if hasattr(part, "_route"):  # RoutePattern
            out.append(
                ROUTE_PARAM.sub(
                    lambda m: ".json" if m.group(1) == "drf_format_suffix" else str(value_for(m.group(2), None)), text
                )
            )
        else:  # RegexPattern
            text = text.lstrip("^").rstrip("$")
            text = REGEX_NAMED.sub(lambda m: str(value_for(m.group(1), m.group(2))), text)
            text = REGEX_UNNAMED.sub("1", text)
            text = text.replace("\\.", ".").replace("/?", "/")
            if "\\" in text or "(" in text:
                raise Unfillable(text)
            out.append(text)
    return "/" + "".join(out)


def _marker(side: str, n: int) -> str:
    return f"ZZMK{side}{n:02d}Q"


def _build_side(side: str, region_code: str, unit, city_user, employer, cc_region, year, month):
    """One object of each kind for one side; private ones carry a marker. Returns (objects, markers)."""
    m = iter(range(1, 99))
    markers = {}

    def mark(kind):
        markers[kind] = _marker(side, next(m))
        return markers[kind]

    o = {"unit": unit, "city_user": city_user, "employer": employer}
    o["unit_draft"] = UnitFactory(name=mark("unit_draft"), region_code=region_code)
    o["unit_submitted"] = UnitFactory(
        name=mark("unit_submitted"), region_code=region_code, status=Unit.Status.SUBMITTED
    )
    o["post"] = PostFactory(unit=unit, title=mark("post"))
    o["post_submitted"] = PostFactory(unit=unit, title=mark("post_submitted"), status="submitted")
    o["post_public"] = ApprovedPostFactory(unit=unit, title=f"公开岗位{side}")
    trainee = TraineeFactory(name=mark("trainee"), region=cc_region, id_serial=500 + ord(side))
    o["trainee"] = trainee
    o["application"] = Application.objects.create(
        trainee=TraineeFactory(region=cc_region, id_serial=600 + ord(side)),
        post=o["post_public"],
        note=mark("application"),
    )
    o["placement"] = OnDutyPlacementFactory(trainee=trainee, post=o["post_public"])
    o["training"] = TrainingRecord.objects.create(
        placement=o["placement"],
        kind="induction",
        on=date(2026, 3, 2),
        content=mark("training"),
        hours=Decimal("2"),
        created_by=employer,
    )
    o["mentor"] = Mentor.objects.create(unit=unit, name=mark("mentor"), position="工程师", phone="13904310000")
    o["internship"] = Internship.objects.create(
        trainee=TraineeFactory(region=cc_region, id_serial=700 + ord(side)),
        post=o["post_public"],
        unit=unit,
        region=unit.region,
        started_on=date(2026, 3, 1),
        planned_end=date(2026, 6, 1),
        note=mark("internship"),
        created_by=employer,
    )
    o["claim"] = ClaimFactory(unit=unit, created_by=employer)
    o["claim_approved"] = ApprovedClaimFactory(
        unit=unit, created_by=employer, period_from=date(2026, 4, 1), period_to=date(2026, 4, 1)
    )
    o["disbursement"] = DisbursementFactory(
        claim=o["claim_approved"], voucher_no=mark("disbursement"), recorded_by=city_user
    )
    o["attachment"] = UnitAttachment.objects.create(
        unit=unit,
        file=ContentFile(b"%PDF-1.4 marker", name=f"{mark('attachment_file')}.pdf"),
        original_name=mark("attachment"),
        content_type="application/pdf",
        size=15,
        uploaded_by=employer,
    )
    o["article"] = Article.objects.create(
        title=mark("article"), summary="", body="正文", region=unit.region, author=city_user
    )
    o["article_file"] = ArticleFile.objects.create(
        article=o["article"],
        kind="attachment",
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        original_name=mark("article_file"),
        content_type="application/pdf",
        size=8,
        uploaded_by=city_user,
    )
    o["event"] = Event.objects.create(
        region=unit.region,
        title=mark("event"),
        starts_on=date(2026, 12, 20),
        place="会场",
        description="说明",
        created_by=city_user,
    )
    # A young person of the side who signed up for its event and was pushed its public post.
    person = User.objects.create_user(f"matrix_youth_{side}", role=User.Role.YOUTH, first_name=mark("person"))
    seeker = TraineeFactory(user=person, name=mark("seeker"), region=cc_region, id_serial=800 + ord(side)).seeker
    o["signup"] = EventSignup.objects.create(event=o["event"], user=person)
    o["push"] = PushLog.objects.create(
        profile=seeker, kind="match", post=o["post_public"], region=unit.region, reason=mark("push")
    )
    o["followup"] = FollowUpContact.objects.create(
        placement=o["placement"],
        contacted_on=date(2026, 11, 1),
        method="phone",
        outcome="looking",
        note=mark("followup"),
        by=city_user,
    )
    o["nomination"] = Nomination.objects.create(unit=unit, year=year, note=mark("nomination"), by=city_user)
    o["report"] = MonthlyReport.objects.create(
        region=unit.region,
        year=year,
        month=month,
        due_on=date(year, month, 28),
        reporter_name=mark("report"),
        computed_at=datetime(year, month, 28, 10, tzinfo=SHANGHAI),
    )
    o["job"] = Job.objects.create(kind="export", owner=city_user, title=mark("job"))
    o["quota"] = AnnualQuota.objects.filter(region=unit.region).first()
    # A city's own living-allowance floor (the province's rule is public to every signed-in person).
    o["allowance_floor"] = AllowanceFloorRule.objects.create(
        region=unit.region, ratio=Decimal("0.90"), valid_from=date(2030, 1, 1), document=mark("allowance_floor")
    )
    o["calendar"] = CalendarOverride.objects.get_or_create(date=date(2026, 12, 31), defaults={"kind": "holiday"})[0]
    o["token"] = ApiToken.objects.create(
        user=city_user,
        name=mark("token"),
        prefix=f"pf{side}",
        key_hash=("a" if side == "A" else "b") * 64,
        expires_at=datetime(2099, 12, 31, tzinfo=SHANGHAI),  # live on any day the suite runs
    )
    return o, markers


def _body_text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # xlsx (or any zip): read every member's text
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        except zipfile.BadZipFile:
            pass
    return raw.decode("utf-8", "replace")


def _snapshot(objects):
    """Every foreign row's values, read again from the database: one query per model, not per row
    (it runs after every write of the matrix)."""
    kinds_by_model: dict = {}
    for kind, obj in objects.items():
        if obj is None or not hasattr(obj, "_meta"):
            continue
        kinds_by_model.setdefault(type(obj), {}).setdefault(obj.pk, []).append(kind)
    out = dict.fromkeys(
        (kind for by_pk in kinds_by_model.values() for kinds in by_pk.values() for kind in kinds), json.dumps(None)
    )
    for model, by_pk in kinds_by_model.items():
        pk_name = model._meta.pk.attname
        for row in model._default_manager.filter(pk__in=list(by_pk)).values():
            for kind in by_pk[row[pk_name]]:
                out[kind] = json.dumps(row, default=str, sort_keys=True)
    return out


@pytest.mark.django_db
# A fixed instant: the report and nomination of "this month", which pages show by default, are
# those of November 2026 on any day the suite runs.
@time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SHANGHAI), tick=False)
def test_every_url_method_and_role_refuses_foreign_objects_and_hides_foreign_markers(
    city_cc,
    city_jl,
    unit_a,
    unit_b,
    employer_a,
    employer_b,
    youth,
    changchun,
    jilin_region,
    figures,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    year, month = today.year, today.month
    sides = {}
    markers = {}
    sides["A"], markers["A"] = _build_side("A", "changchun", unit_a, city_cc, employer_a, changchun, year, month)
    sides["B"], markers["B"] = _build_side("B", "jilin", unit_b, city_jl, employer_b, jilin_region, year, month)
    users = {
        "city_cc": city_cc,
        "city_jl": city_jl,
        "employer_a": employer_a,
        "employer_b": employer_b,
        "youth": youth,
        "anonymous": None,
    }

    def clients(role):
        user = users[role]
        web, api = Client(), APIClient()
        if user is not None:
            web.force_login(user)
            verify_test_client(web, user)
            api.force_authenticate(user)
        return web, api

    # The markers are found where they belong: the check below could see a leak.
    own_checks = [
        ("city_cc", "/trainees/", markers["A"]["trainee"]),
        ("employer_a", "/manage/posts/", markers["A"]["post"]),
        ("city_jl", "/api/v1/mentors/", markers["B"]["mentor"]),
    ]
    for role, url, mk in own_checks:
        web, api = clients(role)
        response = (api if url.startswith("/api/") else web).get(url)
        assert response.status_code == 200 and mk in _body_text(response), (role, url)

    patterns = list(_walk(get_resolver().url_patterns))
    uncovered, covered, failures = [], set(), []
    attempts = 0
    refused_writes = 0

    for role in ROLES:
        fside = FOREIGN_SIDE[role]
        foreign = sides[fside]
        hidden = [mk for s in HIDDEN_SIDES[role] for mk in markers[s].values()]
        web, api = clients(role)
        before_all = baseline = _snapshot(foreign)

        for chain, _ns, pattern in patterns:
            text = _pattern_text(chain)
            if text in EXEMPT:
                continue
            name = pattern.name or ""
            object_kwarg = []

            def value_for(kwarg, regex_body, name=name, text=text, object_kwarg=object_kwarg, foreign=foreign):
                if kwarg in ("pk", "object_id") and not text.startswith("admin/"):
                    kind = PK_KIND.get(name)
                    if kind is None:
                        raise Unfillable(f"no PK_KIND for {name!r}")
                    object_kwarg.append(kind)
                    return foreign[kind].pk
                if kwarg == "action":
                    if regex_body and "|" in regex_body:
                        return regex_body.split("|")[0]
                    return ACTION_BY_NAME[name]
                simple = {
                    "object_id": 1,
                    "content_type_id": 1,
                    "id": foreign["city_user"].pk,
                    "app_label": "units",
                    "url": "nothing-here/",
                    "format": "json",
                    "attachment_pk": foreign["attachment"].pk,
                    "file_id": foreign["article_file"].pk,
                    "post_id": foreign["post_public"].pk if name != "application_apply" else foreign["post"].pk,
                    "unit_id": foreign["unit"].pk,
                    "profile_id": 1,
                    "year": year,
                    "month": month,
                    "region": foreign["unit"].region.code,
                    "code": foreign["unit"].region.code,
                    "number": 1,
                    "register": "trainees",
                    "token": "not-a-token",
                    "uidb64": "MQ",
                    "kind": "subsidy_rate",
                    "key": "unit" if name == "review_decide" else "started",
                    "path": foreign["attachment"].file.name,
                    "slug": "policy",
                    "signup_id": foreign["signup"].pk,
                }
                if kwarg not in simple:
                    raise Unfillable(f"unknown kwarg {kwarg!r}")
                if kwarg in ("attachment_pk", "file_id", "post_id", "unit_id", "region", "path", "signup_id"):
                    object_kwarg.append(kwarg)
                return simple[kwarg]

            try:
                url = _fill(chain, value_for)
                match = resolve(url)
            except Exception as exc:  # noqa: BLE001 — any failure to build the URL is a coverage gap
                uncovered.append(f"{text} ({exc})")
                continue
            if match.func is not pattern.callback:
                uncovered.append(f"{text} (built {url} resolves elsewhere)")
                continue
            covered.add(text)

            is_api = text.startswith("api/v1/")
            actions = getattr(pattern.callback, "actions", None)
            if actions:
                methods = [m.upper() for m in actions]
            elif is_api or text.startswith("api/"):
                methods = ["GET", "POST"]
            else:
                methods = ["GET", "POST"]
            if "get" not in [m.lower() for m in methods]:
                methods.insert(0, "GET")
            if text.startswith("admin/"):
                methods = ["GET"]  # every admin view sits behind admin_view: no role of the matrix is staff
            client = api if is_api else web
            for method in methods:
                attempts += 1
                # Foreign rows never change (checked after every write), so the state before a write
                # is the run's starting state: one snapshot per write, after it.
                before = baseline if method != "GET" else None
                try:
                    if method == "GET":
                        response = client.get(url)
                    elif is_api:
                        response = getattr(client, method.lower())(url, {}, format="json")
                    else:
                        response = getattr(client, method.lower())(url, {})
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{role} {method} {url}: exception {type(exc).__name__}: {exc}")
                    web, api = clients(role)
                    client = api if is_api else web
                    continue
                status = response.status_code
                where = f"{role} {method} {url} -> {status}"
                if status >= 500:
                    failures.append(f"{where}: server error")
                body = _body_text(response) if status == 200 else ""
                leaked = [mk for mk in hidden if mk in body]
                if leaked:
                    failures.append(f"{where}: foreign markers {leaked}")
                public_here = name in PUBLIC_OBJECT_PAGES and role == "youth"
                if (
                    method == "GET"
                    and status == 200
                    and object_kwarg
                    and not public_here
                    and not text.startswith("admin/")
                ):
                    failures.append(f"{where}: 200 for a foreign object ({object_kwarg})")
                if before is not None:
                    after = _snapshot(foreign)
                    if after != before:
                        changed = [k for k in before if before[k] != after.get(k)]
                        failures.append(f"{where}: foreign rows changed {changed}")
                        baseline = after
                    else:
                        refused_writes += 1
                if name in ("logout", "password_change") or (user := users[role]) and not _still_signed_in(web, user):
                    web, api = clients(role)
                    client = api if is_api else web

        assert _snapshot(foreign) == before_all, f"{role}: foreign rows changed during the run"

    total = len({_pattern_text(c) for c, _, _ in patterns})
    coverage = 100.0 * len(covered) / (total - len(EXEMPT))
    figures.add(
        "1",
        f"isolation matrix: {len(failures)} of {attempts} foreign attempts succeeded over "
        f"{len(covered)} URL patterns ({total} in the resolver, {len(EXEMPT)} exempted) × methods × "
        f"{len(ROLES)} roles; coverage {coverage:.0f}%; "
        f"{refused_writes} writes left foreign rows unchanged",
    )
    assert not uncovered, "URL patterns neither covered nor exempted:\n" + "\n".join(uncovered)
    assert not failures, f"{len(failures)} foreign attempts succeeded:\n" + "\n".join(failures[:80])


def _still_signed_in(web, user) -> bool:
    from django.contrib.auth import SESSION_KEY

    return web.session.get(SESSION_KEY) == str(user.pk)


PROTECTED_WRITES = [
    # (role, method, url template, payload, object kind on the role's own side, fields that must not move)
    (
        "employer_a",
        "patch",
        "/api/v1/posts/{post}/",
        {"unit": "{unit_b}", "region": "jilin", "status": "approved"},
        "post",
        ("unit_id", "region_id", "status"),
    ),
    (
        "employer_a",
        "patch",
        "/api/v1/units/{unit}/",
        {"region": "jilin", "status": "revoked", "name": "改名"},
        "unit",
        ("region_id", "status"),
    ),
    ("employer_a", "patch", "/api/v1/mentors/{mentor}/", {"unit": "{unit_b}"}, "mentor", ("unit_id",)),
    ("city_cc", "patch", "/api/v1/trainees/{trainee}/", {"region": "jilin"}, "trainee", ("region_id",)),
    (
        "city_cc",
        "patch",
        "/api/v1/claims/{claim}/",
        {"unit": "{unit_b}", "region": "jilin", "status": "approved"},
        "claim",
        ("unit_id", "region_id", "status"),
    ),
    (
        "city_cc",
        "patch",
        "/api/v1/placements/{placement}/",
        {"unit": "{unit_b}", "region": "jilin", "status": "completed"},
        "placement",
        ("unit_id", "region_id", "status"),
    ),
]

PROTECTED_CREATES = [
    # (role, url, payload with a foreign FK, model, own unit/region attribute expected on anything created)
    (
        "employer_a",
        "/api/v1/posts/",
        {
            "unit": "{unit_b}",
            "region": "jilin",
            "title": "越权岗位",
            "slots": 1,
            "duration_months": 6,
            "allowance": "1500.00",
            "category": "technical",
        },
        "positions.Post",
    ),
    (
        "employer_a",
        "/api/v1/mentors/",
        {"unit": "{unit_b}", "name": "越权带教", "position": "工程师", "phone": "13904310002"},
        "trainees.Mentor",
    ),
    (
        "employer_a",
        "/api/v1/claims/",
        {"unit": "{unit_b}", "period_from": "2026-03-01", "period_to": "2026-03-31"},
        "subsidies.Claim",
    ),
]


@pytest.mark.django_db
def test_api_writes_through_a_foreign_key_or_a_protected_field_change_nothing(
    city_cc,
    unit_a,
    unit_b,
    employer_a,
    changchun,
    figures,
):
    from django.apps import apps

    post = PostFactory(unit=unit_a)
    own = {
        "post": post,
        "unit": unit_a,
        "trainee": TraineeFactory(region=changchun, id_serial=901),
        "mentor": Mentor.objects.create(unit=unit_a, name="带教甲", position="工程师", phone="13904310003"),
        "claim": ClaimFactory(unit=unit_a, created_by=employer_a),
        "placement": OnDutyPlacementFactory(
            post=ApprovedPostFactory(unit=unit_a), trainee=TraineeFactory(region=changchun, id_serial=902)
        ),
    }
    users = {"city_cc": city_cc, "employer_a": employer_a}
    subst = {"unit_b": unit_b.pk, **{k: v.pk for k, v in own.items()}}

    def fill(value):
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return subst[value[1:-1]]
        return value

    attempts = refused = 0
    for role, method, url, payload, kind, fields in PROTECTED_WRITES:
        obj = own[kind]
        before = {f: getattr(type(obj).objects.get(pk=obj.pk), f) for f in fields}
        api = APIClient()
        api.force_authenticate(users[role])
        response = getattr(api, method)(url.format(**subst), {k: fill(v) for k, v in payload.items()}, format="json")
        attempts += 1
        assert response.status_code < 500, (url, response.status_code)
        after = {f: getattr(type(obj).objects.get(pk=obj.pk), f) for f in fields}
        assert after == before, (role, url, response.status_code, before, after)
        if response.status_code == 400:
            assert set(response.json()) & set(payload), (url, response.json())  # a field error, not a crash
        refused += 1

    for role, url, payload, label in PROTECTED_CREATES:
        model = apps.get_model(label)
        foreign_before = model.objects.filter(unit=unit_b).count()
        api = APIClient()
        api.force_authenticate(users[role])
        response = api.post(url, {k: fill(v) for k, v in payload.items()}, format="json")
        attempts += 1
        assert response.status_code < 500, (url, response.status_code, response.content[:300])
        assert model.objects.filter(unit=unit_b).count() == foreign_before, (url, response.status_code)
        if response.status_code == 201:
            created = model.objects.get(pk=response.json()["id"])
            assert created.unit_id == unit_a.pk, url
            assert getattr(created, "region_id", unit_a.region_id) == unit_a.region_id, url
        refused += 1

    figures.add(
        "1",
        f"protected fields and foreign keys in API writes: {refused} of {attempts} attempts changed "
        f"nothing foreign (region, status, unit, a foreign unit id); 0 server errors",
    )
