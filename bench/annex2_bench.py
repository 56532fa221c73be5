"""Benchmark: the province's Annex 2 report (11 regions, 14 indicators) at 1,000,000 placements.

    createdb -h 127.0.0.1 -U postgres jianxi_bench          # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianxi_bench \\
        .venv/bin/python bench/annex2_bench.py --placements 1000000

Migrates the bench database, loads the synthetic data once (bench/synthetic.py, COPY; skipped when
the database already holds that many placements), then times `annex2_rows` for all 11 regions
(four grouped queries) and the province summary `annex2_summary` (seven queries), each several
times, and prints the median and the fastest run with the number of SQL queries. Not part of
`make test`; never point it at a database that matters."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")


def ensure_database(url: str) -> None:
    """Create the bench database if it does not exist yet (connects to the `postgres` database)."""
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("jianxi_bench"):
        raise SystemExit(f"refusing to run on {name!r}: use a database named jianxi_bench…")
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


FLOOR_SQL = Path(__file__).resolve().parent / "annex2_floor.sql"


def floor_rows(period, regions) -> list[tuple]:
    """bench/annex2_floor.sql's rows (region id, indicators 1–14, 14 in yuan): the hand-written floor."""
    from django.db import connection

    params = {
        "regions": [r.pk for r in regions],
        "start": period.start,
        "end": period.end,
        "year_start": period.year_start,
    }
    with connection.cursor() as cur:
        cur.execute(FLOOR_SQL.read_text(), params)
        return cur.fetchall()


def timed(fn, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs, queries = [], None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(runs), min(runs), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--month", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the plan of the placements query")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL=postgres://…/jianxi_bench (PostgreSQL only)")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from jianxi_portal.core.models import Region
    from reports.indicators import Period
    from reports.selectors import annex2_rows, annex2_summary
    from trainees.models import Placement

    call_command("migrate", verbosity=0)
    have = Placement.objects.count()
    if have < args.placements:
        from bench.synthetic import generate

        start = time.perf_counter()
        generate(args.placements - have, log=lambda m: print(f"  loaded {m}", flush=True))
        print(f"data loaded in {time.perf_counter() - start:.0f} s", flush=True)
    total = Placement.objects.count()
    period = Period(args.year, args.month)
    regions = list(Region.objects.all())

    rows_med, rows_min, rows_q = timed(lambda: annex2_rows(period.year, period.month, regions), args.repeat)
    sum_med, sum_min, sum_q = timed(lambda: annex2_summary(period, regions), args.repeat)
    print(f"placements: {total:,}  month: {period.label}  regions: {len(regions)}")
    print(
        f"annex2_rows (11 regions, 14 indicators): median {rows_med * 1000:.0f} ms, best {rows_min * 1000:.0f} ms, "
        f"{rows_q} queries"
    )
    print(
        f"annex2_summary (province page data):      median {sum_med * 1000:.0f} ms, best {sum_min * 1000:.0f} ms, "
        f"{sum_q} queries"
    )
    row = next(r for r in annex2_rows(period.year, period.month, regions) if r.region.code == "changchun")
    print("changchun:", row.as_list())
    if args.explain:
        _explain(period, regions)


def _explain(period, regions) -> None:
    from django.db import connection

    from reports.selectors import annex2_queries

    for grouped, _ in annex2_queries(period, [r.pk for r in regions]):
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
