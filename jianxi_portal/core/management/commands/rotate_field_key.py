"""Re-encrypt every personal value under the current field key (SECURITY.md: Rotating the
field-encryption key).

The keys come from the settings, never from the command line (a key typed there stays in the shell
history and the process list): FIELD_ENCRYPTION_KEY is the new key, FIELD_ENCRYPTION_OLD_KEYS the
keys being retired. While both are set the portal reads under either key and writes under the new
one, so it keeps running during the rotation. The command walks every table with encrypted columns
(the registers' and their history tables) in primary-key order, a batch per transaction: a row
whose ciphertexts are all under the new key is skipped, any other gets every ciphertext and keyed
digest rewritten (the masked copy does not depend on the key). Interrupted, it is run again and
carries on: the rows done are on the new key. (An export job's sealed search is read once, when the
job runs: it needs the old key only while a job queued before the rotation is still waiting.)"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jianxi_portal.core import crypto
from jianxi_portal.core.audit import audit

DEFAULT_BATCH = 500


def encrypted_tables() -> list[tuple[type, list[tuple[str, str]]]]:
    """Every model with encrypted columns, with its (cipher, digest) column pairs."""
    tables = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        pairs = sorted(
            (n, n[: -len("_cipher")] + "_digest")
            for n in names
            if n.endswith("_cipher") and n[: -len("_cipher")] + "_digest" in names
        )
        if pairs:
            tables.append((model, pairs))
    return sorted(tables, key=lambda t: t[0]._meta.label_lower)


def rotate_row(obj, pairs) -> bool:
    """Rewrite `obj`'s ciphertexts and digests under the current key; False when none needed it."""
    if all(crypto.is_current(getattr(obj, cipher)) for cipher, _ in pairs):
        return False
    for cipher, digest in pairs:
        value = crypto.decrypt(getattr(obj, cipher))
        setattr(obj, cipher, crypto.encrypt(value))
        setattr(obj, digest, crypto.digest(value))
    return True


def rotate_batch(model, pairs, after, size) -> tuple[int | None, int, int]:
    """One batch in one transaction: (last primary key seen or None at the end, rotated, skipped)."""
    columns = [c for pair in pairs for c in pair]
    with transaction.atomic():
        rows = list(
            model._base_manager.select_for_update().filter(pk__gt=after).order_by("pk").only("pk", *columns)[:size]
        )
        if not rows:
            return None, 0, 0
        changed = [obj for obj in rows if rotate_row(obj, pairs)]
        model._base_manager.bulk_update(changed, columns)
    return rows[-1].pk, len(changed), len(rows) - len(changed)


class Command(BaseCommand):
    help = "Re-encrypt every personal value under FIELD_ENCRYPTION_KEY (old keys in FIELD_ENCRYPTION_OLD_KEYS)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="rows per transaction")
        parser.add_argument(
            "--show-derived-key",
            action="store_true",
            help="print the key derived from SECRET_KEY (to list it in FIELD_ENCRYPTION_OLD_KEYS "
            "when the portal ran without FIELD_ENCRYPTION_KEY), and rotate nothing",
        )

    def handle(self, *args, batch_size, show_derived_key, **options):
        if show_derived_key:
            self.stdout.write(crypto._raw_key("", settings.SECRET_KEY).decode())
            return
        if not settings.FIELD_ENCRYPTION_KEY:
            raise CommandError(
                "FIELD_ENCRYPTION_KEY 未设置：请先设置新的密钥，并把旧密钥列入 FIELD_ENCRYPTION_OLD_KEYS。"
            )
        if batch_size < 1:
            raise CommandError("--batch-size 须为正整数。")
        totals = {}
        for model, pairs in encrypted_tables():
            rotated, skipped = self.rotate_table(model, pairs, batch_size)
            totals[model._meta.label_lower] = rotated
            self.stdout.write(f"{model._meta.label_lower}: {rotated} 行已换用新密钥，{skipped} 行原已是新密钥")
        audit("personal.rotate_key", detail={"rows": totals})

    def rotate_table(self, model, pairs, batch_size) -> tuple[int, int]:
        after, rotated, skipped = 0, 0, 0
        while after is not None:
            after, done, kept = rotate_batch(model, pairs, after, batch_size)
            rotated, skipped = rotated + done, skipped + kept
        return rotated, skipped
