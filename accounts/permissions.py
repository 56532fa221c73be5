"""What a person may do with API tokens (ARCHITECTURE.md, "One home for each kind of rule"; SECURITY.md,
API tokens): one permission per action, `accounts.<action>_apitoken`, asked by the services."""

import rules

from jianxi_portal.core.permissions import account_of, is_admin

# Issue a token for an account (the object is the account): the account itself, or an admin.
rules.add_perm("accounts.add_apitoken", account_of("pk") | is_admin)
# Revoke a token: its owner, or an admin.
rules.add_perm("accounts.delete_apitoken", account_of("user_id") | is_admin)
