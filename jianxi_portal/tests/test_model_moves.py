"""Models that left the core app keep their tables and rows (ARCHITECTURE.md: Moving models without
breaking a database): a database migrated before the move (`Job` a core model, `ApiToken` and
`PasswordHistory` too) migrates forward with equal row counts, every row readable through the new
apps' models, and the same content types (so admin history and permissions still point at them)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import ApiToken, PasswordHistory
from exchange.models import Job
from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory

# The migrations of main before the move: the core's last one, and no migration of the new apps.
BEFORE_MOVE = [("jianxi_portal", "0012_load_majors_catalogue"), ("accounts", None), ("exchange", None)]
MOVED = {"job": Job, "apitoken": ApiToken, "passwordhistory": PasswordHistory}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    return executor.migrate(targets)


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_moved_models_keep_their_tables():
    assert Job._meta.db_table == "jianxi_portal_job"
    assert ApiToken._meta.db_table == "jianxi_portal_apitoken"
    assert PasswordHistory._meta.db_table == "jianxi_portal_passwordhistory"
    assert (Job._meta.app_label, ApiToken._meta.app_label, PasswordHistory._meta.app_label) == (
        "exchange",
        "accounts",
        "accounts",
    )


@pytest.mark.postgres(reason="migrating back and forth inside the test's transaction: transactional DDL")
def test_a_database_migrated_before_the_move_keeps_every_row_and_content_type():
    owner = UserFactory(username="moved_owner")
    leaves = _leaves()
    old = _migrate(BEFORE_MOVE).apps
    OldJob = old.get_model("jianxi_portal", "Job")
    OldToken = old.get_model("jianxi_portal", "ApiToken")
    OldHistory = old.get_model("jianxi_portal", "PasswordHistory")
    # A fixed instant, rows only carry it; the token expires long after any day the suite runs on (it
    # must still be active after the move).
    now = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    first = OldJob.objects.create(
        kind="export",
        owner_id=owner.pk,
        title="导出岗位",
        status="done",
        progress_done=3,
        progress_total=3,
        params={"city": "changchun"},
    )
    OldJob.objects.create(
        kind="import_apply", owner_id=owner.pk, title="导入学员", parent_id=first.pk, attempts=2, claim_token="abc"
    )
    OldToken.objects.create(
        user_id=owner.pk, name="对接", prefix="jx_12345", key_hash="a" * 64, expires_at=now + timedelta(days=365 * 70)
    )
    for digest in ("h1", "h2", "h3"):
        OldHistory.objects.create(user_id=owner.pk, password=digest)
    before = {
        "job": OldJob.objects.count(),
        "apitoken": OldToken.objects.count(),
        "passwordhistory": OldHistory.objects.count(),
    }
    ContentType.objects.clear_cache()
    old_types = {
        name: ContentType.objects.get(app_label="jianxi_portal", model=name).pk
        for name in MOVED
        if ContentType.objects.filter(app_label="jianxi_portal", model=name).exists()
    }

    _migrate(leaves)

    ContentType.objects.clear_cache()
    after = {name: model.objects.count() for name, model in MOVED.items()}
    assert after == before == {"job": 2, "apitoken": 1, "passwordhistory": 3}
    child = Job.objects.get(kind="import_apply")
    assert (child.parent.title, child.attempts, child.claim_token, child.owner) == ("导出岗位", 2, "abc", owner)
    assert Job.objects.get(pk=first.pk).params == {"city": "changchun"}
    assert ApiToken.objects.active().get().user == owner
    assert sorted(owner.password_history.values_list("password", flat=True)) == ["h1", "h2", "h3"]
    assert isinstance(User.objects.get(pk=owner.pk).jobs.first(), Job)
    # The content types the old database knew are the ones the moved models use now.
    assert old_types, "the test database should know the moved models' content types"
    for name, pk in old_types.items():
        assert ContentType.objects.get_for_model(MOVED[name]).pk == pk
        assert not ContentType.objects.filter(app_label="jianxi_portal", model=name).exists()
