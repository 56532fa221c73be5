"""`make backup`: pg_dump -Fc of the configured PostgreSQL database (see jianxi_portal/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from jianxi_portal.core import backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database with pg_dump (custom format)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default backups/jianxi-YYYYmmdd-HHMMSS.dump)")

    def handle(self, *args, output=None, **options):
        try:
            path = backup.dump(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        tables = backup.fingerprints()
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size:,} 字节，{len(tables)} 张表，"
            f"{sum(c for c, _ in tables.values()):,} 行）"
        )
