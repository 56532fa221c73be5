"""API building blocks that settings point at (kept free of viewsets to avoid import cycles):
pagination and the error format."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jianxi_portal.review import InvalidTransition


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
    Django ValidationError → 400 {field: [messages]}, PermissionDenied → 403, InvalidTransition → 409."""
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidTransition):
        exc = Conflict(str(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "您没有执行该操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


