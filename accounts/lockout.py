"""Sign-in lockout (SECURITY.md, item 2; GB/T 22239-2019 §8.1.4.1 b): 5 failed sign-ins for one
username within 15 minutes lock that username for 30 minutes, on every path that authenticates
(web login, admin login, `POST /api/v1/auth/token/`), whatever the IP address (bureau staff share
an office gateway). Lock and unlock are audited.

django-axes does the plumbing (the backend that refuses a locked username inside
`authenticate()`, the middleware that turns it into a response, the per-failure log). Its own
counter cannot express "5 within 15 minutes": it keeps one running count per username whose
clock restarts at every failure and is dropped only after AXES_COOLOFF_TIME without failures, so 5
failures 10 minutes apart would lock too. `WindowedLockoutHandler` therefore counts the individual
failures of axes' AccessFailureLog in a sliding 15-minute window itself; a lock runs for
AXES_COOLOFF_TIME from the failure that tripped it, and attempts during the lock neither count nor
extend it (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from jianxi_portal.core.audit import audit


@dataclass(frozen=True)
class LockState:
    failures: int  # counted failures inside the current window
    until: datetime | None  # end of the lock in force, or None

    @property
    def locked(self) -> bool:
        return self.until is not None


def _window() -> timedelta:
    return settings.LOGIN_FAILURE_WINDOW


def _cooloff() -> timedelta:
    return get_cool_off() or timedelta(minutes=30)


def scan(times: list[datetime], *, now: datetime, limit: int, window: timedelta, cooloff: timedelta) -> LockState:
    """The lock state after the failures at `times` (ascending). A lock starts at the failure that
    makes `limit` failures within `window` and lasts `cooloff`; failures during a lock are ignored
    and the count starts afresh after it."""
    lock_end, recent = None, []
    for t in times:
        if lock_end is not None and t < lock_end:
            continue
        recent = [r for r in recent if r > t - window] + [t]
        if len(recent) >= limit:
            lock_end, recent = t + cooloff, []
    if lock_end is not None and lock_end > now:
        return LockState(failures=limit, until=lock_end)
    return LockState(failures=sum(1 for r in recent if r > now - window), until=None)


def lock_state(username: str, now: datetime | None = None) -> LockState:
    now = now or timezone.now()
    if not username:
        return LockState(0, None)
    horizon = now - (_window() + _cooloff())
    times = list(
        AccessFailureLog.objects.filter(username=username, attempt_time__gte=horizon, attempt_time__lte=now)
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
    )
    return scan(times, now=now, limit=settings.AXES_FAILURE_LIMIT, window=_window(), cooloff=_cooloff())


def locked_usernames(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """Usernames locked now, with the end of their lock (for the admins' unlock page)."""
    now = now or timezone.now()
    horizon = now - (_window() + _cooloff())
    names = AccessFailureLog.objects.filter(attempt_time__gte=horizon).values_list("username", flat=True).distinct()
    states = ((name, lock_state(name, now)) for name in sorted(set(names)) if name)
    return [(name, state.until) for name, state in states if state.locked]


def unlock(*, username: str, by) -> int:
    """An admin lifts the lock of `username` before it ends (audited). Returns the failures forgotten."""
    count, _ = AccessFailureLog.objects.filter(username=username).delete()
    AccessAttempt.objects.filter(username=username).delete()
    audit("login.unlock", user=by, detail={"username": username, "failures_cleared": count})
    return count


class WindowedLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the 15-minute window counted from the individual failures."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Not request.axes_attempt_time: AccessFailureLog stamps its rows itself (auto_now_add),
        # a moment after the request's time, and the failure being recorded must count.
        return lock_state(get_client_username(request, credentials)).failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials)
        was_locked = bool(getattr(request, "axes_locked_out", False))
        if username and not was_locked:
            AccessFailureLog.objects.create(
                username=username[:255],
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
            )
            self.remove_out_of_limit_failure_logs(username=username)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if was_locked:
            audit("login.locked", result="denied", detail={"username": username, "path": request.path[:200]})
        elif request.axes_locked_out:
            until = lock_state(username).until
            audit(
                "login.lockout",
                result="denied",
                detail={"username": username, "until": until.isoformat() if until else "", "path": request.path[:200]},
            )

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        if username:
            AccessFailureLog.objects.filter(username=username).delete()
            audit("login.unlock", detail={"username": username, "via": "axes_reset"})
        return super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)


def lockout_message(until: datetime | None) -> str:
    when = timezone.localtime(until).strftime("%H:%M") if until else "30 分钟后"
    return (
        f"该账户在 15 分钟内连续登录失败 {settings.AXES_FAILURE_LIMIT} 次，已被锁定至 {when}（北京时间）。"
        "如需提前解锁，请联系系统管理员。"
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with the end of the lock, as a page or as JSON for the API."""
    username = get_client_username(request, credentials) or ""
    message = lockout_message(lock_state(username).until)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "security/locked.html", {"message": message}, status=429)
