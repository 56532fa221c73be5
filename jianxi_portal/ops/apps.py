from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "jianxi_portal.ops"
    label = "ops"
    verbose_name = "运行监控"

    def ready(self):
        # Celery signals: the request id carried into tasks, one log line per task, the worker's
        # heartbeat (connected before a worker's consumer starts: Django is set up first).
        # ready(): Celery signal receivers connect once Django is set up
        from jianxi_portal.ops import heartbeat, logs  # noqa: F401
