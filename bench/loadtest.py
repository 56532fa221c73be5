"""Load test: gunicorn (2 sync workers, DEBUG off, persistent database connections) on 127.0.0.1
serving the province-scale database, loaded for a bounded time by a local client of a fixed
number of threads with keep-alive connections. Mix: 45 % public post list (search terms, filters,
pages), 30 % public post pages, 15 % a signed-in city's review queue, 10 % an employer's
dashboard. Prints requests per second, p50/p95/p99 latency and the error count, and writes
bench/results/loadtest.json.

    make loadtest                                   # jianxi_bench_p, 30 s, 8 client threads
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianxi_bench_p .venv/bin/python bench/loadtest.py \\
        --seconds 30 --threads 8

Only ever 127.0.0.1. Not part of `make test`."""

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
# The sessions made here must be signed with the key the server uses: both run with DEBUG off.
os.environ.update(
    DEBUG="0",
    SECRET_KEY=os.environ.get("SECRET_KEY", "loadtest-only-" + "x" * 40),
    ALLOWED_HOSTS="127.0.0.1,testserver",
    CONN_MAX_AGE="600",
)
HOST = "127.0.0.1"
SIGNED_IN = "退出".encode()
WORDS = ["会计", "软件", "行政", "护理", "营销", "机械", ""]


def prepare(scale: str):
    """Migrate and load the data if needed; return the session cookies of a city reviewer and an
    employer, some post ids and the region codes."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from scale_bench import bench_users, signed_in_client

    from jianxi_portal.core.models import Region
    from positions.models import Post
    from tools import generate_synthetic
    from trainees.models import Placement

    call_command("migrate", verbosity=0)
    if not Placement.objects.exists():
        generate_synthetic.generate(scale)
    city, employer = bench_users()
    name = settings.SESSION_COOKIE_NAME
    cookies = {
        role: f"{name}={signed_in_client(user).cookies[name].value}"
        for role, user in (("city", city), ("employer", employer))
    }
    posts = list(Post.objects.filter(status="approved", closed_on__isnull=True).values_list("pk", flat=True)[:5000])
    return cookies, posts, list(Region.objects.values_list("code", flat=True))


def request_mix(rng: random.Random, cookies, posts, regions, list_path="/posts/"):
    roll = rng.random()
    if roll < 0.45:
        from urllib.parse import urlencode

        query = {
            "q": rng.choice(WORDS),
            "region": rng.choice(regions + [""]),
            "category": rng.choice(["", "technical", "management"]),
            "page": rng.randint(1, 20),
        }
        return "list", list_path + "?" + urlencode(query), None
    if roll < 0.75:
        return "post", f"/posts/{rng.choice(posts)}/", None
    if roll < 0.90:
        return "city_queue", "/review/", cookies["city"]
    return "employer_home", "/", cookies["employer"]


def client(port, deadline, seed, cookies, posts, regions, out, lock, list_path):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    mine = []
    while time.monotonic() < deadline:
        kind, path, cookie = request_mix(rng, cookies, posts, regions, list_path)
        headers = {"Cookie": cookie} if cookie else {}
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            # a signed-in page must still be signed in (an expired session would show the public home)
            ok = response.status == 200 and (cookie is None or SIGNED_IN in body)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine.append((kind, time.perf_counter() - start, ok))
    conn.close()
    with lock:
        out.extend(mine)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/posts/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer on 127.0.0.1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--scale", default="province")
    args = parser.parse_args()
    if not (1 <= args.seconds <= 120 and 1 <= args.threads <= 64):
        raise SystemExit("bounded: 1–120 seconds, 1–64 threads")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not url.rsplit("/", 1)[-1].startswith("jianxi_bench"):
        raise SystemExit("set DATABASE_URL=postgres://…/jianxi_bench_p (PostgreSQL, a jianxi_bench… database)")

    cookies, posts, regions = prepare(args.scale)
    env = dict(os.environ)
    # bench_wsgi: the portal and the reference plain list (bench/plain_views.py) in one server.
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bench_wsgi:application",
            "--pythonpath",
            str(ROOT / "bench"),
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{args.port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "-",
            "--access-logformat",
            "",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(args.port)
        phases = {}
        # The same mix twice, back to back: ours, then with the list's requests sent to the
        # reference plain list (the same 20 rows, no count), so both p99s come from one run.
        for phase, list_path in (("ours", "/posts/"), ("reference", "/bench/plain-posts/")):
            results, lock = [], threading.Lock()
            started = time.monotonic()
            deadline = started + args.seconds
            threads = [
                threading.Thread(
                    target=client, args=(args.port, deadline, k, cookies, posts, regions, results, lock, list_path)
                )
                for k in range(args.threads)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            phases[phase] = (results, time.monotonic() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    def figures(rows):
        times = [r[1] * 1000 for r in rows]
        return {
            "requests": len(rows),
            "errors": sum(1 for r in rows if not r[2]),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
        }

    report = {}
    for phase, (results, elapsed) in phases.items():
        total = figures(results) | {
            "rps": round(len(results) / elapsed, 1),
            "seconds": round(elapsed, 1),
            "workers": args.workers,
            "client_threads": args.threads,
        }
        by_kind = {kind: figures([r for r in results if r[0] == kind]) for kind in sorted({r[0] for r in results})}
        report[phase] = {"total": total, "by_kind": by_kind}
        print(
            f"{phase}: {total['requests']} requests in {total['seconds']} s = {total['rps']} req/s, "
            f"p50 {total['p50_ms']} ms, p95 {total['p95_ms']} ms, p99 {total['p99_ms']} ms, errors {total['errors']}"
        )
        for kind, f in by_kind.items():
            print(
                f"  {kind:14s} {f['requests']:6d} req  p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}  "
                f"p99 {f['p99_ms']:7.1f} ms  errors {f['errors']}"
            )
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} ({os.cpu_count()} CPUs)")
    from scale_bench import RESULTS, commit, data_size, machine

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "loadtest.json").write_text(
        json.dumps(
            {
                **report,
                "load_average": load,
                "data": data_size(),
                "machine": machine(),
                "commit": commit(),
                "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
