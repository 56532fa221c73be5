"""One way to start calls at the same moment, for the race tests on PostgreSQL (SECURITY.md, item 6)."""

import threading

from django.db import connection


def run_together(*calls):
    """Start every call at the same moment in its own thread (its own database connection); return
    what each returned or the exception it raised, in call order."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each call met
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
