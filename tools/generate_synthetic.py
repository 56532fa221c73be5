"""`python -m tools.generate_synthetic --scale tiny|province|national [--seed N] [--force]`: bulk-load
synthetic units, posts, trainees, placements, claims and payments for benchmarks and load tests
(tools/synthetic.py) into DATABASE_URL's database. Refuses a database holding real records unless
--force. A tool run by people and the benchmarks, never by the portal (ARCHITECTURE.md: tools/)."""

import argparse
import os
import sys
import time


class Refused(Exception):
    """The database holds records that are not synthetic."""


def generate(scale: str, *, seed: int = 2022, force: bool = False, write=print) -> dict:
    """Load `scale`'s synthetic data in one transaction; returns the counts written."""
    # Imported here: the models load only after `__main__` below has set Django up.
    from django.db import transaction

    from tools.synthetic import SCALES, generate_scale, is_synthetic_only

    if not force and not is_synthetic_only():
        raise Refused("该数据库已有非合成的单位或见习人员记录，拒绝写入合成数据（确需写入请加 --force）。")
    size = SCALES[scale]
    write(
        f"生成合成数据：{scale}（{size.units:,} 单位，{size.posts:,} 岗位，"
        f"{size.trainees:,} 见习人员，{size.placements:,} 见习协议），seed={seed}"
    )
    started = time.monotonic()
    with transaction.atomic():
        counts = generate_scale(size, seed=seed, log=write)
    write(
        f"完成：{counts['units']:,} 单位，{counts['posts']:,} 岗位（{counts['slots']:,} 个名额），"
        f"{counts['placements']:,} 见习协议，{counts['claims']:,} 补贴申请，{counts['disbursements']:,} 笔拨付，"
        f"用时 {time.monotonic() - started:.1f} s"
    )
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.generate_synthetic",
        description="生成合成数据（基准测试、压力测试用）：province 约1万单位/1万岗位/2万见习；"
        "national 约30万单位/100万岗位/100万见习。",
    )
    parser.add_argument("--scale", choices=["national", "province", "tiny"], required=True)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--force", action="store_true", help="数据库中已有非合成数据时仍然写入（切勿用于生产库）")
    args = parser.parse_args(argv)
    try:
        generate(args.scale, seed=args.seed, force=args.force)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
    import django

    django.setup()
    sys.exit(main())
