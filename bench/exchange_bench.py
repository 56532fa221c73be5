"""Data-exchange benchmark (bench/README.md, Data exchange): export of 100,000 placements and import of 20,000 trainees,
rows per second and peak memory, side by side with plain reference loops over the same data.

    .venv/bin/python bench/exchange_bench.py                      # PostgreSQL database jianxi_bench_x
    .venv/bin/python bench/exchange_bench.py --placements 20000 --trainees 5000   # quicker

Each measurement runs in its own child process, so the peak resident memory (ru_maxrss) is the
measurement's own; the Python heap peak comes from tracemalloc in a second, untimed run. Export:
ours (`PlacementExporter.write`: scope, filters, labels, XlsxWriter constant-memory) against
(a) openpyxl write-only over `values_list().iterator()` and (b) XlsxWriter constant-memory over the
same iterator (the issue's goal: within 1.5× of (b)). Import: ours (`TraineeImporter.run`, dry run
off: parse, the register's validators, one existence query per batch, bulk_create) against openpyxl
read-only + the same validation functions + one existence query per batch + bulk_create."""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jianxi_bench_x"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "cXVpZXQtdGVzdC1rZXktZm9yLWppYW54aS1wb3J0YWw=")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


# ---------------------------------------------------------------------------------------------
# Data


def seed(n_placements: int) -> None:
    """Units, posts, trainees and placements straight through bulk_create (the data is the
    fixture of the benchmark, not what it measures)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.management import call_command

    from jianxi_portal.core import crypto
    from jianxi_portal.core.models import District, User
    from jianxi_portal.core.validators import credit_code_check_char, id_number_check_char
    from positions.models import Post
    from trainees.models import Placement, Trainee
    from units.models import Unit

    call_command("migrate", verbosity=0)
    if Placement.objects.count() >= n_placements:
        return
    Placement.objects.all().delete()
    Trainee.objects.all().delete()
    Post.objects.all().delete()
    Unit.objects.filter(users__isnull=True).delete()
    districts = list(District.objects.select_related("region").order_by("pk"))
    units = []
    for n in range(200):
        first17 = f"91220100{n:09d}"
        d = districts[n % len(districts)]
        code = first17 + credit_code_check_char(first17)
        units.append(
            Unit(
                name=f"基准单位{n}",
                credit_code=code,
                unit_type="private",
                industry="C",
                region=d.region,
                district=d,
                address="人民大街1号",
                contact_name="张三",
                contact_phone="13904310001",
                status="approved",
                first_approved_on=date(2026, 1, 5),
            )
        )
    Unit.objects.bulk_create(units)
    posts = [
        Post(
            unit=u,
            region_id=u.region_id,
            district_id=u.district_id,
            title=f"岗位{i}",
            category="technical",
            slots=10_000,
            duration_months=6,
            allowance=Decimal("2000.00"),
            status="approved",
            first_approved_on=date(2026, 1, 10),
            published_on=date(2026, 1, 10),
        )
        for u in units
        for i in range(5)
    ]
    Post.objects.bulk_create(posts)
    trainees = []
    start = date(2000, 1, 1).toordinal()
    for n in range(n_placements):
        birth = date.fromordinal(start + n // 900)
        first17 = f"220102{birth:%Y%m%d}{n % 900:03d}"
        number = first17 + id_number_check_char(first17)
        t = Trainee(
            name=f"人员{n}",
            birth_date=birth,
            sex="M",
            category="college_graduate",
            school="吉林大学",
            left_school_on=date(2025, 7, 1),
            region_id=districts[n % len(districts)].region_id,
        )
        t.id_number_cipher, t.id_number_digest = crypto.encrypt(number), crypto.digest(number)
        t.id_number_masked = crypto.mask_id_number(number)
        trainees.append(t)
        if len(trainees) == 5000:
            Trainee.objects.bulk_create(trainees)
            trainees = []
    Trainee.objects.bulk_create(trainees)
    trainee_ids = list(Trainee.objects.order_by("pk").values_list("pk", flat=True))
    batch = []
    for n, trainee_id in enumerate(trainee_ids):
        post = posts[n % len(posts)]
        signed = date(2026, 1, 15) + timedelta(days=n % 90)
        batch.append(
            Placement(
                trainee_id=trainee_id,
                post=post,
                unit_id=post.unit_id,
                region_id=post.region_id,
                category="college_graduate",
                signed_on=signed,
                planned_start=signed,
                planned_end=signed + timedelta(days=180),
                allowance=Decimal("2000.00"),
                status="on_duty",
                started_on=signed,
            )
        )
        if len(batch) == 5000:
            Placement.objects.bulk_create(batch)
            batch = []
    Placement.objects.bulk_create(batch)
    User.objects.get_or_create(username="bench_province", defaults={"role": "province"})
    User.objects.get_or_create(username="bench_city", defaults={"role": "city", "region": districts[0].region})


def trainee_file(path: Path, n: int) -> None:
    from datetime import date

    import openpyxl

    from jianxi_portal.core.validators import id_number_check_char
    from trainees.resources import TraineeResource

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("见习人员")
    sheet.append(TraineeResource.headers())
    start = date(1999, 1, 1).toordinal()
    for k in range(n):
        birth = date.fromordinal(start + k // 900)
        first17 = f"220281{birth:%Y%m%d}{k % 900:03d}"
        number = first17 + id_number_check_char(first17)
        sheet.append(
            [
                f"导入人员{k}",
                number,
                f"139{k:08d}",
                "离校2年内未就业高校毕业生",
                "吉林大学",
                "计算机科学与技术",
                "本科",
                "2025-06-30",
                "否",
                "否",
            ]
        )
    workbook.save(path)


# ---------------------------------------------------------------------------------------------
# Measurements (each runs in a child process)


def _export_paths():
    from trainees.resources import PlacementExporter

    return PlacementExporter().value_paths()


def _placements_qs():
    from trainees.models import Placement

    return Placement.objects.order_by("-signed_on", "-pk")


def export_ours(out: str) -> int:
    from exchange.exports import exporter_for
    from jianxi_portal.core.models import User

    user = User.objects.get(username="bench_province")
    return exporter_for("placements").write(out, user=user, params={})


def export_openpyxl(out: str) -> int:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("见习协议")
    count = 0
    for values in _placements_qs().values_list(*_export_paths()).iterator(chunk_size=2000):
        sheet.append(values)
        count += 1
    workbook.save(out)
    return count


def export_xlsxwriter(out: str) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("见习协议")
    count = 0
    for count, values in enumerate(_placements_qs().values_list(*_export_paths()).iterator(chunk_size=2000), start=1):
        sheet.write_row(count, 0, [float(v) if hasattr(v, "as_tuple") else v for v in values])
    workbook.close()
    return count


def _clear_imported():
    from trainees.models import Trainee

    Trainee.objects.filter(name__startswith="导入人员").delete()


def import_ours(path: str) -> int:
    from exchange.imports import importer_for
    from jianxi_portal.core.models import User

    _clear_imported()
    user = User.objects.select_related("region").get(username="bench_city")
    with open(path, "rb") as fh:
        report = importer_for("trainees").run(fh, by=user, dry_run=False)
    assert report.create == report.total and report.invalid == 0, report.as_dict()
    return report.total


def import_reference(path: str) -> int:
    """openpyxl read-only, the same validation functions, one existence query per 1,000 rows,
    bulk_create: the plain loop the issue names as the reference."""
    import openpyxl
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from jianxi_portal.core import crypto
    from jianxi_portal.core.models import User
    from jianxi_portal.core.validators import id_birth_date, id_sex
    from trainees.models import Trainee
    from trainees.services.register import clean_id_number, clean_phone, clean_profile, ensure_category_details

    _clear_imported()
    user = User.objects.select_related("region").get(username="bench_city")
    categories = {"离校2年内未就业高校毕业生": "college_graduate"}
    educations = {"本科": "bachelor"}
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    next(rows)
    count = 0

    def flush(batch):
        existing = set(
            Trainee.objects.filter(id_number_digest__in=[d for d, *_ in batch]).values_list(
                "id_number_digest", flat=True
            )
        )
        new = []
        for digest_, number, mobile, profile in batch:
            if digest_ in existing:
                continue
            t = Trainee(region_id=user.region_id, created_by=user, **profile)
            t.id_number = number
            t.phone = mobile
            t.birth_date, t.sex = id_birth_date(number), id_sex(number)
            new.append(t)
        Trainee.objects.bulk_create(new, batch_size=500)

    with transaction.atomic():
        batch = []
        for name, number, mobile, category, school, major, education, left, unemployed, employed in rows:
            try:
                number, mobile = clean_id_number(number), clean_phone(mobile)
                from datetime import date

                profile = clean_profile(
                    {
                        "name": name,
                        "category": categories[category],
                        "school": school,
                        "major": major,
                        "education": educations[education],
                        "left_school_on": date.fromisoformat(left),
                        "unemployment_registered": unemployed == "是",
                        "employed": employed == "是",
                    }
                )
                ensure_category_details(Trainee(**profile))
            except ValidationError:
                continue
            batch.append((crypto.digest(number), number, mobile, profile))
            count += 1
            if len(batch) == 1000:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
    return count


MEASURES = {
    "export_ours": export_ours,
    "export_openpyxl": export_openpyxl,
    "export_xlsxwriter": export_xlsxwriter,
    "import_ours": import_ours,
    "import_reference": import_reference,
}


def child(name: str, arg: str, database_url: str, trace: bool) -> dict:
    setup_django(database_url)
    from django.db import connection

    connection.ensure_connection()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    rows = MEASURES[name](arg)
    seconds = time.perf_counter() - started
    result = {"name": name, "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}
    if trace:
        result["heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """The process's own high-water mark (VmHWM resets at exec; ru_maxrss would carry the parent's
    peak from seeding the data)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(name: str, arg: str, database_url: str, trace: bool = False) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", name, "--arg", arg, "--database", database_url]
        + (["--trace"] if trace else []),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--trainees", type=int, default=20_000)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--child")
    parser.add_argument("--arg", default="")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.arg, args.database, args.trace)))
        return
    if args.database.startswith("postgres"):
        ensure_database(args.database)
    setup_django(args.database)
    seed(args.placements)
    tmp = Path("/tmp/jianxi-bench")
    tmp.mkdir(exist_ok=True)
    trainee_path = tmp / f"trainees-{args.trainees}.xlsx"
    trainee_file(trainee_path, args.trainees)
    results = {}
    plan = [(n, str(tmp / f"{n}.xlsx")) for n in ("export_xlsxwriter", "export_openpyxl", "export_ours")]
    plan += [(n, str(trainee_path)) for n in ("import_reference", "import_ours")]
    for name, arg in plan:
        timed = measure(name, arg, args.database)
        traced = measure(name, arg, args.database, trace=True)
        results[name] = {**timed, "heap_peak_mb": traced["heap_peak_mb"]}
        print(json.dumps(results[name], ensure_ascii=False), flush=True)
    ours, xw, op = results["export_ours"], results["export_xlsxwriter"], results["export_openpyxl"]
    print(
        f"export: ours {ours['rows_per_s']} rows/s vs xlsxwriter {xw['rows_per_s']} "
        f"({xw['rows_per_s'] / ours['rows_per_s']:.2f}× slower) vs openpyxl {op['rows_per_s']} rows/s"
    )
    mine, ref = results["import_ours"], results["import_reference"]
    print(
        f"import: ours {mine['rows_per_s']} rows/s vs reference {ref['rows_per_s']} "
        f"({ref['rows_per_s'] / mine['rows_per_s']:.2f}× slower)"
    )


if __name__ == "__main__":
    main()
