"""Demo accounts (one per role, a city bureau per region, two employers with their units) for
`make run`. Idempotent: running it again resets the demo passwords and keeps everything else.
Apps add their demo records through `demo.py` modules (see DEMO_PROVIDERS), each `load_demo(today)`.

Everything is dated relative to the day it runs (`--today`, default the real day; DESIGN.md,
Programme years): the current programme year is opened from the last one if missing, units and
posts were approved months before the placements that use them, so last month's Annex 2 counts
them."""

from datetime import date
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jianxi_portal.core import services
from jianxi_portal.core.models import AnnualQuota, District, Region, User

DEMO_PASSWORD = "Jianxi@Demo2026"  # 15 characters, 4 classes: meets the password policy
# Staff sign in with a second factor. Demo staff accounts share this authenticator key, so a
# reviewer can add it to any TOTP app (or print the current code with `manage.py demo_otp`).
DEMO_TOTP_KEY = b"jianxi-demo-totp-key"
DEMO_DEVICE_NAME = "演示身份验证器"
DEMO_PROVIDERS = ["units.demo", "positions.demo", "trainees.demo", "subsidies.demo", "reports.demo", "outreach.demo"]


def _user(username, role, *, region=None, first_name="", **extra):
    user, _ = User.objects.update_or_create(
        username=username, defaults={"role": role, "region": region, "first_name": first_name, **extra}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if role in (User.Role.ADMIN, User.Role.PROVINCE, User.Role.CITY):
        _demo_totp(user)
    return user


def _demo_totp(user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True}
    )


def demo_totp_secret() -> str:
    """The demo key as authenticator apps take it (base32)."""
    import base64

    return base64.b32encode(DEMO_TOTP_KEY).decode()


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

    @transaction.atomic
    def handle(self, *args, today=None, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today 应写成 YYYY-MM-DD，收到“{today}”。") from None
        logins = [
            (_user("admin", User.Role.ADMIN, first_name="系统管理员", is_staff=True, is_superuser=True), "系统管理员"),
            (_user("province", User.Role.PROVINCE, first_name="省人社厅"), "省级"),
        ]
        for region in Region.objects.all():
            staff = _user(f"city_{region.code}", User.Role.CITY, region=region, first_name=f"{region.name}人社局")
            logins.append((staff, f"市州经办（{region.name}）"))
        open_current_year(today, logins[0][0])
        from units.demo import demo_units

        for username, label, unit in demo_units(District, today):
            employer = _user(username, User.Role.EMPLOYER, unit=unit, first_name=unit.contact_name)
            logins.append((employer, f"单位用户（{label}）"))
        logins.append((_user("youth", User.Role.YOUTH, first_name="李青"), "青年"))
        for name in DEMO_PROVIDERS[1:]:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            module.load_demo(today)
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(
            "系统管理员、省级和市州账号登录时还须输入6位动态验证码（双因素认证）：演示账号已绑定同一密钥 "
            f"{demo_totp_secret()}，可添加到任一身份验证器；或运行 .venv/bin/python manage.py demo_otp 查看当前验证码。"
        )
        for user, label in logins:
            self.stdout.write(f"  {user.username:<22} {label}")
