"""`python manage.py deadline DATE [--days 15] [--json]`: the review deadline of a submission on DATE
(the DAYS-th working day after it, DATE itself not counted) and whether it is provisional — counted
over a year whose State Council holiday arrangement is not entered completely (DESIGN.md, Review
workflow). A contract for other systems and support staff: the first line is
`<deadline YYYY-MM-DD> provisional|final`, then the explanation; `--json` gives one object."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jianxi_portal.core.review import REVIEW_WORKING_DAYS
from jianxi_portal.core.workdays import Calendar, provisional_note

MAX_DAYS = 366


class Command(BaseCommand):
    help = "Print the deadline of a submission on DATE (DAYS working days later) and whether it is provisional."

    def add_arguments(self, parser):
        parser.add_argument("date", help="the day of submission, YYYY-MM-DD")
        parser.add_argument(
            "--days",
            type=int,
            default=REVIEW_WORKING_DAYS,
            help=f"working days (default {REVIEW_WORKING_DAYS}, the review period)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object instead of text")

    def handle(self, *args, date: str, days: int, json: bool = False, **options):
        submitted = _day(date)
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"--days 应在0至{MAX_DAYS}之间，收到 {days}。")
        calendar = Calendar()
        deadline = calendar.add_working_days(submitted, days)
        note = provisional_note(calendar, submitted, deadline)
        if json:
            self.stdout.write(
                _dumps(
                    {
                        "submitted_on": submitted.isoformat(),
                        "working_days": days,
                        "deadline": deadline.isoformat(),
                        "provisional": bool(note),
                        "provisional_years": calendar.provisional_years(submitted, deadline),
                    }
                )
            )
            return
        self.stdout.write(f"{deadline.isoformat()} {'provisional' if note else 'final'}")
        self.stdout.write(
            f"{submitted.isoformat()} 提交，次日起第{days}个工作日：{deadline.isoformat()}"
            + (f"（暂定：{note}）" if note else "（按已确定的国务院放假安排计算）")
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期应写成 YYYY-MM-DD，收到“{text}”。") from None


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
