"""Benchmark: recommendations at 100,000 published posts and 100,000 registered candidates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianxi_bench_r \\
        .venv/bin/python bench/recommend_bench.py [--posts 100000 --candidates 100000 --samples 50] [--explain]

Creates and migrates `jianxi_bench_r` (refuses any other name), loads the synthetic data once with
COPY (bench/synthetic.py's Copier: 5,000 units, the posts over the last 12 months each asking for
1–3 of 60 catalogue majors — one in eight naming a 专业类 or 门类 instead, 15% open to all —, their
`PostKey` rows as `outreach.seekers.post_index` writes them, the young people's accounts, trainee
records and `SeekerProfile`s — the profile facts, catalogue codes and consents computed by
`outreach.seekers` itself; 70% consenting to pushes and to employers —, a third of them with
preferred regions, 5% already placed), then times for random people and posts:

- `outreach.recommend.posts_for_seeker` — a person's 20 best posts with reasons;
- `outreach.recommend.candidates_for_post` — a post's 20 best candidates (the employer's page);
- the same for the targeted push (push consent, within preferences, up to 200 candidates),

printing the median, the 95th percentile and the number of SQL queries. Not part of `make test`."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")

from bench.annex2_bench import ensure_database  # noqa: E402

MAJORS = [
    "会计学",
    "财务管理",
    "审计学",
    "金融学",
    "经济学",
    "国际经济与贸易",
    "市场营销",
    "工商管理",
    "人力资源管理",
    "行政管理",
    "公共事业管理",
    "法学",
    "汉语言文学",
    "新闻学",
    "英语",
    "日语",
    "朝鲜语",
    "俄语",
    "数学与应用数学",
    "统计学",
    "物理学",
    "化学",
    "生物科学",
    "计算机科学与技术",
    "软件工程",
    "网络工程",
    "信息安全",
    "数据科学与大数据技术",
    "电子信息工程",
    "通信工程",
    "自动化",
    "电气工程及其自动化",
    "机械设计制造及其自动化",
    "车辆工程",
    "材料科学与工程",
    "土木工程",
    "建筑学",
    "给排水科学与工程",
    "环境工程",
    "化学工程与工艺",
    "食品科学与工程",
    "制药工程",
    "药学",
    "护理学",
    "临床医学",
    "中医学",
    "农学",
    "动物医学",
    "林学",
    "旅游管理",
    "酒店管理",
    "物流管理",
    "电子商务",
    "视觉传达设计",
    "学前教育",
    "小学教育",
    "体育教育",
    "社会工作",
    "机电一体化技术",
    "汽车检测与维修技术",
]
# Requirements naming a 专业类 or 门类 (the catalogue's hierarchy): one post in eight.
BROADER = [
    "计算机类",
    "工商管理类",
    "机械类",
    "电子信息类",
    "土木类",
    "外国语言文学类",
    "工学",
    "管理学",
    "医学",
    "财务会计类",
]
CATEGORIES = ["management", "technical", "research", "skilled", "service", "other"]
EDUCATIONS = ["any", "any", "junior_college", "bachelor", "bachelor", "master"]
TRAINEE_EDUCATIONS = ["junior_college", "bachelor", "bachelor", "bachelor", "master", "secondary"]


def load(posts: int, candidates: int, *, seed: int = 8, log=print) -> None:
    from django.db import connection

    from jianxi_portal.core.models import AnnualQuota, District

    rng = random.Random(seed)
    today = date.today()
    quotas = {q.region_id: q.post_quota for q in AnnualQuota.objects.filter(year=2022)}
    districts: dict[int, list[int]] = {}
    for d in District.objects.all():
        districts.setdefault(d.region_id, []).append(d.pk)
    regions = list(districts)
    weights = [quotas.get(r, 100) for r in regions]
    units = _units(rng, 5000, regions, weights, districts)
    log(f"units: {len(units)}")
    post_ids = _posts(rng, posts, units, today)
    log(f"posts and keys: {len(post_ids)}")
    _people(rng, candidates, regions, weights, post_ids, today)
    log(f"candidates: {candidates}")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _units(rng, n, regions, weights, districts):
    from bench.synthetic import Copier
    from jianxi_portal.core.personal import field_of

    copier = Copier("units.Unit")
    phone = field_of(copier.model, "contact_phone").columns("13900000000")  # encrypted, as the model stores it
    start = copier.next_id()
    units, rows = [], []
    for k in range(n):
        pk = start + k
        region = rng.choices(regions, weights)[0]
        district = rng.choice(districts[region])
        units.append((pk, region, district))
        rows.append(
            {
                "id": pk,
                "name": f"推荐基准单位{pk}",
                "credit_code": f"RBENCH{pk:012d}",
                "unit_type": "private",
                "industry": "I",
                "region_id": region,
                "district_id": district,
                "address": "测试路1号",
                "contact_name": "联系人",
                **phone,
                "status": "approved",
                "first_approved_on": date(2024, 1, 1),
            }
        )
    copier.copy(rows)
    return units


def _posts(rng, n, units, today):
    from bench.synthetic import Copier
    from jianxi_portal.core.majors import catalogue

    posts, keys = Copier("positions.Post"), Copier("outreach.PostKey")
    start = posts.next_id()
    rows, key_rows, published = [], [], []
    for k in range(n):
        pk = start + k
        unit_id, region, district = rng.choice(units)
        day = today - timedelta(days=rng.randrange(0, 365))
        closed = rng.random() < 0.1
        names = BROADER if rng.random() < 0.125 else MAJORS
        majors = "、".join(rng.sample(names, rng.choice([1, 1, 2, 3]))) if rng.random() < 0.85 else ""
        rows.append(
            {
                "id": pk,
                "unit_id": unit_id,
                "region_id": region,
                "district_id": district,
                "title": f"岗位{pk}",
                "category": rng.choice(CATEGORIES),
                "slots": rng.randint(1, 10),
                "duration_months": 6,
                "allowance": Decimal("1300.00"),
                "majors": majors,
                "education": rng.choice(EDUCATIONS),
                "status": "closed" if closed else "approved",
                "first_approved_on": day,
                "published_on": day,
                "closing_date": day + timedelta(days=365),
                "closed_on": day + timedelta(days=30) if closed else None,
            }
        )
        for key in catalogue().requirement(majors).keys:
            key_rows.append({"post_id": pk, "key": key, "region_id": region, "published_on": day})
        if not closed:
            published.append(pk)
    posts.copy(rows)
    keys.copy({"id": i + 1, **row} for i, row in enumerate(key_rows))
    return published


def _people(rng, n, regions, weights, post_ids, today):
    import secrets

    from bench.synthetic import Copier
    from outreach.seekers import _facts
    from trainees.models import Trainee

    users, trainees = Copier("jianxi_portal.User"), Copier("trainees.Trainee")
    profiles = Copier("outreach.SeekerProfile")
    u0, t0, p0 = users.next_id(), trainees.next_id(), profiles.next_id()
    user_rows, trainee_rows, profile_rows, region_rows = [], [], [], []
    for k in range(n):
        region = rng.choices(regions, weights)[0]
        left = today - timedelta(days=rng.randrange(0, 900))  # some left more than two years ago
        trainee = Trainee(
            id=t0 + k,
            user_id=u0 + k,
            name=f"求职者{k}",
            id_number_cipher="bench",
            id_number_digest=f"rbench-{k:020d}",
            id_number_masked="220102********0000",
            birth_date=date(2002, 1, 1),
            sex="F",
            category="college_graduate",
            school="吉林大学",
            major=rng.choice(MAJORS),
            education=rng.choice(TRAINEE_EDUCATIONS),
            left_school_on=left,
            employed=rng.random() < 0.03,
            region_id=region,
            consent_push=rng.random() < 0.7,
            consent_digest=rng.random() < 0.5,
            consent_employers=rng.random() < 0.7,
        )
        user_rows.append(
            {"id": u0 + k, "username": f"rbench_youth_{k}", "password": "!", "role": "youth", "is_active": True}
        )
        trainee_rows.append(
            {
                f.attname: getattr(trainee, f.attname)
                for f in Trainee._meta.concrete_fields
                if f.attname
                not in ("created_at", "updated_at", "phone_cipher", "phone_digest", "phone_masked", "created_by_id")
            }
        )
        categories = rng.sample(CATEGORIES, rng.choice([0, 1, 2])) if rng.random() < 0.5 else []
        profile_rows.append(
            {
                "id": p0 + k,
                "user_id": u0 + k,
                "trainee_id": t0 + k,
                **_facts(trainee),
                "categories": categories,
                "unsubscribe_token": secrets.token_urlsafe(24),
            }
        )
        if rng.random() < 0.33:
            for other in rng.sample(regions, rng.choice([1, 2])):
                region_rows.append({"profile_id": p0 + k, "region_id": other})
    users.copy(user_rows)
    trainees.copy(trainee_rows)
    profiles.copy(profile_rows)
    Copier("outreach.SeekerRegion").copy({"id": i + 1, **row} for i, row in enumerate(region_rows))
    _placements(rng, [t0 + k for k in range(n) if rng.random() < 0.05], post_ids)


def _placements(rng, trainee_ids, post_ids):
    from bench.synthetic import Copier
    from positions.models import Post

    posts = {p.pk: p for p in Post.objects.filter(pk__in=rng.sample(post_ids, min(len(post_ids), 20000)))}
    keys = list(posts)
    copier = Copier("trainees.Placement")
    start = copier.next_id()
    rows = []
    for k, trainee_id in enumerate(trainee_ids):
        post = posts[rng.choice(keys)]
        signed = post.published_on + timedelta(days=10)
        rows.append(
            {
                "id": start + k,
                "trainee_id": trainee_id,
                "post_id": post.pk,
                "unit_id": post.unit_id,
                "region_id": post.region_id,
                "category": "college_graduate",
                "signed_on": signed,
                "planned_start": signed,
                "planned_end": signed + timedelta(days=180),
                "allowance": Decimal("1300.00"),
                "status": "planned",
            }
        )
    copier.copy(rows)


def timed(fn, arguments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs, queries, sizes = [], [], []
    for argument in arguments:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn(argument)
            runs.append(time.perf_counter() - start)
        queries.append(len(ctx.captured_queries))
        sizes.append(len(result))
    runs.sort()
    p95 = runs[min(len(runs) - 1, int(len(runs) * 0.95))]
    return statistics.median(runs), p95, max(queries), statistics.mean(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=111_000, help="posts loaded; 10%% are closed, ~100k published")
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print the plans of the index-range queries")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not url.rstrip("/").endswith("/jianxi_bench_r"):
        raise SystemExit("set DATABASE_URL=postgres://…/jianxi_bench_r (PostgreSQL only)")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from outreach.models import SeekerProfile
    from outreach.push import PUSH_MAX_PER_POST
    from outreach.recommend import candidates_for_post, posts_for_seeker
    from positions.models import Post

    call_command("migrate", verbosity=0)
    if SeekerProfile.objects.count() < args.candidates:
        start = time.perf_counter()
        load(args.posts, args.candidates, log=lambda m: print(f"  loaded {m}", flush=True))
        print(f"data loaded in {time.perf_counter() - start:.0f} s", flush=True)
    rng = random.Random(2026)
    published = list(Post.objects.published().values_list("pk", flat=True))
    people = list(SeekerProfile.objects.values_list("pk", flat=True))
    print(f"published posts: {len(published):,} of {Post.objects.count():,}; candidates: {len(people):,}")
    sample_people = list(
        SeekerProfile.objects.filter(pk__in=rng.sample(people, args.samples)).select_related("user", "trainee")
    )
    sample_posts = list(Post.objects.filter(pk__in=rng.sample(published, args.samples)).select_related("region"))
    posts_for_seeker(sample_people[0])  # warm the connection and the plan cache
    results = {
        "posts_for_seeker (20 best posts for a person)": timed(posts_for_seeker, sample_people),
        "candidates_for_post (20 best candidates, employer page)": timed(candidates_for_post, sample_posts),
        "candidates_for_post (push: consent, within preferences, up to 200)": timed(
            lambda p: candidates_for_post(
                p, limit=PUSH_MAX_PER_POST, for_employers=False, for_push=True, pushable_only=True
            ),
            sample_posts,
        ),
    }
    for label, (median, p95, queries, size) in results.items():
        print(
            f"{label}: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, {queries} queries, "
            f"{size:.1f} results on average"
        )
    if args.explain:
        _explain(sample_people[0], sample_posts[0])


def _explain(profile, post) -> None:
    from django.db import connection
    from django.utils import timezone

    from outreach.models import PostKey
    from outreach.recommend import WINDOW, _seekers_base

    today = timezone.localdate()
    recent = PostKey.objects.filter(published_on__gte=today - timedelta(days=366)).order_by("-published_on")
    queries = [
        recent.filter(key=profile.major_class or profile.major_code or "-").values_list("post_id")[:WINDOW],
        recent.filter(key="*", region_id__in=[profile.region_id]).values_list("post_id")[:WINDOW],
        _seekers_base(today, for_employers=True, for_push=False)
        .order_by("-eligible_until")
        .filter(major_class=profile.major_class or "-")
        .values_list("pk")[:WINDOW],
        _seekers_base(today, for_employers=True, for_push=False)
        .order_by("-eligible_until")
        .filter(region_id=post.region_id)
        .values_list("pk")[:WINDOW],
    ]
    for qs in queries:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(r[0] for r in cur.fetchall()), "\n")


if __name__ == "__main__":
    main()
