"""Load the national majors catalogue (reference/majors-undergraduate-2026.csv and
reference/majors-vocational-2021.csv; their headers name the editions, the sources and what is not
included). Idempotent: a code already present is left as it is."""

import csv
from pathlib import Path

from django.db import migrations

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
FILES = ("majors-undergraduate-2026.csv", "majors-vocational-2021.csv")


def rows(name):
    with open(REFERENCE / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def load(apps, schema_editor):
    Major = apps.get_model("jianxi_portal", "Major")
    existing = dict(Major.objects.values_list("code", "pk"))
    paths = dict(Major.objects.values_list("code", "path"))
    for name in FILES:
        for row in rows(name):  # each file lists parents before their children
            code, parent = row["code"], row["parent"]
            paths[code] = f"{paths[parent]}/{code}" if parent else code
            if code in existing:
                continue
            node = Major.objects.create(code=code, name=row["name"], catalogue=row["catalogue"], level=row["level"],
                                        parent_id=existing.get(parent), path=paths[code])
            existing[code] = node.pk


class Migration(migrations.Migration):

    dependencies = [
        ("jianxi_portal", "0011_majors_catalogue"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
