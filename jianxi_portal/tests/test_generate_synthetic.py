"""tools.generate_synthetic: bulk-loads the counts of its scale, is deterministic for a seed, and refuses
a database that holds real records unless --force."""

from io import StringIO

import pytest

from positions.models import Post
from subsidies.models import Claim, Disbursement
from tools.generate_synthetic import Refused, generate
from tools.synthetic import SCALES
from trainees.models import Placement, Trainee
from units.models import Unit

pytestmark = pytest.mark.django_db


def quiet(line):
    pass


def fingerprint():
    return (
        list(Unit.objects.order_by("pk").values_list("name", "region__code", "status", "first_approved_on")),
        list(Post.objects.order_by("pk").values_list("title", "unit__name", "slots", "status", "closed_on")),
        list(
            Placement.objects.order_by("pk").values_list(
                "trainee__name", "post__title", "planned_start", "started_on", "status", "end", "outcome"
            )
        ),
        list(Claim.objects.order_by("pk").values_list("unit__name", "period_from", "total", "status")),
        list(Disbursement.objects.order_by("pk").values_list("claim__unit__name", "paid_on", "amount")),
    )


def wipe():
    Disbursement.objects.all().delete()
    Claim.objects.all().delete()
    Placement.objects.all().delete()
    Trainee.objects.all().delete()
    Post.objects.all().delete()
    Unit.objects.all().delete()


def test_tiny_scale_loads_its_counts_with_a_status_mix_and_is_deterministic_for_a_seed():
    out = StringIO()
    generate("tiny", seed=7, write=lambda line: out.write(line + "\n"))
    tiny = SCALES["tiny"]
    assert Unit.objects.count() == tiny.units and Post.objects.count() == tiny.posts
    assert Trainee.objects.count() == tiny.trainees and Placement.objects.count() == tiny.placements
    assert Placement.objects.filter(status="ended").exists() and Placement.objects.filter(status="on_duty").exists()
    assert Claim.objects.exists() and Disbursement.objects.exists()
    assert "完成" in out.getvalue() and " s" in out.getvalue()
    first = fingerprint()

    wipe()
    generate("tiny", seed=7, write=quiet)
    assert fingerprint() == first

    wipe()
    generate("tiny", seed=8, write=quiet)
    assert fingerprint() != first


def test_it_refuses_a_database_with_real_records_unless_forced(unit_a):
    with pytest.raises(Refused, match="非合成"):
        generate("tiny", write=quiet)
    assert Unit.objects.count() == 1
    generate("tiny", force=True, write=quiet)
    assert Unit.objects.count() == 1 + SCALES["tiny"].units
