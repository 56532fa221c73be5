"""Jilin's reference data, copied from the programme's sources into `reference/`: the 11 regions
and their 2022 quotas (Annex 1 of 吉人社联〔2022〕79号), the county-level districts, and the two
minimum-wage versions (four classes from 2021-12-01; three from 2024-10-01, 吉政函〔2024〕66号).
Loaded by a data migration, so every database (tests included) has them."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# code, name, 2022 post quota, 2022 trainee quota (Annex 1)
REGIONS = [
    ("changchun", "长春市", 4500, 2100),
    ("jilin", "吉林市", 1800, 700),
    ("siping", "四平市", 700, 550),
    ("liaoyuan", "辽源市", 300, 150),
    ("tonghua", "通化市", 500, 360),
    ("baishan", "白山市", 450, 240),
    ("baicheng", "白城市", 250, 150),
    ("songyuan", "松原市", 400, 150),
    ("yanbian", "延边州", 750, 450),
    ("changbaishan", "长白山管委会", 150, 50),
    ("meihekou", "梅河口市", 200, 100),
]
QUOTA_YEAR = 2022
# The 2021 version's document number is not in the programme's sources (shared/data, shared/seed):
# its date is cited, not an unnumbered 「吉政函〔2021〕号」.
WAGE_VERSIONS = {"2021-12-01": "2021年12月1日起执行", "2024-10-01": "吉政函〔2024〕66号"}


def district_kind(name: str) -> str:
    if name == "长白山保护开发区":
        return "zone"
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    return "county_city"


def _rows(filename: str):
    with open(REFERENCE_DIR / filename, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(apps) -> None:
    """Create regions, quotas, districts and wage versions (idempotent: existing rows are kept)."""
    Region = apps.get_model("jianxi_portal", "Region")
    AnnualQuota = apps.get_model("jianxi_portal", "AnnualQuota")
    regions = {}
    for order, (code, name, posts, trainees) in enumerate(REGIONS, start=1):
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        regions[code] = region
        quota, created = AnnualQuota.objects.get_or_create(
            region=region, year=QUOTA_YEAR, defaults={"post_quota": posts, "trainee_quota": trainees}
        )
        if created:
            _initial_history(apps, quota)
    districts = _load_districts(apps, regions)
    _load_wages(apps, districts)


def _initial_history(apps, quota) -> None:
    """The first history row of a seeded quota, so every later edit shows the Annex 1 value before it."""
    apps.get_model("jianxi_portal", "HistoricalAnnualQuota").objects.create(
        id=quota.pk,
        region_id=quota.region_id,
        year=quota.year,
        post_quota=quota.post_quota,
        trainee_quota=quota.trainee_quota,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="附件1（吉人社联〔2022〕79号）",
    )


def _load_districts(apps, regions):
    District = apps.get_model("jianxi_portal", "District")
    districts = []
    for row in _rows("jilin-districts.csv"):
        district, _ = District.objects.get_or_create(
            region=regions[row["region_code"]],
            name=row["name"],
            defaults={"adcode": row["adcode"], "kind": district_kind(row["name"])},
        )
        districts.append((district, row))
    return districts


def _load_wages(apps, districts):
    Version = apps.get_model("jianxi_portal", "MinimumWageVersion")
    WageClass = apps.get_model("jianxi_portal", "MinimumWageClass")
    Mapping = apps.get_model("jianxi_portal", "DistrictWageClass")
    column = {"2021-12-01": "wage_class_from_2021_12_01", "2024-10-01": "wage_class_from_2024_10_01"}
    for row in _rows("jilin-minimum-wage.csv"):
        version, _ = Version.objects.get_or_create(
            effective_from=date.fromisoformat(row["effective_from"]),
            defaults={"document": WAGE_VERSIONS.get(row["effective_from"], "")},
        )
        WageClass.objects.get_or_create(
            version=version,
            number=int(row["class"]),
            defaults={
                "monthly": Decimal(row["monthly_yuan"]),
                "hourly": Decimal(row["hourly_yuan"]),
                "areas": row["areas"],
            },
        )
    for iso, col in column.items():
        version = Version.objects.get(effective_from=date.fromisoformat(iso))
        classes = {c.number: c for c in WageClass.objects.filter(version=version)}
        for district, row in districts:
            Mapping.objects.get_or_create(
                version=version, district=district, defaults={"wage_class": classes[int(row[col])]}
            )
