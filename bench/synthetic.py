"""Synthetic data for benchmarks: units, posts, trainees, placements, claims and disbursements
bulk-loaded into PostgreSQL with COPY (a million placements in a few minutes on two cores).

Rows are built from the models' own field lists, so fields other apps add later are filled from
their defaults; every value the domain cares about (dates, ends, outcomes, categories, regions)
is drawn from a seeded random generator, spread over 2022-01 … 2026-10 and over the 11 regions in
proportion to their 2022 post quotas. Not used by the test suite. The COPY loader is shared with
`manage.py generate_synthetic --scale province|national` (jianxi_portal/synthetic.py)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from jianxi_portal.synthetic import NULL, Copier, _cell  # noqa: F401  (one COPY implementation)

FIRST_DAY, LAST_DAY = date(2022, 1, 1), date(2026, 10, 31)
CATEGORIES = [("college_graduate", 70), ("vocational_graduate", 15), ("unemployed_youth", 15)]


def _day(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate(placements: int, *, seed: int = 2022, log=print) -> dict:
    """Load `placements` placements with proportional units, posts, trainees and payments."""
    from jianxi_portal.models import AnnualQuota, District, User

    rng = random.Random(seed)
    user, _ = User.objects.get_or_create(username="bench_loader", defaults={"role": User.Role.PROVINCE})
    quotas = {q.region_id: q.post_quota for q in AnnualQuota.objects.filter(year=2022)}
    districts: dict[int, list[int]] = {}
    for d in District.objects.all():
        districts.setdefault(d.region_id, []).append(d.pk)
    region_weights = [(rid, quotas.get(rid, 100)) for rid in districts]
    counts = {"units": max(placements // 50, 20), "posts": max(placements // 15, 60), "trainees": placements,
              "placements": placements, "disbursements": max(placements // 10, 10)}

    units = _units(rng, counts["units"], region_weights, districts)
    log(f"units: {len(units)}")
    posts = _posts(rng, counts["posts"], units)
    log(f"posts: {len(posts)}")
    _trainees_and_placements(rng, placements, posts, log)
    claims = _claims(units, user)
    log(f"claims: {len(claims)}")
    _disbursements(rng, counts["disbursements"], claims, user)
    log(f"disbursements: {counts['disbursements']}")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return counts


def _units(rng, n, region_weights, districts) -> list[tuple]:
    from jianxi_portal.personal import field_of

    copier = Copier("units.Unit")
    phone = field_of(copier.model, "contact_phone").columns("13900000000")  # encrypted, as the model stores it
    start = copier.next_id()
    units, rows = [], []
    for k in range(n):
        pk, region = start + k, _weighted(rng, region_weights)
        approved = _day(rng, date(2021, 6, 1), LAST_DAY)
        revoked = approved + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.03 else None
        if revoked and revoked > LAST_DAY:
            revoked = None
        district = rng.choice(districts[region])
        units.append((pk, region, district, approved, revoked))
        rows.append({
            "id": pk, "name": f"基准测试单位{pk}", "credit_code": f"BENCH{pk:013d}", "unit_type": "private",
            "industry": "I", "region_id": region, "district_id": district, "address": "测试路1号",
            "contact_name": "联系人", **phone, "status": "revoked" if revoked else "approved",
            "first_approved_on": approved, "revoked_on": revoked,
        })
    copier.copy(rows)
    return units


def _posts(rng, n, units) -> list[tuple]:
    copier = Copier("positions.Post")
    start = copier.next_id()
    posts, rows = [], []
    for k in range(n):
        pk = start + k
        unit_id, region, district, unit_approved, unit_revoked = rng.choice(units)
        approved = min(unit_approved + timedelta(days=rng.randrange(0, 400)), LAST_DAY)
        closed = approved + timedelta(days=rng.randrange(60, 365)) if rng.random() < 0.3 else None
        if unit_revoked and (closed is None or closed > unit_revoked):
            closed = max(unit_revoked, approved)
        if closed and closed > LAST_DAY:
            closed = None
        posts.append((pk, unit_id, region, approved))
        rows.append({
            "id": pk, "unit_id": unit_id, "region_id": region, "district_id": district, "title": f"岗位{pk}",
            "category": "technical", "slots": rng.randint(1, 10), "duration_months": 6,
            "allowance": Decimal("1200.00"), "status": "closed" if closed else "approved",
            "first_approved_on": approved, "published_on": approved, "closed_on": closed,
        })
    copier.copy(rows)
    return posts


def _trainees_and_placements(rng, n, posts, log) -> None:
    trainees, placements = Copier("trainees.Trainee"), Copier("trainees.Placement")
    t0, p0 = trainees.next_id(), placements.next_id()
    plan = []
    for k in range(n):
        plan.append((t0 + k, rng.choice(posts), _weighted(rng, CATEGORIES)))
    trainees.copy({
        "id": tid, "name": f"见习生{tid}", "id_number_cipher": "bench", "id_number_digest": f"bench-{tid:020d}",
        "id_number_masked": "220102********0000", "birth_date": date(2001, 1, 1), "sex": "M",
        "category": category, "region_id": post[2],
    } for tid, post, category in plan)
    log(f"trainees: {n}")
    today = LAST_DAY + timedelta(days=1)
    placements.copy(
        _placement_row(rng, p0 + k, tid, post, category, today) for k, (tid, post, category) in enumerate(plan)
    )
    log(f"placements: {n}")


def _placement_row(rng, pk, trainee_id, post, category, today) -> dict:
    post_id, unit_id, region, post_approved = post
    planned = max(_day(rng), post_approved)
    planned_end = planned + timedelta(days=30 * rng.choice([3, 6, 6, 6, 12]))
    row = {
        "id": pk, "trainee_id": trainee_id, "post_id": post_id, "unit_id": unit_id, "region_id": region,
        "category": category, "signed_on": planned - timedelta(days=rng.randrange(0, 15)), "planned_start": planned,
        "planned_end": planned_end, "allowance": Decimal("1200.00"), "status": "planned",
    }
    roll = rng.random()
    if roll < 0.02:
        return row | {"status": "cancelled", "cancelled_on": planned - timedelta(days=1)}
    started = planned + timedelta(days=rng.randrange(0, 10))
    if started >= today or roll < 0.05:
        return row
    row |= {"status": "on_duty", "started_on": started}
    end_roll = rng.random()
    if end_roll < 0.10:  # abnormal, somewhere in the agreed period
        ended = started + timedelta(days=rng.randrange(0, max((planned_end - started).days, 1)))
        return row | ({"status": "ended", "ended_on": ended, "end": "abnormal", "end_reason": "personal"}
                      if ended < today else {})
    if end_roll < 0.15:  # early retention
        ended = started + timedelta(days=rng.randrange(30, max((planned_end - started).days, 31)))
        return row | ({"status": "ended", "ended_on": ended, "end": "early_retained", "outcome": "retained"}
                      if ended < today else {})
    if planned_end < today:
        outcome = _weighted(rng, [("retained", 60), ("other_employment", 20), ("none", 20)])
        return row | {"status": "ended", "ended_on": planned_end, "end": "completed", "outcome": outcome}
    return row


def _claims(units, user) -> list[tuple]:
    copier = Copier("subsidies.Claim")
    start = copier.next_id()
    claims = [(start + k, u[0], u[1]) for k, u in enumerate(units)]
    copier.copy({
        "id": pk, "unit_id": unit_id, "region_id": region, "period_from": FIRST_DAY, "period_to": FIRST_DAY,
        "total": Decimal("1000000.00"), "approved_amount": Decimal("1000000.00"), "status": "approved",
        "created_by_id": user.pk,
    } for pk, unit_id, region in claims)
    return claims


def _disbursements(rng, n, claims, user) -> None:
    copier = Copier("subsidies.Disbursement")
    start = copier.next_id()

    def rows():
        for k in range(n):
            pk, unit_id, region = rng.choice(claims)
            yield {
                "id": start + k, "claim_id": pk, "region_id": region, "paid_on": _day(rng),
                "amount": Decimal(rng.randrange(50_000, 2_000_000)) / 100, "funding_level": "province",
                "recorded_by_id": user.pk,
            }

    copier.copy(rows())
