"""The portal's face: the favicon at the address browsers ask for, and the Chinese 404 and 500 pages
also under `make run` (DEBUG), where Django would otherwise answer with its English technical pages
(the traceback still goes to the console through the `django.request` logger)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


class ChineseErrorPagesMiddleware:
    """Under DEBUG, an HTML 404 or 500 answer is replaced by the portal's own page (the same one
    production shows); JSON answers of the API are left as they are."""

    PAGES = {404: "404.html", 500: "500.html"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        template = self.PAGES.get(response.status_code)
        if settings.DEBUG and template and response.get("Content-Type", "").startswith("text/html"):
            return render(request, template, status=response.status_code)
        return response
