"""One append-only audit trail. `audit()` records who did what to which object from where; it takes
ids and event names only, never personal values (ID numbers, phones): any that slip into `detail`
are masked. Denied accesses of signed-in people (403, and the 404 that scoping answers for another
region's record) are recorded by `DeniedAccessAuditMiddleware`.

Records are immutable on PostgreSQL (trigger of migration 0005); `manage.py purge_audit` deletes
only rows older than the retention period (at least 183 days, 网络安全法 art. 21)."""

from jianxi_portal.middleware import current_request
from jianxi_portal.models import AuditLog
from jianxi_portal.privacy import scrub, scrub_value

RESULTS = {"ok": "成功", "failed": "失败", "denied": "拒绝"}


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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.STATUSES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                audit(
                    "access.denied", user=user, result="denied",
                    detail={"method": request.method, "path": request.path[:300], "status": response.status_code},
                )
        return response
