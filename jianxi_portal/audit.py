"""One append-only audit trail. `audit()` records who did what to which object from where; it takes
ids and event names only, never personal values (ID numbers, phones)."""

from jianxi_portal.middleware import current_request
from jianxi_portal.models import AuditLog


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
        username=getattr(user, "username", "") or "",
        role=getattr(user, "role", "") or "",
        region_code=region.code if region is not None else "",
        ip=_client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        detail=detail or {},
    )
