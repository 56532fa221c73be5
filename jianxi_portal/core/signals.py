"""What the core tells the apps above it (ARCHITECTURE.md: Arrows that must turn around).

`user_saved` is sent by `User.save()` after the row is written, with `user`, `adding`,
`password_changed` (a new password was stored, by any path: the change page, an admin's reset, a
command) and `loaded` (the audited fields as they were loaded, or None). Accounts listens: a
password change revokes the person's other sessions and API tokens, and role and permission
changes are audited (SECURITY.md item 2). Sent with `send`: a receiver's error fails the save."""

from django.dispatch import Signal

user_saved = Signal()
