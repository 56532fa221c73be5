"""Navigation and home-page cards, contributed by each app's `nav.py`:

    def nav_items(user) -> list[tuple[str, str]]          # (label, url) for the top bar
    def home_cards(user) -> list[dict]                    # {"title", "value", "link", "note"}

so a feature adds its links without touching the base template, and no link exists before its page."""

from importlib import import_module

PROVIDERS = [
    "jianxi_portal.nav", "units.nav", "positions.nav", "trainees.nav", "subsidies.nav", "reports.nav",
    "jianxi_portal.exchange.nav", "outreach.nav",
]


def _providers():
    for name in PROVIDERS:
        try:
            yield import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def nav_items(user) -> list[tuple[str, str]]:
    items = []
    for module in _providers():
        items.extend(getattr(module, "nav_items", lambda u: [])(user))
    return items


def home_cards(user) -> list[dict]:
    cards = []
    for module in _providers():
        cards.extend(getattr(module, "home_cards", lambda u: [])(user))
    return cards
