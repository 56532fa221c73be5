"""Print the current second-factor code of the demo staff accounts (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from jianxi_portal.core.demo_accounts import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current TOTP code shared by the demo staff accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_otp 仅用于开发演示环境（DEBUG=1）。")

        totp = TOTP(DEMO_TOTP_KEY, step=30, t0=0, digits=6)
        self.stdout.write(f"{totp.token():06d}（{30 - int(totp.time) % 30} 秒内有效）")
