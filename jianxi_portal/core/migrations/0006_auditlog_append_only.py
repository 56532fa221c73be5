"""The audit log is append-only on PostgreSQL (SECURITY.md, item 3; GB/T 22239-2019 §8.1.4.3 c: audit
records protected from deletion and modification): a trigger refuses every UPDATE and DELETE of a
row, whoever issues it through the application's role, with one exception: the retention purge
(`manage.py purge_audit`) may delete rows older than 183 days, and only inside a transaction that
set `jianxi.audit_purge = 'on'`. Younger rows can never be deleted (网络安全法 art. 21: logs kept
at least six months). SQLite (development) has no such trigger."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION jianxi_auditlog_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('jianxi.audit_purge', true) = 'on'
       AND OLD."at" < now() - interval '183 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'jianxi_portal_auditlog is append-only: % of row % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit records cannot be changed; only rows older than 183 days may be purged by purge_audit.';
END;
$$;
DROP TRIGGER IF EXISTS jianxi_auditlog_append_only ON jianxi_portal_auditlog;
CREATE TRIGGER jianxi_auditlog_append_only
    BEFORE UPDATE OR DELETE ON jianxi_portal_auditlog
    FOR EACH ROW EXECUTE FUNCTION jianxi_auditlog_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS jianxi_auditlog_append_only ON jianxi_portal_auditlog;
DROP FUNCTION IF EXISTS jianxi_auditlog_guard();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jianxi_portal", "0005_user_password_changed_at_user_sessions_valid_from_and_more"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
