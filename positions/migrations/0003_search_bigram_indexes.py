"""The public post list's word search on PostgreSQL (positions/search.py): the `jianxi_bigrams`
function and GIN indexes over it for the post's title and majors and the unit's name. The unit's
index lives here, with the query it serves (`positions.selectors.posts_public`). Nothing happens
on SQLite, which searches with LIKE alone. The indexes are not in the models' Meta because Meta
indexes are created on every database and SQLite has no GIN."""

from django.db import migrations

# The lower-cased text's overlapping two-character pieces. IMMUTABLE (an index expression needs
# it), STRICT, PARALLEL SAFE; plpgsql with an indexed array assignment takes ~4 µs for a
# 20-character title, against 7–15 µs for the SQL forms with generate_series.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION jianxi_bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    low text := lower(t);
    grams text[] := '{}';
BEGIN
    FOR i IN 1 .. char_length(low) - 1 LOOP
        grams[i] := substr(low, i, 2);
    END LOOP;
    RETURN grams;
END
$$
"""

INDEXES = {
    # posts_public(q=…): a word in the post's title or majors (the planner ORs the two columns'
    # index scans).
    "positions_post_words_idx": "positions_post USING gin (jianxi_bigrams(title), jianxi_bigrams(majors))",
    # posts_public(q=…): the units whose name holds the word, whose posts the list then shows.
    "units_unit_name_words_idx": "units_unit USING gin (jianxi_bigrams(name))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS jianxi_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0002_alter_post_status_post_positions_post_newest_idx_and_more"),
        ("units", "0003_unit_personal_values_encrypted"),
    ]

    operations = [migrations.RunPython(create, drop)]
