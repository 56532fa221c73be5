"""What units tells the registers standing on it (ARCHITECTURE.md: Arrows that must turn around).

`unit_revoked` is sent by `units.services.unit_revoke` inside its transaction, while the unit's row
is locked, with `unit`, `by`, `reason` and `today`. Receivers do their part in that same transaction
(positions closes the unit's open posts that day: DESIGN.md, Annex 2 indicator 3); it is sent with `send`,
not `send_robust`, so a receiver's error rolls the whole revocation back."""

from django.dispatch import Signal

unit_revoked = Signal()
