"""Session rules (SECURITY.md, item 2; GB/T 22239-2019 §8.1.4.1 b: session timeout):

- idle timeout (SESSION_IDLE_TIMEOUT, 30 minutes) and absolute lifetime (SESSION_ABSOLUTE_TIMEOUT,
  12 hours from sign-in), kept as timestamps in the session;
- a session that started before the user's `sessions_valid_from` (set by logout and by password
  change, see `account_events`) is over: signing out in one browser signs out all of them;
- staff must pass two-factor verification, then change a password older than 90 days, before
  anything else (API calls on such a session answer 403 with the reason). The enrolment page is
  reachable before verification only because it serves an account without a confirmed device;
  it sends every other account to verification (`twofactor`, SECURITY.md item 2).

Timeouts end the session without the logout signal: a forgotten tab timing out must not sign the
person out of the browser they are using."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import twofactor
from accounts.passwords import password_expired
from jianxi_portal.core.audit import audit

LOGIN_AT = "_jx_login_at"  # epoch seconds of sign-in (absolute lifetime)
SEEN_AT = "_jx_seen_at"  # epoch seconds of the last request (idle timeout), refreshed each minute
VALID_FROM = "_jx_valid_from"  # epoch seconds this session counts as started (revocation check)
TOUCH_EVERY = 60


def start(request) -> None:
    now = time.time()
    request.session[LOGIN_AT] = request.session[SEEN_AT] = request.session[VALID_FROM] = now


def keep_current_session(request) -> None:
    """After a change that revoked the user's sessions (password change), keep this one."""
    request.session[VALID_FROM] = time.time() + 0.001


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start(request)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _exempt(request, names) -> bool:
    path = request.path
    if path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL):
        return True
    return any(path.startswith(reverse(name)) for name in names)


class SessionPolicyMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    TWO_FACTOR_EXEMPT = ("two_factor_setup", "two_factor_verify", "logout", "login")
    PASSWORD_EXEMPT = TWO_FACTOR_EXEMPT + ("password_change", "password_change_done", "two_factor_codes")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request, user):
        ended = self.ended(request, user)
        if ended is not None:
            return self.end(request, user, *ended)
        if twofactor.needs_two_factor(user) and not twofactor.is_verified(request):
            if not _exempt(request, self.TWO_FACTOR_EXEMPT):
                return self.require_two_factor(request, user)
        elif password_expired(user) and not _exempt(request, self.PASSWORD_EXEMPT):
            return self.require_password_change(request)
        return None

    def ended(self, request, user):
        session, now = request.session, time.time()
        login_at = session.get(LOGIN_AT)
        if login_at is None:
            start(request)
            return None
        valid_from = user.sessions_valid_from
        if valid_from is not None and session.get(VALID_FROM, login_at) < valid_from.timestamp():
            return "session.revoked", "您的账户已在其他地方退出登录或修改了密码，请重新登录。"
        if now - session.get(SEEN_AT, login_at) > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
            return "session.idle_timeout", f"您已超过 {minutes} 分钟未操作，为保护数据已自动退出，请重新登录。"
        if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            hours = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)
            return "session.expired", f"本次登录已满 {hours} 小时，请重新登录。"
        if now - session.get(SEEN_AT, login_at) > TOUCH_EVERY:
            session[SEEN_AT] = now
        return None

    def end(self, request, user, event, message):
        audit(event, user=user, detail={"path": request.path[:200]})
        request.session.flush()
        request.user = AnonymousUser()
        if _is_api(request):
            return None  # the API view answers 401/403 for an anonymous caller
        messages.warning(request, message)
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")

    def require_two_factor(self, request, user):
        if _is_api(request):
            return JsonResponse({"detail": "请先在网页上完成双因素认证。"}, status=403)
        target = "two_factor_verify" if twofactor.has_device(user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    def require_password_change(self, request):
        days = settings.PASSWORD_MAX_AGE_DAYS
        if _is_api(request):
            return JsonResponse({"detail": f"密码已超过 {days} 天未修改，请先在网页上修改密码。"}, status=403)
        messages.warning(request, f"您的密码已超过 {days} 天未修改，请先设置新密码。")
        return redirect("password_change")
