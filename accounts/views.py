"""Pages of the sign-in and audit features (SECURITY.md, items 2 and 3): two-factor enrolment and verification, the
person's own account security page, the admins' token and account pages, the province auditors'
audit log with its .xlsx export. Thin: each calls one service or selector."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout, session_policy, tokens, twofactor
from accounts.forms import (
    AuditFilterForm,
    EnrolForm,
    OtpForm,
    ReplaceForm,
    TokenIssueForm,
    TwoFactorResetForm,
)
from accounts.models import ApiToken
from accounts.passwords import (
    password_age_days,
    password_max_age,
    password_reset_by_admin,
    password_reset_request_allowed,
    password_rules_text,
)
from jianxi_portal.core.audit import audit
from jianxi_portal.core.audit_search import audit_search, audit_xlsx, labels, local_time, region_names
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import admin_required, role_required
from jianxi_portal.core.query import query_form
from jianxi_portal.core.views import form_errors_from


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(default).url


def _staff_only(user):
    if not twofactor.needs_two_factor(user):
        raise PermissionDenied("双因素认证仅适用于系统管理员、省级和市州工作人员。")


def _enrolment_page(request, form, device, *, replacing: bool):
    context = {
        "form": form,
        "qr": mark_safe(twofactor.qr_svg(device)),
        "key": twofactor.manual_key(device),
        "replacing": replacing,
        "next": _next_url(request),
    }
    return render(request, "security/two_factor_setup.html", context)


def _codes_page(request, codes, message):
    session_policy.keep_current_session(request)
    messages.success(request, message)
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


def _to_verification(request):
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")


@login_required
def two_factor_setup(request):
    """First enrolment only (SECURITY.md item 2): an account with a confirmed device is sent to
    verification (or, verified, to replacement) — a password alone never reaches a new key."""
    _staff_only(request.user)
    if twofactor.has_device(request.user):
        return redirect("two_factor_replace") if twofactor.is_verified(request) else _to_verification(request)
    device = twofactor.pending_device(request.user)
    form = EnrolForm(request.POST or None, initial={"device_id": device.pk})
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enrolment_confirm(request, **form.cleaned_data)
        except twofactor.AlreadyEnrolled:
            return _to_verification(request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return _codes_page(request, codes, "已启用双因素认证；您在其他浏览器或设备上的登录和 API 令牌均已失效。")
    return _enrolment_page(request, form, device, replacing=False)


@login_required
def two_factor_replace(request):
    """A new authenticator for a verified session, proven with the current code or a recovery code."""
    _staff_only(request.user)
    if not twofactor.has_device(request.user):
        return redirect("two_factor_setup")
    if not twofactor.is_verified(request):
        return _to_verification(request)
    device = twofactor.pending_device(request.user)
    form = ReplaceForm(request.POST or None, initial={"device_id": device.pk})
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.authenticator_replace(request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return _codes_page(
                request,
                codes,
                "已更换身份验证器；旧身份验证器和恢复码已失效，您在其他浏览器或设备上的登录和 API 令牌均已失效。",
            )
    return _enrolment_page(request, form, device, replacing=True)


@login_required
def two_factor_verify(request):
    _staff_only(request.user)
    if not twofactor.has_device(request.user):
        return redirect("two_factor_setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["token"]) is not None:
            return redirect(_next_url(request))
        form.add_error("token", "验证码不正确或已使用过；连续输错后需稍等片刻再试。")
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def two_factor_codes(request):
    _staff_only(request.user)
    codes = twofactor.recovery_codes_reset(request.user)
    audit("2fa.recovery_codes_reset", obj=request.user)
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": redirect("account_security").url})


class PortalPasswordChangeView(PasswordChangeView):
    """Django's page; the new password revokes the person's other sessions and API tokens
    (`User.save`), this session stays signed in."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["new_password1"].help_text = password_rules_text(staff=self.request.user.is_bureau_staff)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        session_policy.keep_current_session(self.request)
        messages.success(self.request, "密码已修改；您在其他浏览器或设备上的登录和 API 令牌均已失效。")
        return response


class PortalPasswordResetView(PasswordResetView):
    """忘记密码: a one-hour link by e-mail to every active account with that address (the page says
    the same whether or not one exists, so it reveals no account; past the hourly limits of
    `password_reset_request_allowed` it sends nothing, with the same answer). Mail goes through
    settings.EMAIL_BACKEND: the console in development, SMTP in production."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not password_reset_request_allowed(email, self.request.META.get("REMOTE_ADDR")):
            # Over the hourly limit: no mail, the same answer (it reveals neither the limit nor an account).
            audit("password.reset_request", result="denied", detail={"reason": "rate_limit"})
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_name": settings.PORTAL_NAME}
        audit("password.reset_request", detail={"accounts": len(list(form.get_users(email)))})
        return super().form_valid(form)


class PortalPasswordResetConfirmView(PasswordResetConfirmView):
    """The link's page: a new password under the site's rules (staff also: not one of the last 5);
    saving it ends the account's sessions and API tokens (`User.save`)."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        staff = getattr(self.user, "is_bureau_staff", False)
        form.fields["new_password1"].help_text = password_rules_text(staff=staff)
        return form

    def form_valid(self, form):
        audit("password.reset", user=self.user, obj=self.user)
        return super().form_valid(form)


@login_required
def account_security(request):
    user = request.user
    context = {
        "age_days": password_age_days(user),
        "expires_on": timezone.localtime(user.password_changed_at + password_max_age()).date()
        if user.is_bureau_staff
        else None,
        "needs_two_factor": twofactor.needs_two_factor(user),
        "has_device": twofactor.has_device(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "tokens": ApiToken.objects.filter(user=user).select_related("created_by")[:50],
    }
    return render(request, "security/account.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    scope = ApiToken.objects.all() if request.user.is_admin else ApiToken.objects.filter(user=request.user)
    token = get_object_or_404(scope, pk=pk)
    tokens.token_revoke(token_id=token.pk, by=request.user)
    messages.success(request, f"已吊销令牌 {token.prefix}…。")
    return redirect(_next_url(request, "security_tokens" if request.user.is_admin else "account_security"))


@admin_required
def security_tokens(request):
    form = TokenIssueForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.token_issue(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            issued = {"token": token, "key": key}
            form = TokenIssueForm(initial={"days": settings.API_TOKEN_DAYS})
    rows = ApiToken.objects.select_related("user", "created_by")[:500]
    return render(request, "security/tokens.html", {"form": form, "issued": issued, "rows": rows})


@admin_required
def security_accounts(request):
    staff = (
        User.objects.filter(role__in=[User.Role.ADMIN, User.Role.PROVINCE, User.Role.CITY], is_active=True)
        .select_related("region")
        .order_by("role", "region__order", "username")
    )

    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [(u, u.pk in enrolled, password_age_days(u)) for u in staff]
    context = {
        "locked": lockout.locked_usernames(),
        "rows": rows,
        "reset_form": TwoFactorResetForm(),
        "max_age": settings.PASSWORD_MAX_AGE_DAYS,
    }
    return render(request, "security/accounts.html", context)


@admin_required
@require_POST
def security_unlock(request):
    username = request.POST.get("username", "").strip()
    if username:
        lockout.unlock(username=username, by=request.user)
        messages.success(request, f"已解除账户 {username} 的登录锁定。")
    return redirect("security_accounts")


@admin_required
@require_POST
def security_two_factor_reset(request, pk):
    user = get_object_or_404(User, pk=pk)
    twofactor.two_factor_reset(user=user, by=request.user)
    messages.success(request, f"已重置 {user.username} 的双因素认证，其登录和 API 令牌均已失效。")
    return redirect("security_accounts")


@admin_required
@require_POST
def security_password_reset(request, pk):
    """An admin resets a staff member's forgotten password: the temporary one is shown once on this
    page (never put in a message or a cookie) and must be changed at the next sign-in."""
    staff = User.objects.filter(role__in=[User.Role.ADMIN, User.Role.PROVINCE, User.Role.CITY], is_active=True)
    user = get_object_or_404(staff, pk=pk)
    password = password_reset_by_admin(user=user, by=request.user)
    return render(request, "security/temporary_password.html", {"account": user, "password": password})


def _audit_filters(request):
    form = query_form(request, AuditFilterForm)
    return form, {k: v for k, v in form.cleaned_data.items() if v}


@role_required(User.Role.PROVINCE)
def audit_log(request):
    form, filters = _audit_filters(request)
    page = Paginator(audit_search(**filters), 50).get_page(request.GET.get("page"))
    regions = region_names()
    rows = [(row, local_time(row.at), labels(row, regions)) for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "security/audit_log.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    )


@role_required(User.Role.PROVINCE)
def audit_export(request):
    form, filters = _audit_filters(request)
    content, count = audit_xlsx(audit_search(**filters))
    audit("audit.export", detail={"rows": count, "filters": {k: str(v) for k, v in filters.items()}})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
