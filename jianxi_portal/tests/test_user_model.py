"""The user model's change tracking works with partially loaded rows."""

from jianxi_portal.core.models import AuditLog, User


def test_loading_a_user_with_deferred_fields_does_not_recurse(city_cc):
    user = User.objects.only("username").get(pk=city_cc.pk)
    assert user.username == "city_cc"
    assert user.role == "city"  # the deferred field loads once, without recursion


def test_refresh_of_some_fields_works(city_cc):
    city_cc.refresh_from_db(fields=["role"])
    assert city_cc.role == "city"


def test_role_change_of_a_partially_loaded_user_is_audited(rf, city_cc, jilin_region):
    from jianxi_portal.core import middleware

    request = rf.get("/")
    request.user = city_cc
    middleware._local.request = request
    try:
        user = User.objects.only("id", "role", "region").get(pk=city_cc.pk)
        user.region = jilin_region
        user.save()
    finally:
        middleware._local.request = None
    row = AuditLog.objects.filter(event="user.permission_change", object_id=str(city_cc.pk)).latest("at")
    assert "region_id" in row.detail["changes"]
