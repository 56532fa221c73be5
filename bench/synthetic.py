"""Synthetic data for the Annex 2 benchmark (`annex2_bench.py`): `generate(placements)` loads that
many placements with proportional units, posts, trainees, claims and payments over 2022-01 …
2026-10, through the one generator behind `python -m tools.generate_synthetic`
(`tools/synthetic.py`: seeded, bulk-loaded with COPY, appending after the rows already
there). `Copier` is re-exported for the other benchmarks. Not used by the test suite."""

from datetime import date

from tools.synthetic import NULL, Copier, Scale, generate_scale  # noqa: F401  (Copier: recommend_bench)


def generate(placements: int, *, seed: int = 2022, log=print) -> dict:
    """Load `placements` placements with proportional units, posts, trainees and payments."""
    scale = Scale(
        units=max(placements // 50, 20),
        posts=max(placements // 15, 60),
        trainees=placements,
        placements=placements,
        first_day=date(2022, 1, 1),
        last_day=date(2026, 10, 31),
    )
    return generate_scale(scale, seed=seed, log=log)
