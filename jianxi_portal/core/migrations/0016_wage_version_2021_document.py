"""The 2021-12-01 minimum-wage version cited 「吉政函〔2021〕号」 without a number; the number is in
none of the programme's sources, so the citation gives the date only (`reference_data.WAGE_VERSIONS`).
Rows loaded with the old text are corrected; a document an admin typed is left alone."""

from django.db import migrations

OLD = "吉政函〔2021〕号（2021年12月1日起执行）"
NEW = "2021年12月1日起执行"


def forward(apps, schema_editor):
    apps.get_model("jianxi_portal", "MinimumWageVersion").objects.filter(document=OLD).update(document=NEW)


def backward(apps, schema_editor):
    apps.get_model("jianxi_portal", "MinimumWageVersion").objects.filter(document=NEW).update(document=OLD)


class Migration(migrations.Migration):
    dependencies = [("jianxi_portal", "0015_allowance_floor_per_region_and_category")]

    operations = [migrations.RunPython(forward, backward)]
