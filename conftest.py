"""The fixed cast of every test: admin, province, city staff of 长春市 and 吉林市, two employers (one
unit in each of those cities) and a young person. Reference data (regions, districts, wages,
quotas) is loaded by migrations."""

import pytest
from django.db import connection

from jianxi_portal.core.models import Region, User
from jianxi_portal.tests.factories import UserFactory
from units.tests.factories import ApprovedUnitFactory


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Reference data (regions, districts, wages, quotas, subsidy rules) comes from data migrations,
    and a transactional test (threads, live_server) flushes the database when it ends. So:
    - transactional tests roll back by serialisation: the migrated data is restored for each;
    - every other test gets the `db` marker, so pytest-django runs it before the transactional
      ones, even when it reaches the database only through `request.getfixturevalue`."""
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            why = item.get_closest_marker("postgres").kwargs.get("reason", "row locks")
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL (set DATABASE_URL=postgres://…): {why}"))
        if _is_transactional(item):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)
        elif item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db, append=False)
    # pytest-django ordered the items before these markers existed: order again, stable, with the
    # same rule (database tests in a transaction first, transactional tests last).
    items.sort(key=_is_transactional)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the serialised reference data reachable from every connection object.

    Django restores a transactional test's data from `connection._test_serialized_contents`, an
    attribute of the connection object that created the test database. Once Playwright's event
    loop has run in the test thread, Django may hand out a new connection object without it, and
    the data would silently not come back. Putting it on the connection class fixes that."""
    from django.db import connections

    for connection_ in connections.all():
        contents = getattr(connection_, "_test_serialized_contents", None)
        if contents is not None:
            type(connection_)._test_serialized_contents = contents
    yield


@pytest.fixture
def changchun(db):
    return Region.objects.get(code="changchun")


@pytest.fixture
def jilin_region(db):
    return Region.objects.get(code="jilin")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin_t", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def province_user(db):
    return UserFactory(username="province_t", role=User.Role.PROVINCE)


@pytest.fixture
def city_cc(changchun):
    return UserFactory(username="city_cc", role=User.Role.CITY, region=changchun)


@pytest.fixture
def city_jl(jilin_region):
    return UserFactory(username="city_jl", role=User.Role.CITY, region=jilin_region)


@pytest.fixture
def unit_a(db):
    return ApprovedUnitFactory(name="长春甲单位", region_code="changchun")


@pytest.fixture
def unit_b(db):
    return ApprovedUnitFactory(name="吉林乙单位", region_code="jilin")


@pytest.fixture
def employer_a(unit_a):
    return UserFactory(username="employer_a", role=User.Role.EMPLOYER, unit=unit_a)


@pytest.fixture
def employer_b(unit_b):
    return UserFactory(username="employer_b", role=User.Role.EMPLOYER, unit=unit_b)


@pytest.fixture
def youth(db):
    return UserFactory(username="youth_t", role=User.Role.YOUTH)


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as `user` (staff: with two-factor
    verification done, as after typing the code; see accounts/twofactor.py)."""
    from accounts.twofactor import verify_test_client

    def login(user):
        client.force_login(user)
        verify_test_client(client, user)
        return client

    return login


@pytest.fixture
def api_for():
    """`api_for(user)` returns a DRF APIClient authenticated as `user` (None: anonymous)."""
    from rest_framework.test import APIClient

    def make(user=None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make
