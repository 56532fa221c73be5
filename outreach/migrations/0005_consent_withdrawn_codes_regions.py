"""Data for the changes of 0004 (and trainees 0009):

- Consent (SECURITY.md "Consent"): the push, digest and employer-visibility flags of existing
  profiles were model defaults (on) or boxes shown already ticked; the person never made a choice,
  and consent that was never asked is not consent. They are all turned off, and for each one that
  was on the person's history records a withdrawal by the system ("系统更正"), so that they see why;
  their pages ask them to choose.
- Each existing event gets its own check-in code (the column's default was computed once).
- Each existing push carries its post's region (the city's scope of the push log)."""

import secrets

from django.db import migrations
from django.utils import timezone

PURPOSES = {"push_enabled": "push", "digest_enabled": "digest", "open_to_employers": "employers"}


def withdraw_default_consents(apps, schema_editor):
    SeekerProfile = apps.get_model("outreach", "SeekerProfile")
    ConsentChange = apps.get_model("trainees", "ConsentChange")
    now = timezone.now()
    changes = []
    for profile in SeekerProfile.objects.all().only("pk", "trainee_id", *PURPOSES).iterator(chunk_size=2000):
        changes += [ConsentChange(trainee_id=profile.trainee_id, purpose=purpose, granted=False, source="migration",
                                  at=now)
                    for flag, purpose in PURPOSES.items() if getattr(profile, flag)]
        if len(changes) >= 2000:
            ConsentChange.objects.bulk_create(changes)
            changes = []
    ConsentChange.objects.bulk_create(changes)
    SeekerProfile.objects.update(push_enabled=False, digest_enabled=False, open_to_employers=False,
                                 push_consent_at=None)


def own_checkin_codes(apps, schema_editor):
    Event = apps.get_model("outreach", "Event")
    for event in Event.objects.all().only("pk"):
        Event.objects.filter(pk=event.pk).update(checkin_code=f"{secrets.randbelow(1_000_000):06d}")


def push_regions(apps, schema_editor):
    PushLog = apps.get_model("outreach", "PushLog")
    Post = apps.get_model("positions", "Post")
    for post_id, region_id in Post.objects.filter(pk__in=PushLog.objects.values("post_id")).values_list(
            "pk", "region_id"):
        PushLog.objects.filter(post_id=post_id).update(region_id=region_id)


class Migration(migrations.Migration):

    dependencies = [
        ("outreach", "0004_events_signups_pushlog_consent"),
        ("trainees", "0009_consent"),
        ("positions", "__first__"),
    ]

    operations = [
        migrations.RunPython(withdraw_default_consents, migrations.RunPython.noop),
        migrations.RunPython(own_checkin_codes, migrations.RunPython.noop),
        migrations.RunPython(push_regions, migrations.RunPython.noop),
    ]
