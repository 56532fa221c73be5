"""The Celery app of the workers that test_worker_kill.py starts and kills: the project's app, with
trainee imports slowed down (batches of JIANXI_WORKER_SLOW_BATCH rows, a pause of
JIANXI_WORKER_SLOW_SECONDS after writing each, inside the import's transaction) so that the test
can kill the worker in the middle of one. Nothing else differs from production."""

import os
import time

from celery.signals import task_prerun

from jianxi_portal.celery import app

__all__ = ["app"]


@task_prerun.connect(weak=False)
def slow_down_trainee_imports(**_):
    from exchange.imports import importer_for

    importer = importer_for("trainees")
    if getattr(importer, "slowed_down", False):
        return
    importer.batch_size = int(os.environ["JIANXI_WORKER_SLOW_BATCH"])
    pause, write = float(os.environ["JIANXI_WORKER_SLOW_SECONDS"]), importer.write

    def slow_write(creates, updates, by):
        write(creates, updates, by)
        time.sleep(pause)

    importer.write = slow_write
    importer.slowed_down = True
