"""Request context for the audit trail: a request id and the current request, per thread."""

import threading
import uuid

_local = threading.local()


def current_request():
    return getattr(_local, "request", None)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Set first by ops.logs.RequestLogMiddleware (its log line and this audit trail share it).
        request.request_id = getattr(request, "request_id", None) or uuid.uuid4().hex
        _local.request = request
        try:
            response = self.get_response(request)
        finally:
            _local.request = None
        response.setdefault("X-Request-ID", request.request_id)
        return response
