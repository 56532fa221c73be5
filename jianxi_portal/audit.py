"""One append-only audit trail. `audit()` records who did what to which object from where; it takes
ids and event names only, never personal values (ID numbers, phones, bank accounts): any that
slip into `detail` are masked. Every full view of one (`jianxi_portal.personal.shown`) is a
`<kind>.view` row naming the object and the channel. Denied accesses of signed-in people (403,
and the 404 that scoping answers for another region's record) are recorded by
`DeniedAccessAuditMiddleware`.

Records are immutable on PostgreSQL (trigger of migration 0005); `manage.py purge_audit` deletes
only rows older than the retention period (at least 183 days, 网络安全法 art. 21)."""

from jianxi_portal.middleware import current_request
from jianxi_portal.models import AuditLog
from jianxi_portal.privacy import scrub, scrub_value

RESULTS = {"ok": "成功", "failed": "失败", "denied": "拒绝"}
# Chinese names of the events the core writes, for the auditors' page and export (apps add more
# events; an unknown code is shown as it is).
EVENTS = {
    "login.success": "登录成功",
    "login.failure": "登录失败",
    "login.lockout": "账户锁定",
    "login.locked": "锁定期间尝试登录",
    "login.unlock": "解除锁定",
    "logout": "退出登录",
    "password.change": "修改密码",
    "session.idle_timeout": "闲置超时退出",
    "session.expired": "登录满 12 小时退出",
    "session.revoked": "会话已失效",
    "2fa.enrol": "绑定身份验证器",
    "2fa.replace": "更换身份验证器",
    "2fa.verify": "双因素认证通过",
    "2fa.failure": "双因素认证失败",
    "2fa.reset": "重置双因素认证",
    "2fa.recovery_codes_reset": "重新生成恢复码",
    "token.issue": "签发 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "token.revoke_all": "吊销全部 API 令牌",
    "user.create": "创建账户",
    "user.permission_change": "角色或权限变更",
    "access.denied": "拒绝访问",
    "audit.export": "导出审计日志",
    "audit.purge": "清理过期审计日志",
    "quota.update": "修改年度指标",
    "calendar.override": "调整节假日",
    "calendar.override_delete": "删除节假日调整",
    "wage.version_create": "新增最低工资标准",
    "id_number.view": "查看完整身份证号",
    "phone.view": "查看完整电话号码",
    "bank_account.view": "查看完整银行账号",
}


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(event: str, *, user=None, obj=None, result: str = "ok", detail: dict | None = None) -> AuditLog:
    request = current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    region = getattr(user, "region", None) if user is not None else None
    return AuditLog.objects.create(
        user=user,
        username=scrub(getattr(user, "username", "") or ""),
        role=getattr(user, "role", "") or "",
        region_code=region.code if region is not None else "",
        ip=_client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        detail=scrub_value(detail or {}),
    )


class DeniedAccessAuditMiddleware:
    """A signed-in person answered 403 or 404 is an access attempt outside their rights (scoping
    answers 404 for another region's record): one `access.denied` row, with the method, the path
    (no query string: it may carry search terms) and the status."""

    STATUSES = (403, 404)
    # What browsers ask for by themselves is not an access attempt.
    IGNORED = ("/favicon.ico", "/robots.txt", "/apple-touch-icon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.STATUSES and not request.path.startswith(self.IGNORED):
            audit_denied(request, response.status_code)
        return response


def audit_denied(request, status: int) -> None:
    """One `access.denied` row for a signed-in person refused at `request` (the middleware for a
    403/404 answer; a page that shows a service's refusal as a message calls it itself, after the
    service's transaction, and with it any row the service wrote, was rolled back)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit(
            "access.denied", user=user, result="denied",
            detail={"method": request.method, "path": request.path[:300], "status": status},
        )
