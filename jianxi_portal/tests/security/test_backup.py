"""Item 8 — backup and restore: the test database is dumped with pg_dump -Fc (`backup_db`, what
`make backup` runs), restored into a fresh database (`restore_db`, what `make restore` runs), and
every table's row count and checksum compared."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jianxi_portal.core import backup
from jianxi_portal.core.audit import audit
from jianxi_portal.tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_fresh_database_with_identical_tables(tmp_path, figures):
    # committed rows of our own beside the reference data the migrations loaded
    for i in range(3):
        user = UserFactory(username=f"backup_user_{i}")
        audit("backup.test", user=user, detail={"i": i})
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "jianxi.dump"
    backup.drop(target)
    try:
        call_command("backup_db", output=str(dump), stdout=io.StringIO())
        assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
        out = io.StringIO()
        call_command("restore_db", str(dump), database=target, stdout=out)
        before, after = backup.fingerprints(source), backup.fingerprints(target)
    finally:
        backup.drop(target)
    assert set(after) == set(before)
    differing = [t for t in before if before[t] != after[t]]
    assert differing == []
    rows = sum(count for count, _ in before.values())
    non_empty = sum(1 for count, _ in before.values() if count)
    assert before["jianxi_portal_region"][0] == 11 and before["jianxi_portal_auditlog"][0] >= 3
    assert f"{len(after)} 张表" in out.getvalue()
    figures.add(
        "8",
        f"backup/restore: {len(before)} tables ({non_empty} non-empty, {rows:,} rows) restored into a "
        f"fresh database; {len(before) - len(differing)} of {len(before)} identical in row count and MD5",
    )


@pytest.mark.postgres
def test_restore_refuses_the_database_in_use(db, tmp_path):
    with pytest.raises(CommandError, match="不能恢复到当前正在使用的数据库"):
        call_command("restore_db", str(tmp_path / "x.dump"), database=connection.settings_dict["NAME"])


def test_backup_explains_that_it_needs_postgresql(db, settings):
    if connection.vendor == "postgresql":
        pytest.skip("runs on SQLite: the message for a non-PostgreSQL database")
    with pytest.raises(CommandError, match="需要 PostgreSQL"):
        call_command("backup_db", stdout=io.StringIO())
