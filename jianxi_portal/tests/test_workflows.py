"""The declared state machines (ARCHITECTURE.md, One home for each kind of rule): every machine of
the product is in one registry, well formed, labelled once per model, and names who may act; the
review workflow is one declaration bound to every reviewable model (a table test per machine
lives beside each app's services)."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from jianxi_portal.core.review import REVIEW_TRANSITIONS, Reviewable, ReviewStatus, review_machine_of
from jianxi_portal.core.workflow import (
    MACHINES,
    InvalidTransition,
    Machine,
    labels_for,
    permissions,
    record_labels,
    transition,
)

CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")


def test_every_state_machine_of_the_product_is_declared():
    assert {m.name: list(m.transitions) for m in MACHINES} == {
        "units.unit.status": ["submit", "approve", "reject", "return"],
        "units.unit.listing": ["suspend", "resume", "revoke"],
        "positions.post.status": ["submit", "approve", "reject", "return"],
        "positions.post.closing": ["close"],
        "trainees.placement.status": ["start", "complete", "retain", "terminate", "outcome", "cancel"],
        "trainees.placement.filing_status": ["submit", "approve", "reject", "return"],
        "subsidies.claim.status": ["submit", "approve", "reject", "return"],
        "reports.monthlyreport.status": ["submit", "accept", "return"],
    }


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_a_machine_speaks_its_models_statuses_and_names_who_may(machine):
    model = apps.get_model(machine.model)
    statuses = set(dict(model._meta.get_field(machine.field).choices))
    for t in machine:
        assert t.sources <= statuses and t.target in statuses, t
        assert CHINESE.match(t.label), t.label
        app_label, model_name = machine.model.split(".")
        assert t.permission == f"{app_label}.{t.action}_{model_name}"


def test_one_label_per_action_and_model():
    for machine in MACHINES:
        shown = labels_for(machine.model)
        assert all(shown[t.action] == t.label for t in machine)
    with pytest.raises(ValueError, match="labelled both"):
        record_labels("units.unit", {"suspend": "停用"})


def test_the_review_workflow_is_declared_once_and_bound_to_every_reviewable_model():
    # Reviewable models, and a placement's filing, which declares the same fields under its own names.
    reviewable = [m for m in apps.get_models() if hasattr(m, "review_field")]
    assert {m._meta.label_lower for m in reviewable} == {
        "units.unit",
        "positions.post",
        "subsidies.claim",
        "trainees.placement",
    }
    for model in reviewable:
        machine = review_machine_of(model)
        assert [(t.action, set(t.sources), t.target, t.opinion_required) for t in machine] == [
            (action, set(sources), target, opinion) for action, sources, target, _, opinion in REVIEW_TRANSITIONS
        ]


@pytest.mark.parametrize("status", ReviewStatus.values)
@pytest.mark.parametrize("action", ["submit", "approve", "reject", "return"])
def test_review_table(action, status):
    """submit from draft or returned; decisions from submitted; refused elsewhere, with the message."""
    from units.models import Unit

    machine = review_machine_of(Unit)
    unit = Unit(status=status)
    allowed = {"submit": {"draft", "returned"}}.get(action, {"submitted"})
    if status in allowed:
        assert (
            machine.ensure(unit, action).target
            == {"submit": "submitted", "approve": "approved", "reject": "rejected", "return": "returned"}[action]
        )
    else:
        label = {"submit": "提交", "approve": "通过", "reject": "不通过", "return": "退回"}[action]
        with pytest.raises(InvalidTransition) as refused:
            machine.ensure(unit, action)
        assert str(refused.value) == f"当前状态为“{ReviewStatus(status).label}”，不能{label}。"


def test_an_unknown_action_is_refused_by_name():
    from units.workflows import LISTING

    with pytest.raises(InvalidTransition, match="未知操作：explode"):
        LISTING["explode"]


def test_a_machine_refuses_a_transition_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        Machine(
            "jianxi_portal.user",
            [
                transition("a", ["x"], "y", "甲", permission="jianxi_portal.a_user"),
                transition("a", ["y"], "x", "甲", permission="jianxi_portal.a_user"),
            ],
            name="twice",
        )


@isolate_apps("jianxi_portal")
def test_a_reviewable_model_without_a_declared_machine_fails_the_system_check():
    class Undeclared(Reviewable):
        status = models.CharField(max_length=16)

        class Meta:
            app_label = "jianxi_portal"

        def review_region_id(self):
            return 1

        def review_unit_id(self):
            return None

    assert [e.id for e in Undeclared.check() if e.id == "jianxi.E002"] == ["jianxi.E002"]


def test_every_declared_permission_is_registered_with_rules():
    """Who may: each transition names a `rules` permission, whose predicate lives in the app's
    `permissions.py` (ARCHITECTURE.md, One home for each kind of rule)."""
    try:
        import rules
    except ImportError:
        pytest.skip(
            "the `rules` package is not installed yet: the permission names are declared, "
            "their predicates come with the apps' permissions.py"
        )
    declared = permissions()
    missing = sorted(name for name in declared if not rules.perm_exists(name))
    if len(missing) == len(declared):
        pytest.skip(
            f"none of the {len(declared)} declared transition permissions is registered with "
            "`rules` yet (the apps' permissions.py): " + ", ".join(missing[:3]) + " …"
        )
    assert missing == []
