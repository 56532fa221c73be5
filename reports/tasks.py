"""Scheduled tasks of reports (see settings.CELERY_BEAT_SCHEDULE): the monthly drafts on the 1st
and the daily reminders. Both are idempotent and only call services."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from reports.indicators import Period
from reports.services import reports_generate, reports_remind


@shared_task
def generate_monthly_drafts(today: str | None = None) -> int:
    """On the 1st: a draft of last month's report for every region (existing drafts recomputed,
    submitted ones untouched). `today` (ISO date) is for replays and tests."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return len(reports_generate(period=Period.reported_on(day), today=day))


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: reminders on the 2nd and every day after the due date (see services.reminders_due)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return reports_remind(today=day)
