"""API building blocks that settings point at (kept free of viewsets to avoid import cycles):
pagination, the error format and the field of personal values."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jianxi_portal.core import personal
from jianxi_portal.core.deadlines import deadline_is_provisional
from jianxi_portal.core.query import InvalidQuery
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.core.workdays import Calendar


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    """DRF's handler, extended so domain errors from services read like serializer errors:
    Django ValidationError and a query that does not validate (`query.InvalidQuery`) → 400
    {field: [messages]}, PermissionDenied → 403, InvalidTransition → 409."""
    if isinstance(exc, InvalidQuery):
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidTransition):
        exc = Conflict(str(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "您没有执行该操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


@extend_schema_field(OpenApiTypes.STR)
class PersonalField(serializers.Field):
    """An ID number, phone or bank account (`jianxi_portal.core.personal`). Read: the full value for a
    person the field's rule names (each such read leaves one audit row), the masked copy for anyone
    else. Written: the text as sent; the service validates it."""

    default_error_messages = {"invalid": "应为文本。", "max_length": "不能超过{max_length}个字符。"}

    def __init__(self, *, name: str = "", max_length: int = 40, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)
        self.personal_name, self.max_length = name, max_length

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.personal_name = self.personal_name or field_name

    def to_representation(self, obj) -> str:
        request = self.context.get("request")
        return str(personal.shown(getattr(request, "user", None), obj, self.personal_name, via="api"))

    def to_internal_value(self, data) -> dict:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data).strip()
        if len(text) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return {self.personal_name: text}


@extend_schema_field(OpenApiTypes.BOOL)
class ProvisionalDeadlineField(serializers.Field):
    """`review_deadline_provisional`: true while the item awaits review under a deadline counted over
    a year whose State Council holiday arrangement is not entered completely — the statutory
    holidays were assumed (「暂定」; recomputed when an admin enters the year; DESIGN.md, Review
    workflow). One calendar per response, shared through the serializer context."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text",
            "审核期限是否为暂定：待审核且期限所跨年度的国务院放假安排尚未录入完整时为 true，"
            "期限按法定节假日暂定计算，录入后自动重算。",
        )
        super().__init__(**kwargs)

    def to_representation(self, obj) -> bool:
        return deadline_is_provisional(obj, self.context.setdefault("calendar", Calendar()))
