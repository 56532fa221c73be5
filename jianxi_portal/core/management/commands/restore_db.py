"""`make restore FILE=… DB=…`: pg_restore a backup into a new database on the same server and
print its tables and rows (jianxi_portal/core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from jianxi_portal.core import backup


class Command(BaseCommand):
    help = "Restore a pg_dump backup into a new, named PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", required=True, help="name of the database to create")
        parser.add_argument("--replace", action="store_true", help="drop that database first if it exists")

    def handle(self, *args, file, database, replace, **options):
        try:
            backup.restore(file, target=database, replace=replace)
            tables = backup.fingerprints(database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(count for count, _ in tables.values())
        self.stdout.write(f"已恢复到数据库 {database}：{len(tables)} 张表，{rows:,} 行。")
        self.stdout.write(f"使用：DATABASE_URL=postgres://…/{database} .venv/bin/python manage.py runserver")
