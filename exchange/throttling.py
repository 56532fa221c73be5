"""API rate limits per token (DESIGN.md, Contracts: the REST API): each API token has its own
bucket, so one integration that loops does not starve another of the same account; a browser
session is limited per user, an anonymous caller per address. Rates come from
settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (scopes `token`, `user`, `anon`), read on every
request so they can be changed without a restart of the class."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATES = {"token": "120/minute", "user": "300/minute", "anon": "30/minute"}


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_rate(self):
        rates = {**DEFAULT_RATES, **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})}
        return rates.get(self.scope)

    def _scope_and_ident(self, request) -> tuple[str, str]:
        token_id = getattr(request.auth, "pk", None)
        if token_id is not None:
            return "token", f"token-{token_id}"
        if request.user and request.user.is_authenticated:
            return "user", f"user-{request.user.pk}"
        return "anon", f"anon-{self.get_ident(request)}"

    def allow_request(self, request, view):
        self.scope, self._ident = self._scope_and_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self._ident}
