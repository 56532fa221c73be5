"""In-app notifications read as text with links: a line "label：URL" whose URL is the portal's own
becomes a link named by its label (the unsubscribe token and other long URLs are not shown); every
other character is escaped. The same body goes out by email, where the URLs stay written out."""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

LINE = re.compile(r"^(?P<lead>\s*)(?P<label>[^：:]{1,40})[：:]\s*(?P<url>\S+?)(?P<tail>（[^）]*）)?\s*$")


def _own_path(url: str) -> str | None:
    """The path of a URL of this portal (absolute with PORTAL_URL, or a root-relative path)."""
    base = getattr(settings, "PORTAL_URL", "").rstrip("/")
    if base and url.startswith(base + "/"):
        return url[len(base) :]
    if url.startswith("/") and not url.startswith("//"):
        return url
    return None


@register.filter
def notification_body(body: str) -> str:
    lines = []
    for line in (body or "").splitlines():
        match = LINE.match(line)
        path = _own_path(match["url"]) if match else None
        if path is None:
            lines.append(escape(line))
            continue
        lines.append(format_html('{}<a href="{}">{}</a>{}', match["lead"], path, match["label"], match["tail"] or ""))
    return mark_safe("<br>".join(lines))
