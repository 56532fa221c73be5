"""Retention of the audit log: delete rows older than the retention period (at least 183 days,
网络安全法 art. 21 — logs kept six months or more). Younger rows are never deleted: the command
refuses a shorter period, and on PostgreSQL the append-only trigger refuses them whatever the
caller (migration 0006). The purge itself is audited."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import AuditLog

MINIMUM_DAYS = 183


class Command(BaseCommand):
    help = "Delete audit log rows older than the retention period (never fewer than 183 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.AUDIT_RETENTION_DAYS,
            help=f"keep this many days (at least {MINIMUM_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")

    def handle(self, *args, days, dry_run, **options):
        if days < MINIMUM_DAYS:
            raise CommandError(f"保留期不得少于 {MINIMUM_DAYS} 天（网络安全法第二十一条：网络日志至少保存六个月）。")
        cutoff = timezone.now() - timedelta(days=days)
        old = AuditLog.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{old.count()} 条审计记录早于 {timezone.localtime(cutoff):%Y-%m-%d %H:%M}（未删除）")
            return
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jianxi.audit_purge = 'on'")
            deleted, _ = old.delete()
        audit("audit.purge", detail={"deleted": deleted, "days": days, "cutoff": cutoff.isoformat()})
        self.stdout.write(f"已删除 {deleted} 条早于 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 的审计记录。")
