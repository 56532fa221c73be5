"""SECURITY.md, item 4 (personal data): an account's phone is stored encrypted (ciphertext, keyed digest, masked copy);
existing phones are encrypted, then the plaintext column is dropped. Reversible: the reverse
decrypts back into the restored column."""

from django.db import migrations, models

from jianxi_portal.core.personal import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("jianxi_portal", "0007_job_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_cipher",
            field=models.TextField(blank=True, verbose_name="联系电话（密文）"),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_digest",
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name="联系电话摘要"),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_masked",
            field=models.CharField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        encrypt_existing("jianxi_portal", "User", plain="phone", name="phone", kind="phone"),
        migrations.RemoveField(model_name="user", name="phone"),
    ]
