"""Declared state machines: which status may follow which, under which Chinese name, by whose
permission, with or without an opinion (ARCHITECTURE.md, One home for each kind of rule).

Each app declares its machines in `<app>/workflows.py` (imported at start-up by the core app's
`ready()`); the review workflow is one declaration (`jianxi_portal.core.review.review_machine`)
bound to each reviewable model. Services refuse a status change through `Machine.ensure`; the
history pages (`label_of`), the API's action routes and the pages' buttons (`Machine.available`)
read the same declarations, so a label is written once.

`permission` names who may do it, Django style `<app_label>.<action>_<model>`; the predicates
behind those names live in `<app>/permissions.py` (`rules`)."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


class InvalidTransition(Exception):
    """A transition that the workflow does not allow from the object's current status."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str
    permission: str
    opinion_required: bool = False
    # A condition beyond the status (e.g. only a completed placement records its outcome).
    when: Callable[[object], bool] | None = None
    # This transition's own refusal message ({state}, {label}), in place of the machine's.
    refusal: str = ""

    def allows(self, obj, status: str) -> bool:
        return status in self.sources and (self.when is None or self.when(obj))


def transition(
    action: str,
    sources: Iterable[str],
    target: str,
    label: str,
    *,
    permission: str,
    opinion: bool = False,
    when: Callable[[object], bool] | None = None,
    refusal: str = "",
) -> Transition:
    return Transition(action, frozenset(sources), target, label, permission, opinion, when, refusal)


class Machine:
    """The transitions of one status field of one model (`model` is `app_label.model_name`).

    `refusal` is the message of a refused transition, formatted with `state` (the object's state
    in words: `state(obj)`, by default the field's display) and `label` (the transition's)."""

    def __init__(
        self,
        model: str,
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        refusal: str = "当前状态为“{state}”，不能{label}。",
        state: Callable[[object], str] | None = None,
        name: str = "",
    ):
        self.model, self.field, self.refusal, self._state = model, field, refusal, state
        self.name = name or f"{model}.{field}"
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"{self.name}: transition {t.action!r} declared twice")
            self.transitions[t.action] = t
        register(self)

    def __repr__(self) -> str:
        return f"<Machine {self.name}: {', '.join(self.transitions)}>"

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions.values())

    def __contains__(self, action: str) -> bool:
        return action in self.transitions

    def __getitem__(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise InvalidTransition(f"未知操作：{action}") from None

    @property
    def labels(self) -> dict[str, str]:
        return {t.action: t.label for t in self}

    def label(self, action: str) -> str:
        return self[action].label

    def status_of(self, obj) -> str:
        return getattr(obj, self.field)

    def state_text(self, obj) -> str:
        if self._state is not None:
            return self._state(obj)
        return getattr(obj, f"get_{self.field}_display")()

    def allows(self, obj, action: str) -> bool:
        return self[action].allows(obj, self.status_of(obj))

    def available(self, obj) -> list[Transition]:
        """The transitions open from `obj`'s current status, in declaration order (the buttons)."""
        status = self.status_of(obj)
        return [t for t in self if t.allows(obj, status)]

    def ensure(self, obj, action: str) -> Transition:
        """The transition `action` of `obj`, or InvalidTransition with the machine's message."""
        t = self[action]
        if not t.allows(obj, self.status_of(obj)):
            raise InvalidTransition((t.refusal or self.refusal).format(state=self.state_text(obj), label=t.label))
        return t


# --- the registry ----------------------------------------------------------------------------

MACHINES: list[Machine] = []
# model → action → label, of the machines and of the events a model logs beside its transitions
# (creating a record, assigning a mentor): what the history pages show.
_LABELS: dict[str, dict[str, str]] = {}


def register(machine: Machine) -> None:
    if any(m.name == machine.name for m in MACHINES):
        raise ValueError(f"machine {machine.name} declared twice")
    MACHINES.append(machine)
    record_labels(machine.model, machine.labels)


def record_labels(model: str, labels: dict[str, str]) -> None:
    """Names of logged events of `model` that are not transitions of a machine (or label a
    machine's action anew for the model's history: the last word wins, so declare once)."""
    known = _LABELS.setdefault(model, {})
    for action, label in labels.items():
        if known.get(action, label) != label:
            raise ValueError(f"{model}: action {action!r} labelled both {known[action]!r} and {label!r}")
        known[action] = label


def model_label(model_or_obj) -> str:
    meta = model_or_obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def machine_for(model_or_obj, field: str = "status") -> Machine:
    name = f"{model_label(model_or_obj)}.{field}"
    for machine in MACHINES:
        if machine.name == name:
            return machine
    raise LookupError(f"no machine declared for {name}")


def labels_for(*models) -> dict[str, str]:
    """Action → label for the given models (model classes, instances or `app.model` labels)."""
    merged: dict[str, str] = {}
    for model in reversed(models):
        merged.update(_LABELS.get(model if isinstance(model, str) else model_label(model), {}))
    return merged


def label_of(action: str, *models) -> str:
    """The Chinese name of a logged action of one of `models` (the raw code when none has it)."""
    return labels_for(*models).get(action, action)


def any_label(action: str) -> str | None:
    """The label of `action` in the first model that declares it (for a code without its model,
    such as an audit event's `transition.<action>`)."""
    for labels in _LABELS.values():
        if action in labels:
            return labels[action]
    return None


def permissions() -> set[str]:
    """Every permission name a declared transition names."""
    return {t.permission for machine in MACHINES for t in machine}
