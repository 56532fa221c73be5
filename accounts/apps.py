from importlib import import_module

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """How people sign in and stay safe: password policy, lockout, two-factor, API tokens, session
    policy and the security pages (SECURITY.md items 1–3)."""

    name = "accounts"
    verbose_name = "账户安全"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): receivers connect once the app registry is ready
        from accounts import signals  # noqa: F401  (sign-in events audited, logout revokes sessions)
