"""Demo accounts (one per role, a city bureau per region, two employers with their units) for
`make run`. Idempotent: running it again resets the demo passwords and keeps everything else.
Apps add their demo records through `demo.py` modules, each `load_demo(today)` (returning the
logins it made, if any), found in INSTALLED_APPS order: units before positions before trainees …

Everything is dated relative to the day it runs (`--today`, default the real day; DESIGN.md,
Programme years): the current programme year is opened from the last one if missing, units and
posts were approved months before the placements that use them, so last month's Annex 2 counts
them."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jianxi_portal.core import services
from jianxi_portal.core.demo_accounts import DEMO_PASSWORD, demo_totp_secret, demo_user
from jianxi_portal.core.models import AnnualQuota, Region, User
from jianxi_portal.core.navigation import app_modules


def open_current_year(today: date, admin: User) -> None:
    """The demo's programme year is the current one: opened from the last year's quotas if missing."""
    if AnnualQuota.objects.filter(year=today.year).exists():
        return
    _, previous = services.previous_quotas(today.year)
    quotas = {rid: {"post_quota": q.post_quota, "trainee_quota": q.trainee_quota} for rid, q in previous.items()}
    if quotas:
        services.programme_year_open(year=today.year, quotas=quotas, by=admin)


class Command(BaseCommand):
    help = "Create the demo accounts and demo records, then print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day the demo is dated from, YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today 应写成 YYYY-MM-DD，收到“{today}”。") from None
        # One transaction; the logins are printed after it, so the log lines of the tasks it queued
        # (run in-process on commit without REDIS_URL) come before them, not over them.
        with transaction.atomic():
            logins = self._load(today)
        self._print(logins)

    def _load(self, today: date) -> list[tuple[User, str]]:
        admin = demo_user("admin", User.Role.ADMIN, first_name="系统管理员", is_staff=True, is_superuser=True)
        logins = [
            (admin, "系统管理员"),
            (demo_user("province", User.Role.PROVINCE, first_name="省人社厅"), "省级"),
        ]
        for region in Region.objects.all():
            staff = demo_user(f"city_{region.code}", User.Role.CITY, region=region, first_name=f"{region.name}人社局")
            logins.append((staff, f"市州经办（{region.name}）"))
        open_current_year(today, admin)
        youth = demo_user("youth", User.Role.YOUTH, first_name="李青")
        for module in app_modules("demo"):
            logins.extend(module.load_demo(today) or [])
        logins.append((youth, "青年"))
        return logins

    def _print(self, logins: list[tuple[User, str]]) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(
            "系统管理员、省级和市州账号登录时还须输入6位动态验证码（双因素认证）：演示账号已绑定同一密钥 "
            f"{demo_totp_secret()}，可添加到任一身份验证器；或运行 .venv/bin/python manage.py demo_otp 查看当前验证码。"
        )
        for user, label in logins:
            self.stdout.write(f"  {user.username:<22} {label}")
