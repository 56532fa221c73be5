"""Personal values — ID numbers, phones, bank accounts (SECURITY.md, item 4; PIPL art. 28, 51) — in one
place: how they are stored, who may see them in full, and how a full view is shown and recorded.

Storage. `Encrypted(kind, label)` on a model declares three columns and a property:
`<name>_cipher` (Fernet ciphertext, see `crypto`), `<name>_digest` (keyed HMAC of the normalised
value: lookup and uniqueness), `<name>_masked` (the display copy, e.g. 220102********1234), and
`<name>` itself, which reads the decrypted value and, assigned, fills all three. The plaintext never
reaches a column, so nothing can filter on it: lookups use the digest (`lookup()`), and
`Model.objects.filter(phone=...)` fails loudly ("Cannot resolve keyword").

Policy. `RULES` says, per model and field, who may read the full value: the people whose work
needs it (city staff of the record's own region, the unit's own employer, a person for their own
account, the province for the reporter of a monthly report it accepts). Everyone else, admins
included, reads the masked copy.

Display. `shown(user, obj, field, via=...)` is the only way a full value reaches a person: it
returns the full value to a holder and writes one audit row (`<kind>.view`, the object, the
channel, never the value), and the masked copy to anyone else. The template tag
(`{% personal obj "phone" %}`), the API's `PersonalField` and the exporters all call it (exports
count the full values in their own audit row). Edit forms never put a stored value back into a
page: the field is left blank ("不修改请留空") with the masked copy beside it."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import migrations, models

from jianxi_portal.core import crypto


@dataclass(frozen=True)
class Kind:
    """A kind of personal value: how it is normalised before encryption and lookup, and masked."""

    name: str
    label: str
    keep_start: int
    keep_end: int
    normalise: Callable[[str], str]

    @property
    def event(self) -> str:
        return f"{self.name}.view"

    def mask(self, value: str) -> str:
        return crypto.mask(value, self.keep_start, self.keep_end)


ID_NUMBER = Kind("id_number", "居民身份证号", 6, 4, lambda v: v.strip().upper())  # 220102********1234
PHONE = Kind("phone", "电话", 3, 4, lambda v: v.strip())  # 139****5678
BANK_ACCOUNT = Kind("bank_account", "银行账号", 4, 4, lambda v: re.sub(r"[\s-]", "", v))  # 6222********1234
KINDS = {k.name: k for k in (ID_NUMBER, PHONE, BANK_ACCOUNT)}

# (app_label.model, field) -> the declaration, filled as models are built.
FIELDS: dict[tuple[str, str], "Encrypted"] = {}


class Encrypted:
    """`phone = Encrypted(PHONE, "联系电话", blank=True)`: the three columns and the property.
    The column fields are made here, in the class body, so they keep their place in the table."""

    def __init__(self, kind: Kind, label: str, *, blank: bool = False, unique: bool = False, max_length: int = 20):
        self.kind = kind
        self.label = label
        self.cipher = models.TextField(f"{label}（密文）", blank=blank)
        # The digest is what lists search and unique constraints hold (never the plaintext).
        self.digest = models.CharField(f"{label}摘要", max_length=64, blank=blank, unique=unique, db_index=not unique)
        self.masked = models.CharField(label, max_length=max_length, blank=blank)

    def contribute_to_class(self, cls, name: str) -> None:
        self.name, self.model = name, cls
        cls.add_to_class(f"{name}_cipher", self.cipher)
        cls.add_to_class(f"{name}_digest", self.digest)
        cls.add_to_class(f"{name}_masked", self.masked)
        setattr(cls, name, property(self._read, self._write, doc=f"{self.label}（完整值；展示须经 personal.shown）"))
        if not cls._meta.abstract:
            FIELDS[(cls._meta.label_lower, name)] = self

    def _read(self, obj) -> str:
        return crypto.decrypt(getattr(obj, f"{self.name}_cipher"))

    def _write(self, obj, value) -> None:
        for column, stored in self.columns(value).items():
            setattr(obj, column, stored)

    def columns(self, value) -> dict:
        """The three stored columns of `value` (bulk loaders and data migrations use this)."""
        value = self.kind.normalise(str(value or ""))
        return {
            f"{self.name}_cipher": crypto.encrypt(value),
            f"{self.name}_digest": crypto.digest(value),
            f"{self.name}_masked": self.kind.mask(value),
        }

    @property
    def column_names(self) -> tuple[str, str, str]:
        return f"{self.name}_cipher", f"{self.name}_digest", f"{self.name}_masked"


def field_of(model_or_obj, name: str) -> Encrypted:
    return FIELDS[(model_or_obj._meta.label_lower, name)]


def field_label(model, name: str) -> str:
    """The Chinese name of a model's field as every form and message shows it: its `verbose_name`,
    or the label of an encrypted personal value (`Encrypted(PHONE, "联系人手机号码")`)."""
    declared = FIELDS.get((model._meta.label_lower, name))
    return declared.label if declared is not None else str(model._meta.get_field(name).verbose_name)


def fields_of(model) -> list[Encrypted]:
    label = model._meta.label_lower
    return [f for (m, _), f in FIELDS.items() if m == label]


def lookup(model, name: str, value: str) -> dict:
    """Filter keywords for an exact match on a personal value: `filter(**lookup(Trainee, "phone", q))`
    (its digest under every key of the ring: a row not yet rotated to a new key is found too)."""
    field = field_of(model, name)
    return {f"{name}_digest__in": crypto.digests(field.kind.normalise(str(value or "")))}


def hidden_columns(model) -> list[str]:
    """Columns an admin page leaves out (ciphertext and digest); the masked copy stays."""
    return [c for f in fields_of(model) for c in f.column_names[:2]]


# ---------------------------------------------------------------------------------------------
# Who may read a full value


def _city_of(user, region_id) -> bool:
    return bool(user.is_city and region_id is not None and user.region_id == region_id)


def _employer_of(user, unit_id) -> bool:
    return bool(user.is_employer and unit_id is not None and user.unit_id == unit_id)


def trainee_holder(user, trainee) -> bool:
    """A trainee's ID number and phone: city staff of the trainee's own region, who register and
    manage the person (and phone them in follow-up). Not the employer, not the province."""
    return _city_of(user, trainee.region_id)


def unit_holder(user, unit) -> bool:
    """A unit's contact phone and payee bank account: the unit's own employer and city staff of
    the unit's region (they review the unit and pay its subsidies)."""
    return _employer_of(user, unit.pk) or _city_of(user, unit.region_id)


def mentor_holder(user, mentor) -> bool:
    """A mentor's phone: the mentor's own unit and city staff of that unit's region."""
    if _employer_of(user, mentor.unit_id):
        return True
    return bool(user.is_city) and _city_of(user, mentor.unit.region_id)


def account_holder(user, account) -> bool:
    """An account's own phone: the person themselves."""
    return account.pk is not None and user.pk == account.pk


def report_holder(user, report) -> bool:
    """The reporter's phone on a monthly report: city staff of its region and the province, which
    accepts or returns the report and calls the reporter about it."""
    return _city_of(user, report.region_id) or bool(user.is_province)


@dataclass(frozen=True)
class Rule:
    holders: Callable
    # The attributes the rule reads: exports build a bare instance from these values instead of
    # loading each row's model.
    needs: tuple[str, ...]


RULES: dict[tuple[str, str], Rule] = {
    ("trainees.trainee", "id_number"): Rule(trainee_holder, ("region_id",)),
    ("trainees.trainee", "phone"): Rule(trainee_holder, ("region_id",)),
    ("trainees.mentor", "phone"): Rule(mentor_holder, ("unit_id",)),
    ("units.unit", "contact_phone"): Rule(unit_holder, ("id", "region_id")),
    ("units.unit", "bank_account"): Rule(unit_holder, ("id", "region_id")),
    ("jianxi_portal.user", "phone"): Rule(account_holder, ("id",)),
    ("reports.monthlyreport", "reporter_phone"): Rule(report_holder, ("region_id",)),
}


def rule_of(model_or_obj, name: str) -> Rule:
    return RULES[(model_or_obj._meta.label_lower, name)]


def may_see(user, obj, name: str) -> bool:
    """Whether `user` may read `obj`'s full `name` (no audit: `shown` records the view)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(rule_of(obj, name).holders(user, obj))


class Shown(str):
    """What a person is shown: the text, and whether it is the full value."""

    full = False


def _full(text: str) -> Shown:
    shown = Shown(text)
    shown.full = True
    return shown


def record_view(user, obj, name: str, *, via: str) -> None:
    """One audit row for one full view: the event, the object and the channel, never the value."""
    # cycle: core.models imports this module, and core.audit imports core.models
    from jianxi_portal.core.audit import audit

    field = field_of(obj, name)
    detail = {"via": via} if name == field.kind.name else {"via": via, "field": name}
    audit(field.kind.event, user=user, obj=obj, detail=detail)


def shown(user, obj, name: str, *, via: str) -> Shown:
    """The value of `obj.<name>` as `user` may see it: in full for a holder (and audited once),
    otherwise the masked copy. An empty value is empty for everyone (nothing is revealed)."""
    masked = getattr(obj, f"{name}_masked")
    if not masked or not may_see(user, obj, name):
        return Shown(masked)
    record_view(user, obj, name, via=via)
    return _full(getattr(obj, name))


# ---------------------------------------------------------------------------------------------
# Data migrations: existing plaintext columns into the three stored columns


def encrypt_existing(app_label: str, model_name: str, *, plain: str, name: str, kind: str, batch: int = 2000):
    """The RunPython operation of a data migration that moves the plaintext column `plain` into
    `<name>_cipher`, `_digest` and `_masked` (forward), and decrypts it back (reverse). It reads the
    historical model through `apps` and writes in batches, on SQLite and PostgreSQL alike."""
    kind_ = KINDS[kind]
    cipher, digest, masked = f"{name}_cipher", f"{name}_digest", f"{name}_masked"

    def _save(model, rows, fields):
        if rows:
            model.objects.bulk_update(rows, fields, batch_size=batch)

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = []
        for obj in model.objects.exclude(**{plain: ""}).only("pk", plain).iterator(chunk_size=batch):
            value = kind_.normalise(getattr(obj, plain))
            setattr(obj, cipher, crypto.encrypt(value))
            setattr(obj, digest, crypto.digest(value))
            setattr(obj, masked, kind_.mask(value))
            rows.append(obj)
            if len(rows) >= batch:
                _save(model, rows, [cipher, digest, masked])
                rows = []
        _save(model, rows, [cipher, digest, masked])

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = []
        for obj in model.objects.exclude(**{cipher: ""}).only("pk", cipher).iterator(chunk_size=batch):
            setattr(obj, plain, crypto.decrypt(getattr(obj, cipher)))
            rows.append(obj)
            if len(rows) >= batch:
                _save(model, rows, [plain])
                rows = []
        _save(model, rows, [plain])

    return migrations.RunPython(forward, backward, elidable=False)
