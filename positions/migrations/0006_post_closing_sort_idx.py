"""The public list sorted by closing date (`positions.selectors.SORTS` "closing": soonest first,
posts without one last, then newest first) and its keyset pages, walked in order on PostgreSQL
(LIMIT 21) instead of sorting every published post: at national scale a page took 0.9–2.4 s, now
~20 ms. Not in the model's Meta: SQLite refuses NULLS LAST in an index (nothing happens there)."""

from django.db import migrations

NAME = "positions_post_closesort_idx"
DEFINITION = 'positions_post ("status", "closing_date" ASC NULLS LAST, "published_on" DESC, "id" DESC)'


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {DEFINITION}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("positions", "0005_post_allowance_sort_idx")]

    operations = [migrations.RunPython(create, drop)]
