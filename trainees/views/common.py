"""Helpers shared by the trainees pages: running a service and showing its refusal on the form."""

from django.core.exceptions import ValidationError

from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.core.views import form_errors_from


def run(form, call):
    """Call a service; on refusal copy its messages onto `form` and return None."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            form_errors_from(exc, form)
        else:
            form.add_error(None, exc.messages)
    except InvalidTransition as exc:
        form.add_error(None, str(exc))
    return None


def data_or_none(request):
    return request.POST if request.method == "POST" else None
