"""Navigation providers: each installed app contributes its top-bar links, home-page cards and home
context through a `nav` module of its own:

    def nav_items(user) -> list[tuple[str, str]]          # (label, url) for the top bar
    def home_cards(user) -> list[dict]                    # {"title", "value", "link", "note"}
    def home_context(user) -> dict                        # extra context of the home page

An app registers by having the module (as `admin.py` registers with the admin); providers are asked
in INSTALLED_APPS order, the core's own links first. So a feature adds its links without touching
the base template or the core, and no link exists before its page."""

from functools import lru_cache
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

PROVIDER_MODULE = "nav"


def core_nav_items(user):
    """The core's own links: quotas, the calendar and wage tables, the security and audit pages."""
    items = []
    if user.is_authenticated and (user.sees_all_regions or user.is_city):
        items.append(("年度指标（附件1）", reverse("annex1")))
    if user.is_authenticated and user.is_admin:
        items += [
            ("项目年度", reverse("programme_years")),
            ("节假日日历", reverse("calendar")),
            ("最低工资标准", reverse("wage_versions")),
            ("安全管理", reverse("security_accounts")),
            ("系统管理", reverse("admin:index")),
        ]
    if user.is_authenticated and (user.is_admin or user.is_city):
        items.append(("生活补贴下限", reverse("allowance_floors")))
    if user.is_authenticated and user.is_province:
        items.append(("审计日志", reverse("audit_log")))
    if user.is_authenticated and user.is_bureau_staff:
        items.append(("账户安全", reverse("account_security")))
    return items


def app_modules(name: str) -> list:
    """Every installed app's module `name` (`nav`, `demo`), in INSTALLED_APPS order: how the core
    asks the apps above it without importing them. Looked up once per set of installed apps
    (every page's top bar asks: the lookup searched the file system for each app, ~1 ms a page)."""
    return list(_app_modules(name, tuple(config.name for config in apps.get_app_configs())))


@lru_cache(maxsize=16)
def _app_modules(name: str, app_names: tuple[str, ...]) -> tuple:
    return tuple(import_module(f"{app}.{name}") for app in app_names if module_has_submodule(import_module(app), name))


def providers() -> list:
    """Every installed app's `nav` module, in INSTALLED_APPS order."""
    return app_modules(PROVIDER_MODULE)


def nav_items(user) -> list[tuple[str, str]]:
    items = core_nav_items(user)
    for module in providers():
        items.extend(getattr(module, "nav_items", lambda u: [])(user))
    return items


def home_cards(user) -> list[dict]:
    cards = []
    for module in providers():
        cards.extend(getattr(module, "home_cards", lambda u: [])(user))
    return cards


def home_context(user) -> dict:
    context = {}
    for module in providers():
        context.update(getattr(module, "home_context", lambda u: {})(user))
    return context
