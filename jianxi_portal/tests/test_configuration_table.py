"""README's configuration table names every setting the portal reads from the environment, with
its default (README, "Configuration (environment)")."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""env_(?:str|int|bool|list)\(\s*["']([A-Z0-9_]+)["']""")


def table_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration (environment)")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| `([A-Z0-9_]+)` \| ([^|]+) \|", section, flags=re.M))


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    read = set()
    for name in ("settings.py", "settings_production.py"):
        read |= set(READ.findall((ROOT / "jianxi_portal" / name).read_text(encoding="utf-8")))
    assert len(read) > 40
    assert sorted(read - set(table_rows())) == []


def test_the_site_frame_and_password_reset_defaults_in_the_table_are_the_settings():
    rows = table_rows()
    for name in ("PORTAL_NAME", "PORTAL_SPONSOR", "PORTAL_HOTLINE", "PASSWORD_RESET_TIMEOUT"):
        assert rows[name].strip() == f"`{getattr(settings, name)}`", name
    assert rows["PORTAL_ICP"].strip() == "empty" and settings.PORTAL_ICP == ""
