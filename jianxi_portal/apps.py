from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jianxi_portal"
    verbose_name = "平台核心"

    def ready(self):
        from jianxi_portal import signals  # noqa: F401
