"""`manage.py generate_synthetic --scale tiny|province|national [--seed N] [--force]`: bulk-load
synthetic units, posts, trainees, placements, claims and payments for benchmarks and load tests
(jianxi_portal/synthetic.py). Refuses a database holding real records unless --force."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jianxi_portal.synthetic import SCALES, generate_scale, is_synthetic_only


class Command(BaseCommand):
    help = ("生成合成数据（基准测试、压力测试用）：province 约1万单位/1万岗位/2万见习；"
            "national 约30万单位/100万岗位/100万见习。")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--force", action="store_true", help="数据库中已有非合成数据时仍然写入（切勿用于生产库）")

    def handle(self, *args, scale, seed, force, **options):
        if not force and not is_synthetic_only():
            raise CommandError("该数据库已有非合成的单位或见习人员记录，拒绝写入合成数据（确需写入请加 --force）。")
        size = SCALES[scale]
        self.stdout.write(f"生成合成数据：{scale}（{size.units:,} 单位，{size.posts:,} 岗位，"
                          f"{size.trainees:,} 见习人员，{size.placements:,} 见习协议），seed={seed}")
        started = time.monotonic()
        with transaction.atomic():
            counts = generate_scale(size, seed=seed, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"完成：{counts['units']:,} 单位，{counts['posts']:,} 岗位（{counts['slots']:,} 个名额），"
            f"{counts['placements']:,} 见习协议，{counts['claims']:,} 补贴申请，{counts['disbursements']:,} 笔拨付，"
            f"用时 {time.monotonic() - started:.1f} s"))
