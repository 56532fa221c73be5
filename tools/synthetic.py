"""Synthetic data at the programme's scale for benchmarks and load tests: units, posts, trainees,
placements, claims and disbursements with realistic status mixes, bulk-loaded (COPY on PostgreSQL,
`bulk_create` elsewhere). Deterministic for a seed on an empty register: every value is drawn from
one seeded generator and names carry the running number, not the database id.

Used by `python -m tools.generate_synthetic --scale tiny|province|national` and by the scripts in bench/.
Synthetic units are recognisable by their credit code prefix `SYN` (`is_synthetic_only()`)."""

import csv
import io
import json
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.utils import timezone

from jianxi_portal.core import personal

NULL = "__NULL__"
FIRST_DAY, LAST_DAY = date(2022, 1, 1), date(2026, 10, 31)
CATEGORIES = [("college_graduate", 70), ("vocational_graduate", 15), ("unemployed_youth", 15)]
MARK = "SYN"


@dataclass(frozen=True)
class Scale:
    units: int
    posts: int
    trainees: int
    placements: int
    first_day: date
    last_day: date = LAST_DAY


SCALES = {
    "tiny": Scale(units=40, posts=40, trainees=120, placements=80, first_day=date(2024, 11, 1)),
    # Jilin province: ~10,000 units and posts (≈25,000 slots), 30,000 trainees, 20,000 placements, two years
    "province": Scale(units=10_000, posts=10_000, trainees=30_000, placements=20_000, first_day=date(2024, 11, 1)),
    # the national programme: one million posts and placements a year
    "national": Scale(
        units=300_000, posts=1_000_000, trainees=1_000_000, placements=1_000_000, first_day=date(2022, 1, 1)
    ),
}
SLOTS = [1, 1, 2, 2, 3, 3, 3, 4, 5, 1]  # mean 2.5 slots a post


def _cell(value):
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


class Copier:
    """COPY rows of one model, filling every column the caller does not give from the field's
    default (auto_now fields: now)."""

    def __init__(self, label: str):
        self.model = apps.get_model(label)
        self.fields = [f for f in self.model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default() or not f.null:
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = None

    def next_id(self) -> int:
        with connection.cursor() as cur:
            cur.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.model._meta.db_table}"')
            return cur.fetchone()[0]

    def copy(self, rows, chunk: int = 50_000) -> int:
        if connection.vendor != "postgresql":
            return self._bulk_create(rows)
        buffer, writer, n = io.StringIO(), None, 0
        writer = csv.writer(buffer)
        for row in rows:
            values = {**self.defaults, **row}
            writer.writerow([_cell(values[f.attname]) for f in self.fields])
            n += 1
            if n % chunk == 0:
                self._flush(buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer)
        self._flush(buffer)
        self._reset_sequence()
        return n

    def _bulk_create(self, rows, batch: int = 2_000) -> int:
        objects, n = [], 0
        for row in rows:
            objects.append(self.model(**{**self.defaults, **row}))
            n += 1
            if len(objects) == batch:
                self.model.objects.bulk_create(objects)
                objects = []
        self.model.objects.bulk_create(objects)
        return n

    def _flush(self, buffer: io.StringIO) -> None:
        buffer.seek(0)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        sql = f"COPY \"{self.model._meta.db_table}\" ({cols}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        with connection.cursor() as cur:
            cur.copy_expert(sql, buffer)

    def _reset_sequence(self) -> None:
        table = self.model._meta.db_table
        with connection.cursor() as cur:
            sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            cur.execute(f'SELECT setval({sequence}, (SELECT MAX(id) FROM "{table}"))')


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def is_synthetic_only() -> bool:
    """True when the register holds nothing but synthetic records (or nothing at all)."""
    Unit = apps.get_model("units.Unit")
    Trainee = apps.get_model("trainees.Trainee")
    return not (
        Unit.objects.exclude(credit_code__startswith=MARK).exists()
        or Trainee.objects.exclude(id_number_digest__startswith="syn-").exists()
    )


# The tables the generator fills. Their secondary indexes are dropped for the load and built again
# after it (one sorted build per index instead of a million insertions into each of ~70 indexes,
# GIN bigram indexes computing a plpgsql function per row among them); the foreign keys are not
# checked row by row when the role may say so (the generator writes consistent ids).
LOADED = (
    "units_unit",
    "positions_post",
    "trainees_trainee",
    "trainees_placement",
    "subsidies_claim",
    "subsidies_disbursement",
)


def _defer_indexes() -> list[str]:
    """Drop the loaded tables' indexes that back no constraint; return their definitions."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [list(LOADED)],
        )
        found = cur.fetchall()
        for name, _ in found:
            cur.execute(f"DROP INDEX {name}")
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cur.fetchone()[0]:
            cur.execute("SET LOCAL session_replication_role = replica")  # no per-row FK triggers
    return [definition for _, definition in found]


def _rebuild_indexes(definitions: list[str]) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('session_replication_role') = 'replica'")
        if cur.fetchone()[0]:
            cur.execute("SET LOCAL session_replication_role = DEFAULT")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # PostgreSQL refuses CREATE INDEX on a table with deferred foreign-key checks still pending
        # in the transaction (rows written before the load, e.g. by a test's fixtures): run them now,
        # then defer again as Django's constraints are declared (INITIALLY DEFERRED).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in definitions:
            cur.execute(definition)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


def generate_scale(scale: Scale, *, seed: int = 2022, log=print) -> dict:
    """Load one scale of synthetic data; returns the counts. Prints progress with elapsed time."""
    from jianxi_portal.core.models import AnnualQuota, District, User

    started = time.monotonic()

    def step(what: str, n: int) -> None:
        log(f"  {what}: {n:,}  ({time.monotonic() - started:.1f} s)")

    rng = random.Random(seed)
    deferred = _defer_indexes() if connection.vendor == "postgresql" else []
    user, _ = User.objects.get_or_create(username="synthetic_loader", defaults={"role": User.Role.PROVINCE})
    quotas = {q.region_id: q.post_quota for q in AnnualQuota.objects.filter(year=2022)}
    districts: dict[int, list[int]] = {}
    for d in District.objects.order_by("pk"):
        districts.setdefault(d.region_id, []).append(d.pk)
    region_weights = [(rid, quotas.get(rid, 100)) for rid in sorted(districts)]
    units = _units(rng, scale, region_weights, districts)
    step("units", len(units))
    posts, post_count, slots = _posts(rng, scale, units)
    step(f"posts ({slots:,} slots)", post_count)
    statuses = _trainees_and_placements(rng, scale, posts, step)
    claims, claim_count = _claims(rng, scale, units, user)
    step("claims", claim_count)
    payments = _disbursements(rng, scale, claims, user)
    step("disbursements", payments)
    if connection.vendor == "postgresql":
        _rebuild_indexes(deferred)
        step("indexes rebuilt", len(deferred))
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    log(f"done in {time.monotonic() - started:.1f} s")
    return {
        "units": len(units),
        "posts": post_count,
        "slots": slots,
        "trainees": scale.trainees,
        "placements": scale.placements,
        "placement_statuses": statuses,
        "claims": claim_count,
        "disbursements": payments,
    }


def _units(rng, scale: Scale, region_weights, districts) -> list[tuple]:
    copier = Copier("units.Unit")
    start = copier.next_id()
    units, rows = [], []
    # Stored as the model stores it (ciphertext, digest, masked copy): one synthetic number for all.
    phone = personal.field_of(copier.model, "contact_phone").columns("13900000000")
    for k in range(scale.units):
        pk, region = start + k, _weighted(rng, region_weights)
        district = rng.choice(districts[region])
        roll = rng.random()
        row = {
            "id": pk,
            "name": f"合成见习单位{k:07d}",
            "credit_code": f"{MARK}{k:015d}",
            "unit_type": "private",
            "industry": rng.choice("CFGIMR"),
            "region_id": region,
            "district_id": district,
            "address": f"人民大街{k % 9999 + 1}号",
            "contact_name": "联系人",
            **phone,
            "employee_count": rng.randint(5, 2000),
        }
        if roll < 0.03:  # awaiting review: registered in the last three weeks
            submitted = scale.last_day - timedelta(days=rng.randrange(0, 21))
            units.append((pk, region, district, None, None))
            rows.append(
                row
                | {
                    "status": "submitted",
                    "submitted_at": _noon(submitted),
                    "review_deadline": submitted + timedelta(days=21),
                }
            )
            continue
        approved = _day(rng, scale.first_day - timedelta(days=180), scale.last_day - timedelta(days=30))
        revoked = approved + timedelta(days=rng.randrange(30, 700)) if roll < 0.06 else None
        if revoked and revoked > scale.last_day:
            revoked = None
        units.append((pk, region, district, approved, revoked))
        rows.append(
            row
            | {
                "status": "revoked" if revoked else "approved",
                "first_approved_on": approved,
                "revoked_on": revoked,
                "decided_at": _noon(approved),
            }
        )
    copier.copy(rows)
    return units


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def _posts(rng, scale: Scale, units) -> tuple[list[tuple], int, int]:
    copier = Copier("positions.Post")
    start = copier.next_id()
    approved_units = [u for u in units if u[3] is not None]
    posts, rows, slots_total = [], [], 0
    for k in range(scale.posts):
        pk = start + k
        unit_id, region, district, unit_approved, unit_revoked = rng.choice(approved_units)
        slots = rng.choice(SLOTS)
        slots_total += slots
        row = {
            "id": pk,
            "unit_id": unit_id,
            "region_id": region,
            "district_id": district,
            "title": f"{rng.choice(['会计', '软件开发', '行政', '市场营销', '机械设计', '护理'])}见习岗位{k:07d}",
            "category": rng.choice(["technical", "management", "service"]),
            "slots": slots,
            "duration_months": rng.choice([3, 6, 6, 6, 12]),
            "allowance": Decimal(rng.choice([1800, 2000, 2200, 2500])),
            "majors": rng.choice(["会计学", "计算机科学与技术", "", "市场营销、工商管理", "护理学"]),
        }
        if rng.random() < 0.04 and not unit_revoked:  # awaiting the city's review
            submitted = scale.last_day - timedelta(days=rng.randrange(0, 21))
            rows.append(
                row
                | {
                    "status": "submitted",
                    "submitted_at": _noon(submitted),
                    "review_deadline": submitted + timedelta(days=21),
                }
            )
            continue
        latest = max(unit_approved, scale.last_day - timedelta(days=30))
        approved = _day(rng, unit_approved, min(unit_approved + timedelta(days=400), latest))
        closed = approved + timedelta(days=rng.randrange(60, 365)) if rng.random() < 0.3 else None
        if unit_revoked and (closed is None or closed > unit_revoked):
            closed = max(unit_revoked, approved)
        if closed and closed > scale.last_day:
            closed = None
        posts.append((pk, unit_id, region, approved, row["allowance"]))
        rows.append(
            row
            | {
                "status": "closed" if closed else "approved",
                "first_approved_on": approved,
                "published_on": approved,
                "closed_on": closed,
                "decided_at": _noon(approved),
            }
        )
    copier.copy(rows)
    return posts, len(rows), slots_total


def _trainees_and_placements(rng, scale: Scale, posts, step) -> dict:
    trainees, placements = Copier("trainees.Trainee"), Copier("trainees.Placement")
    t0, p0 = trainees.next_id(), placements.next_id()
    plan = [(t0 + k, rng.choice(posts), _weighted(rng, CATEGORIES)) for k in range(scale.trainees)]
    trainees.copy(
        {
            "id": tid,
            "name": f"合成见习生{k:07d}",
            "id_number_cipher": "synthetic",
            "id_number_digest": f"syn-{k:020d}",
            "id_number_masked": "220102********0000",
            "birth_date": date(1998 + k % 8, 1 + k % 12, 1 + k % 28),
            "sex": "MF"[k % 2],
            "category": category,
            "region_id": post[2],
        }
        for k, (tid, post, category) in enumerate(plan)
    )
    step("trainees", scale.trainees)
    today = scale.last_day + timedelta(days=1)
    statuses: dict[str, int] = {}

    def rows():
        for k, (tid, post, category) in enumerate(plan[: scale.placements]):
            row = _placement_row(rng, p0 + k, tid, post, category, scale, today)
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            yield row

    placements.copy(rows())
    step(f"placements {statuses}", scale.placements)
    return statuses


def _placement_row(rng, pk, trainee_id, post, category, scale: Scale, today) -> dict:
    post_id, unit_id, region, post_approved, allowance = post
    planned = max(_day(rng, scale.first_day, scale.last_day), post_approved)
    planned_end = planned + timedelta(days=30 * rng.choice([3, 6, 6, 6, 12]))
    row = {
        "id": pk,
        "trainee_id": trainee_id,
        "post_id": post_id,
        "unit_id": unit_id,
        "region_id": region,
        "category": category,
        "signed_on": planned - timedelta(days=rng.randrange(0, 15)),
        "planned_start": planned,
        "planned_end": planned_end,
        "allowance": allowance,
        "status": "planned",
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
        return row | (
            {"status": "ended", "ended_on": ended, "end": "abnormal", "end_reason": "personal"} if ended < today else {}
        )
    if end_roll < 0.15:  # early retention
        ended = started + timedelta(days=rng.randrange(30, max((planned_end - started).days, 31)))
        return row | (
            {"status": "ended", "ended_on": ended, "end": "early_retained", "outcome": "retained"}
            if ended < today
            else {}
        )
    if planned_end < today:
        outcome = _weighted(rng, [("retained", 60), ("other_employment", 20), ("none", 20)])
        return row | {"status": "ended", "ended_on": planned_end, "end": "completed", "outcome": outcome}
    return row


def _claims(rng, scale: Scale, units, user) -> tuple[list[tuple], int]:
    """About one unit in three claims a subsidy each half-year it hosted trainees."""
    copier = Copier("subsidies.Claim")
    start = copier.next_id()
    claims, rows = [], []
    halves = []
    day = date(scale.first_day.year, 1 if scale.first_day.month <= 6 else 7, 1)
    while day <= scale.last_day:
        end = date(day.year, 6, 30) if day.month == 1 else date(day.year, 12, 31)
        halves.append((day, end))
        day = end + timedelta(days=1)
    for unit_id, region, _district, approved, _revoked in units:
        if approved is None or rng.random() > 0.33:
            continue
        for period_from, period_to in halves:
            if period_to < approved or period_to >= scale.last_day or rng.random() < 0.4:
                continue
            pk = start + len(rows)
            total = Decimal(rng.randrange(2, 40) * 1200)
            status = _weighted(rng, [("approved", 80), ("submitted", 8), ("returned", 5), ("rejected", 7)])
            approved_amount = total if status == "approved" else None
            rows.append(
                {
                    "id": pk,
                    "unit_id": unit_id,
                    "region_id": region,
                    "period_from": period_from,
                    "period_to": period_to,
                    "total": total,
                    "approved_amount": approved_amount,
                    "status": status,
                    "created_by_id": user.pk,
                }
            )
            if status == "approved":
                claims.append((pk, unit_id, region, period_to, total))
    copier.copy(rows)
    return claims, len(rows)


def _disbursements(rng, scale: Scale, claims, user) -> int:
    """Approved claims are paid in one or two instalments, by the province and the city."""
    copier = Copier("subsidies.Disbursement")
    start = copier.next_id()
    rows = []
    for pk, _unit_id, region, period_to, total in claims:
        parts = 1 if rng.random() < 0.7 else 2
        for part in range(parts):
            paid = period_to + timedelta(days=rng.randrange(20, 90) + 30 * part)
            if paid > scale.last_day:
                break
            rows.append(
                {
                    "id": start + len(rows),
                    "claim_id": pk,
                    "region_id": region,
                    "paid_on": paid,
                    "amount": (total / parts).quantize(Decimal("0.01")),
                    "funding_level": "province" if part == 0 else "city",
                    "recorded_by_id": user.pk,
                }
            )
    copier.copy(rows)
    return len(rows)
