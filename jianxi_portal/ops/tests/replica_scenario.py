"""Run by test_replica.py in a process of its own, whose DATABASE_URL is a throwaway primary and
DATABASE_REPLICA_URL its streaming replica: requests through Django's test Client, each SELECT
counted per database; prints one JSON object of what each step read from."""

import json
import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
    django.setup()
    from django.db import connections
    from django.test import Client

    from jianxi_portal.ops import replica
    from jianxi_portal.tests.factories import UserFactory
    from units.tests.factories import ApprovedUnitFactory

    counts = {"default": 0, "replica": 0}

    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            if sql.lstrip().upper().startswith("SELECT") and "pg_last_wal" not in sql:
                counts[alias] += 1
            return execute(sql, params, many, context)

        return wrapper

    for alias in counts:
        connections[alias].execute_wrappers.append(counter(alias))

    def read(client, path="/units/", **extra):
        counts.update(default=0, replica=0)
        response = client.get(path, **extra)
        return {"status": response.status_code, **counts, "body": response.content.decode()}

    def replica_sql(sql):
        with connections["replica"].cursor() as cursor:
            cursor.execute(sql)

    result = {}
    anonymous = Client()
    ApprovedUnitFactory(name="长春复制甲单位", region_code="changchun")  # a write on the primary
    deadline = time.monotonic() + 20
    while "长春复制甲单位" not in (page := read(anonymous))["body"] or page["replica"] == 0:
        assert time.monotonic() < deadline, page
        replica.reset_health()
        time.sleep(0.2)
    result["caught_up"] = {k: page[k] for k in ("status", "default", "replica")}
    result["other_page"] = {k: v for k, v in read(anonymous, "/accounts/login/").items() if k != "body"}

    # Sign in (writes the session and last_login): the next reads of this browser use the primary.
    user = UserFactory(username="replica_youth", role="youth")
    signed_in = Client()
    response = signed_in.post("/accounts/login/", {"username": user.username, "password": "Secret-pass-2026"})
    result["login_status"] = response.status_code
    page = read(signed_in)
    result["after_write"] = {k: page[k] for k in ("status", "default", "replica")}
    signed_in.cookies.pop(replica.PIN_COOKIE)  # the pin's max-age ran out
    page = read(signed_in)
    result["after_pin"] = {k: page[k] for k in ("status", "default", "replica")}

    # The replica stops replaying WAL: it falls behind by more than the limit; the primary answers,
    # and a unit approved since is on the page.
    replica_sql("SELECT pg_wal_replay_pause()")
    ApprovedUnitFactory(name="长春复制乙单位", region_code="changchun")
    time.sleep(float(os.environ["REPLICA_MAX_LAG_SECONDS"]) + 0.5)
    replica.reset_health()
    result["lag_seconds"] = replica.measure_lag()
    page = read(anonymous)
    result["lagging"] = {k: page[k] for k in ("status", "default", "replica")}
    result["lagging_shows_new_unit"] = "长春复制乙单位" in page["body"]
    replica_sql("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 20
    while (page := read(anonymous))["replica"] == 0:
        assert time.monotonic() < deadline, page
        replica.reset_health()
        time.sleep(0.2)
    result["resumed"] = {k: page[k] for k in ("status", "default", "replica")}
    result["resumed_shows_new_unit"] = "长春复制乙单位" in page["body"]

    # The replica goes down (the test stops its server, then writes a line on stdin).
    print(json.dumps({"ready_to_stop": True}), flush=True)
    sys.stdin.readline()
    replica.reset_health()
    started = time.monotonic()
    page = read(anonymous)
    result["down"] = {k: page[k] for k in ("status", "default", "replica")}
    result["down_seconds"] = round(time.monotonic() - started, 2)
    page = read(anonymous)  # the check is remembered: no second wait
    result["down_again_seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
