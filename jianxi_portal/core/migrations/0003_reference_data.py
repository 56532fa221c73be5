from django.db import migrations


def load(apps, schema_editor):
    from jianxi_portal.core.reference_data import load as load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("jianxi_portal", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
