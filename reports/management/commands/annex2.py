"""`python manage.py annex2 --year Y --month M [--region CODE] [--json]`: the computed Annex 2 rows."""

import json

from django.core.management.base import BaseCommand, CommandError

from jianxi_portal.core.models import Region
from reports.indicators import INDICATORS, Period
from reports.selectors import annex2_rows, annex2_total


class Command(BaseCommand):
    help = "Print the 14 Annex 2 indicators computed from the records, per region, for a month."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--region", help="region code (default: every region)")
        parser.add_argument("--json", action="store_true", help="JSON: a list of rows; 14 as a decimal string")
        parser.add_argument("--total", action="store_true", help="add the 全省 row (the sum of the regions)")

    def handle(self, *args, year, month, region=None, json=False, total=False, **options):
        try:
            period = Period(year, month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        regions = Region.objects.all()
        if region:
            regions = regions.filter(code=region)
            if not regions.exists():
                raise CommandError(f"unknown region code: {region}")
        rows = annex2_rows(period.year, period.month, regions)
        if total:
            rows.append(annex2_total(rows))
        if json:
            self.stdout.write(_dumps([row.as_json() for row in rows]))
            return
        self.stdout.write(f"{period.label}  " + " ".join(f"{i.number:>6}" for i in INDICATORS))
        for row in rows:
            self.stdout.write(f"{row.code:<14}" + " ".join(f"{v!s:>6}" for v in row.as_list()))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
