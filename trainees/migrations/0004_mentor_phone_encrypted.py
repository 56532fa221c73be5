"""SECURITY.md, item 4 (personal data): a mentor's phone is stored encrypted (ciphertext, keyed digest, masked copy) like
a trainee's; existing phones are encrypted, then the plaintext column is dropped. Reversible: the
reverse decrypts back into the restored column."""

from django.db import migrations, models

from jianxi_portal.core.personal import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("trainees", "0003_trainee_education_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentor",
            name="phone_cipher",
            field=models.TextField(default="", verbose_name="联系电话（密文）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mentor",
            name="phone_digest",
            field=models.CharField(db_index=True, default="", max_length=64, verbose_name="联系电话摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mentor",
            name="phone_masked",
            field=models.CharField(default="", max_length=20, verbose_name="联系电话"),
            preserve_default=False,
        ),
        encrypt_existing("trainees", "Mentor", plain="phone", name="phone", kind="phone"),
        # A default for the column the reverse re-creates over existing rows.
        migrations.AlterField(
            model_name="mentor",
            name="phone",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="联系电话"),
        ),
        migrations.RemoveField(model_name="mentor", name="phone"),
    ]
