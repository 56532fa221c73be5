"""Remembering a value computed for every visitor alike (a fragment of a public page) in the cache
for a few minutes. The cache is an optimisation: when it does not answer (Redis stopped), the value
is computed as if it had never been kept, and the page still answers."""

import hashlib

from django.core.cache import cache


def remembered(name: str, vary_on, seconds: int, compute):
    """`compute()`, kept `seconds` under `name` and a digest of `vary_on` (its repr)."""
    key = f"remembered:{name}:" + hashlib.sha256(repr(vary_on).encode()).hexdigest()
    try:
        value = cache.get(key)
    except Exception:  # the cache is unreachable: compute
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:  # as above
            pass
    return value
