from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    """The shared domain. Its label stays `jianxi_portal` (the package it grew in), so the models'
    tables, content types, permissions and recorded migrations of an existing database are the
    same ones (ARCHITECTURE.md: Moving models without breaking a database)."""

    name = "jianxi_portal.core"
    label = "jianxi_portal"
    verbose_name = "平台核心"

    def ready(self):
        # ready(): the checks module reads the models, loadable only once the app registry is ready
        from jianxi_portal.core import checks  # noqa: F401  (registers the settings checks)

        # Each app's declared state machines (`<app>/workflows.py`): the services, the history
        # pages and the buttons find them in `jianxi_portal.core.workflow`'s registry.
        autodiscover_modules("workflows")
