"""The request id of the work in hand: set per request by `logs.RequestLogMiddleware`, per task
from the message header that the publishing request (or task) put there."""

import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("jianxi_request_id", default="")

# A proxy's own id (nginx `$request_id`: 32 hex digits) is kept, so its access log and ours join;
# anything else a client sends is replaced.
_ACCEPTED = re.compile(r"^[0-9A-Za-z-]{16,64}$")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _ACCEPTED.match(incoming):
        return incoming
    return uuid.uuid4().hex
