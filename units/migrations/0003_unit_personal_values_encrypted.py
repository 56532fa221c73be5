"""SECURITY.md, item 4 (personal data): the unit's contact phone is stored encrypted (ciphertext, keyed digest, masked
copy) and the unit gets its payee account (开户银行, 银行账号, the account encrypted the same way).
Existing contact phones are encrypted, then the plaintext column is dropped. Reversible: the
reverse decrypts back into the restored column."""

from django.db import migrations, models

from jianxi_portal.core.personal import encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0002_alter_unit_status_unitattachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="contact_phone_cipher",
            field=models.TextField(default="", verbose_name="联系电话（密文）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="unit",
            name="contact_phone_digest",
            field=models.CharField(db_index=True, default="", max_length=64, verbose_name="联系电话摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="unit",
            name="contact_phone_masked",
            field=models.CharField(default="", max_length=20, verbose_name="联系电话"),
            preserve_default=False,
        ),
        encrypt_existing("units", "Unit", plain="contact_phone", name="contact_phone", kind="phone"),
        # A default for the column the reverse re-creates over existing rows.
        migrations.AlterField(
            model_name="unit",
            name="contact_phone",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="联系电话"),
        ),
        migrations.RemoveField(model_name="unit", name="contact_phone"),
        migrations.AddField(
            model_name="unit",
            name="bank_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="开户银行"),
        ),
        migrations.AddField(
            model_name="unit",
            name="bank_account_cipher",
            field=models.TextField(blank=True, verbose_name="银行账号（密文）"),
        ),
        migrations.AddField(
            model_name="unit",
            name="bank_account_digest",
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name="银行账号摘要"),
        ),
        migrations.AddField(
            model_name="unit",
            name="bank_account_masked",
            field=models.CharField(blank=True, max_length=40, verbose_name="银行账号"),
        ),
    ]
