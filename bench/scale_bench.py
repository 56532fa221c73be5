"""Benchmarks at province (or national) scale on the data of `python -m tools.generate_synthetic`:
Annex 2 for all regions and one month, Annex 1 for a year, the public post list (a search term and
two filters, page 1; the unfiltered list, page 200), the review queue (a city's first and last
page, its overdue items, the province's first page), the city reviewer's home and the employer
dashboard (Django's test Client against the generated database). Each prints one line of figures
and writes them to bench/results/<name>.json with the machine, the commit and the data size.

Beside ours, in the same run and alternating with it run by run (`PAIRS`): the list cases' reference
plain view of the same 20 rows (plain_views.py; page 200 by OFFSET as the old links, and by the
下一页 cursor as the list reaches it now) and Annex 2's hand-written SQL floor (annex2_floor.sql,
checked to answer what `annex2_rows` answers). The last lines give ours ÷ reference in requests per
second (goal ≥ 0.8×), ours ÷ floor for Annex 2 (goal ≤ 1.5×), the load average and the commit.

    make bench                    # province scale, database jianxi_bench_p (created and loaded if empty)
    SCALE=national BENCH_DB=jianxi_bench_n make bench

Not part of `make test`; refuses any database not named jianxi_bench…"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": pg,
        "system": platform.platform(),
    }


def commit() -> str:
    if os.environ.get("BENCH_COMMIT"):  # a tree without git (an exported older commit, for "before")
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def timed(fn, repeat: int):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up (connection, caches, templates)
    runs, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return {
        "median_ms": round(statistics.median(runs) * 1000, 1),
        "best_ms": round(min(runs) * 1000, 1),
        "runs": repeat,
        "queries": queries,
    }


PAIRED_RUNS = 21
# Ours → its reference (floor), measured alternately and reported as a ratio.
PAIRS = {
    "annex2_rows": "annex2_floor",
    "post_list_search_p1": "post_list_search_p1_reference",
    "post_list_search_p1_cold": "post_list_search_p1_cold_reference",
    "post_list_p200": "post_list_p200_reference",
    "post_list_keyset_p200": "post_list_keyset_p200_reference",
}


def timed_pair(ours, reference, repeat: int):
    """`timed` for two functions run alternately (ours, reference, ours, …) after a warm-up of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours(), reference()
    runs = {ours: [], reference: []}
    queries = {}
    for _ in range(repeat):
        for fn in (ours, reference):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                runs[fn].append(time.perf_counter() - start)
            queries[fn] = len(ctx.captured_queries)
    return tuple(
        {
            "median_ms": round(statistics.median(runs[fn]) * 1000, 1),
            "best_ms": round(min(runs[fn]) * 1000, 1),
            "runs": repeat,
            "queries": queries[fn],
        }
        for fn in (ours, reference)
    )


def data_size() -> dict:
    from positions.models import Post
    from subsidies.models import Claim, Disbursement
    from trainees.models import Placement, Trainee
    from units.models import Unit

    return {
        "units": Unit.objects.count(),
        "posts": Post.objects.count(),
        "trainees": Trainee.objects.count(),
        "placements": Placement.objects.count(),
        "claims": Claim.objects.count(),
        "disbursements": Disbursement.objects.count(),
    }


def signed_in_client(user):
    from django.test import Client

    from accounts.twofactor import verify_test_client

    client = Client()
    client.force_login(user)
    verify_test_client(client, user)
    return client


def fetch(client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def forgetting(get):
    """`get` after emptying the cache (the process's own LocMem unless REDIS_URL is set): a visitor
    whose search nobody made in the last minutes."""
    from django.core.cache import cache

    def run():
        cache.clear()
        get()

    return run


def bench_users():
    """A city reviewer of the busiest region and the employer of the unit with most placements
    (created once; synthetic data has no accounts)."""
    from django.db.models import Count

    from jianxi_portal.core.models import Region, User
    from units.models import Unit

    region = Region.objects.annotate(n=Count("units")).order_by("-n").first()
    city, _ = User.objects.get_or_create(username="bench_city", defaults={"role": User.Role.CITY, "region": region})
    unit = Unit.objects.annotate(n=Count("placements")).order_by("-n").first()
    employer, _ = User.objects.get_or_create(
        username="bench_employer", defaults={"role": User.Role.EMPLOYER, "unit": unit}
    )
    for user in (city, employer):
        user.set_password("bench-Load-2026!")
        user.save()
    return city, employer


def bench_province_user():
    from jianxi_portal.core.models import User

    province, _ = User.objects.get_or_create(username="bench_province", defaults={"role": User.Role.PROVINCE})
    return province


def keyset_cursor(page: int) -> str | None:
    """The cursor of page `page`'s 下一页 link on the unfiltered public list (None: no keyset pages)."""
    try:
        from jianxi_portal.core.pagination import KeysetPaginator
    except ImportError:
        return None
    from positions.selectors import posts_public
    from positions.views import PAGE_SIZE

    return KeysetPaginator(posts_public(), PAGE_SIZE).page(number=page).next_cursor


def check_floor(period, regions) -> None:
    """The hand-written floor must answer what `annex2_rows` answers, or its time means nothing."""
    from annex2_bench import floor_rows

    from reports.indicators import to_wan
    from reports.selectors import annex2_rows

    ours = {
        row.region.pk: [row.values[n] for n in range(1, 15)] for row in annex2_rows(period.year, period.month, regions)
    }
    floor = {row[0]: [*row[1:14], to_wan(row[14])] for row in floor_rows(period, regions)}
    assert ours == floor, ("bench/annex2_floor.sql disagrees with annex2_rows", ours, floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "province"), choices=["province", "national"])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--month", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated case names (default: all)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not url.rsplit("/", 1)[-1].startswith("jianxi_bench"):
        raise SystemExit("set DATABASE_URL=postgres://…/jianxi_bench_p (PostgreSQL, a jianxi_bench… database)")
    from annex2_bench import ensure_database

    ensure_database(url)

    import django

    django.setup()
    from annex2_bench import floor_rows
    from django.conf import settings
    from django.core.management import call_command

    from jianxi_portal.core.models import Region
    from reports.indicators import Period
    from reports.selectors import annex1_rows, annex2_rows, annex2_summary
    from tools import generate_synthetic
    from trainees.models import Placement

    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench_urls"  # the portal's URLs and the reference plain list
    if not args.only:  # a run of chosen cases reads a database already migrated and loaded
        call_command("migrate", verbosity=0)
    if not Placement.objects.exists():
        generate_synthetic.generate(args.scale)
    size = data_size()
    city, employer = bench_users()
    regions = list(Region.objects.all())
    period = Period(args.year, args.month)
    RESULTS.mkdir(exist_ok=True)
    load_before = os.getloadavg()
    meta = {
        "scale": args.scale,
        "data": size,
        "machine": machine(),
        "commit": commit(),
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    from django.test import Client

    city_client, employer_client, public = signed_in_client(city), signed_in_client(employer), Client()
    province_client = signed_in_client(bench_province_user())
    # The cursor of page 199's 下一页 link: page 200 as a person reaches it by following the links
    # (None before the list had keyset pages: those two cases are then left out).
    deep_cursor = keyset_cursor(199)
    check_floor(period, regions)
    keyset_cases = [
        (
            "post_list_keyset_p200",
            "public post list, no filter, page 200 by its 下一页 cursor (keyset)",
            fetch(public, f"/posts/?after={deep_cursor}"),
        ),
        (
            "post_list_keyset_p200_reference",
            "reference: the same 20 rows, plain, by key, no count",
            fetch(public, f"/bench/plain-posts/?after={deep_cursor}"),
        ),
    ]
    cases = [
        (
            "annex2_rows",
            f"Annex 2, 11 regions × 14 indicators, {period.label}",
            lambda: annex2_rows(period.year, period.month, regions),
        ),
        (
            "annex2_floor",
            "Annex 2 floor: bench/annex2_floor.sql, one hand-written statement",
            lambda: floor_rows(period, regions),
        ),
        (
            "annex2_summary",
            "Annex 2 province summary data (rows + reports + calendar)",
            lambda: annex2_summary(period, regions),
        ),
        ("annex1_rows", f"Annex 1 for {args.year}, 11 regions", lambda: annex1_rows(args.year, regions)),
        (
            "post_list_search_p1",
            "public post list, q=会计 + region + category, page 1",
            fetch(public, f"/posts/?q=会计&region={city.region.code}&category=technical"),
        ),
        (
            "post_list_search_p1_reference",
            "reference: the same 20 rows, plain, no count",
            fetch(public, f"/bench/plain-posts/?q=会计&region={city.region.code}&category=technical"),
        ),
        (
            "post_list_search_p1_cold",
            "the same search, nothing remembered (count and filter form anew)",
            forgetting(fetch(public, f"/posts/?q=会计&region={city.region.code}&category=technical")),
        ),
        (
            "post_list_search_p1_cold_reference",
            "reference: the same 20 rows, plain, no count",
            forgetting(fetch(public, f"/bench/plain-posts/?q=会计&region={city.region.code}&category=technical")),
        ),
        ("post_list_p200", "public post list, no filter, page 200", fetch(public, "/posts/?page=200")),
        (
            "post_list_p200_reference",
            "reference: the same 20 rows, plain, no count",
            fetch(public, "/bench/plain-posts/?page=200"),
        ),
        *([] if deep_cursor is None else keyset_cases),
        ("review_queue", f"city review queue ({city.region.name}), page 1", fetch(city_client, "/review/")),
        # page=99999 is answered with the last page (Paginator.get_page): the deepest OFFSET.
        (
            "review_queue_last",
            f"city review queue ({city.region.name}), last page",
            fetch(city_client, "/review/?page=99999"),
        ),
        (
            "review_queue_overdue",
            f"city review queue ({city.region.name}), overdue only",
            fetch(city_client, "/review/?overdue=1"),
        ),
        (
            "review_queue_province",
            "province review queue (every region, per-region summary), page 1",
            fetch(province_client, "/review/"),
        ),
        ("city_home", f"city reviewer's home (dashboard, queue figures; {city.region.name})", fetch(city_client, "/")),
        (
            "employer_dashboard",
            "employer home (dashboard) of the unit with most placements",
            fetch(employer_client, "/"),
        ),
    ]
    only = {name for name in args.only.split(",") if name}
    results = {}
    by_name = {name: fn for name, _, fn in cases}
    paired = {}
    for name, what, fn in cases:
        if only and name not in only:
            continue
        if name in paired:
            figures = results[name] = paired.pop(name)
        elif name in PAIRS and PAIRS[name] in by_name and (not only or PAIRS[name] in only):
            # Ours and its reference alternate, run by run (the shared machine's load drifts between
            # two series run one after the other), with at least PAIRED_RUNS runs each.
            figures, paired[PAIRS[name]] = timed_pair(fn, by_name[PAIRS[name]], max(args.repeat, PAIRED_RUNS))
            results[name] = figures
        else:
            figures = results[name] = timed(fn, args.repeat)
        line = {"name": name, "what": what, **figures, **meta}
        (RESULTS / f"{name}_{args.scale}.json").write_text(json.dumps(line, ensure_ascii=False, indent=2))
        print(
            f"{name:22s} {figures['median_ms']:8.1f} ms median  {figures['best_ms']:8.1f} ms best  "
            f"{figures['queries']:3d} queries  [{what}; {size['placements']:,} placements]",
            flush=True,
        )
    # Ours ÷ reference in requests per second (one connection, in process): reference time ÷ ours.
    print(flush=True)
    for ours in ("post_list_search_p1", "post_list_search_p1_cold", "post_list_p200", "post_list_keyset_p200"):
        if ours in results and PAIRS[ours] in results:
            mine, ref = results[ours]["median_ms"], results[PAIRS[ours]]["median_ms"]
            print(
                f"{ours:22s} ours {1000 / mine:7.1f} req/s  reference {1000 / ref:7.1f} req/s  "
                f"ours ÷ reference = {ref / mine:.2f}× (goal ≥ 0.8×)",
                flush=True,
            )
    if "annex2_rows" in results and "annex2_floor" in results:
        mine, floor = results["annex2_rows"]["median_ms"], results["annex2_floor"]["median_ms"]
        print(
            f"{'annex2_rows':22s} ours {mine:7.1f} ms  floor {floor:7.1f} ms  ours ÷ floor = {mine / floor:.2f}× "
            f"(goal ≤ 1.5×)",
            flush=True,
        )
    load_after = os.getloadavg()
    print(
        f"load average: {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
        f"(1 min; {os.cpu_count()} CPUs); commit {meta['commit']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
