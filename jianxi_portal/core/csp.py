"""Content-Security-Policy header (Django 5.2 has none built in). Every page is served with
settings.CONTENT_SECURITY_POLICY, in development as in production, so a page that would break
under it breaks in the tests, not on the intranet. The portal loads nothing from elsewhere: scripts
only from this site, no inline script; inline `style=""` attributes are allowed (progress bars)."""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


def with_policy(view, **overrides):
    """Wrap a view whose page cannot live under the default policy (Redoc runs an inline script and
    a blob: worker): its own policy, the default with `overrides` replacing whole directives."""
    header = policy_header({**getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY), **overrides})

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = header
        return response

    return wrapped
