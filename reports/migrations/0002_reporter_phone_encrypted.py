"""SECURITY.md, item 4 (personal data): the reporter's phone on a monthly report is stored encrypted (ciphertext, keyed
digest, masked copy); existing phones are encrypted, the submission constraint now requires the
ciphertext, and the plaintext column is dropped. Reversible: the reverse decrypts back into the
restored column."""

from django.db import migrations, models
from django.db.models import Q

from jianxi_portal.core.personal import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="monthlyreport",
            name="reporter_phone_cipher",
            field=models.TextField(blank=True, verbose_name="联系电话（密文）"),
        ),
        migrations.AddField(
            model_name="monthlyreport",
            name="reporter_phone_digest",
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name="联系电话摘要"),
        ),
        migrations.AddField(
            model_name="monthlyreport",
            name="reporter_phone_masked",
            field=models.CharField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        # The constraint is swapped around the data step, so that either direction fills the
        # column a constraint checks before that constraint exists.
        migrations.RemoveConstraint(model_name="monthlyreport", name="reports_monthlyreport_submitted_has_reporter"),
        encrypt_existing("reports", "MonthlyReport", plain="reporter_phone", name="reporter_phone", kind="phone"),
        migrations.AddConstraint(
            model_name="monthlyreport",
            constraint=models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted"])
                | (Q(submitted_at__isnull=False) & ~Q(reporter_name="") & ~Q(reporter_phone_cipher="")),
                name="reports_monthlyreport_submitted_has_reporter",
            ),
        ),
        migrations.RemoveField(model_name="monthlyreport", name="reporter_phone"),
    ]
