"""JSON log lines (README: Logs): one per request and one per task, the request id carried into
the task, a user id and never a name, phone, ID number, path or query."""

import json
import logging
import os
import time

import pytest

from jianxi_portal.core.tasks import ping
from jianxi_portal.ops.context import request_id
from jianxi_portal.ops.logs import JsonFormatter
from jianxi_portal.tests.test_celery_redis import real_worker  # noqa: F401  (fixture)
from trainees.tests.factories import TraineeFactory


def lines(caplog, logger):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_one_json_line_per_request_with_its_id_user_id_route_status_and_duration(client_for, city_cc, caplog):
    caplog.set_level(logging.INFO, logger="jianxi.request")
    trainee = TraineeFactory(region=city_cc.region, name="张小明")
    response = client_for(city_cc).get(f"/trainees/{trainee.pk}/")
    [line] = lines(caplog, "jianxi.request")
    assert response.status_code == 200
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert (line["event"], line["user_id"], line["method"], line["route"], line["status"]) == (
        "request",
        city_cc.pk,
        "GET",
        "trainees/<int:pk>/",
        200,
    )
    assert line["duration_ms"] > 0 and line["level"] == "INFO" and line["time"].endswith("+08:00")
    text = json.dumps(line, ensure_ascii=False)
    assert "city_cc" not in text and "张小明" not in text and f"/trainees/{trainee.pk}/" not in text


def test_the_line_holds_the_route_never_the_path_or_a_searched_id_number(client_for, city_cc, caplog):
    caplog.set_level(logging.INFO, logger="jianxi.request")
    client_for(city_cc).get("/trainees/?q=220102199003071234&phone=13912345678")
    [line] = lines(caplog, "jianxi.request")
    assert line["route"] == "trainees/"
    text = json.dumps(line)
    assert "2201021990" not in text and "13912345678" not in text and "?" not in text


def test_a_page_that_matches_no_route_is_logged_as_unmatched(client, caplog):
    caplog.set_level(logging.INFO, logger="jianxi.request")
    client.get("/no/such/page/")
    [line] = lines(caplog, "jianxi.request")
    assert (line["route"], line["status"], line["user_id"]) == ("<unmatched>", 404, None)


def test_a_proxys_request_id_is_kept_and_anything_else_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="jianxi.request")
    nginx_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert client.get("/", HTTP_X_REQUEST_ID=nginx_id)["X-Request-ID"] == nginx_id
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32
    assert [line["request_id"] for line in lines(caplog, "jianxi.request")] == [nginx_id, replaced]


def test_every_record_written_during_a_request_carries_its_id(client, caplog):
    caplog.set_level(logging.INFO)
    token = request_id.set("a" * 32)
    try:
        logging.getLogger("jianxi.anything").warning("上传文件被拒绝")
    finally:
        request_id.reset(token)
    [line] = lines(caplog, "jianxi.anything")
    assert (line["request_id"], line["message"], line["level"]) == ("a" * 32, "上传文件被拒绝", "WARNING")


def test_a_task_run_in_process_logs_one_line_with_the_request_id_that_queued_it(caplog):
    caplog.set_level(logging.INFO, logger="jianxi.task")
    token = request_id.set("b" * 32)
    try:
        assert ping.delay(1).get() == 2
    finally:
        request_id.reset(token)
    [line] = lines(caplog, "jianxi.task")
    assert (line["event"], line["task"], line["request_id"], line["state"]) == (
        "task",
        "jianxi_portal.tasks.ping",
        "b" * 32,
        "SUCCESS",
    )
    assert line["duration_ms"] >= 0 and line["task_id"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker to carry the header")
def test_the_request_id_travels_to_a_real_worker_in_the_message_header(real_worker, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="jianxi.task")
    token = request_id.set("c" * 32)
    try:
        result = ping.delay(41)
    finally:
        request_id.reset(token)
    assert request_id.get() == ""  # the worker thread has no context of ours: only the header
    assert result.get(timeout=20) == 42
    deadline = time.monotonic() + 10  # the line is written after the result is stored (task_postrun)
    while not (found := [line for line in lines(caplog, "jianxi.task") if line["task_id"] == result.id]):
        assert time.monotonic() < deadline, "no task line"
        time.sleep(0.05)
    [line] = found
    assert (line["request_id"], line["state"]) == ("c" * 32, "SUCCESS")
