"""What a person may do with a unit (ARCHITECTURE.md, "One home for each kind of rule"): one
permission per action, `units.<action>_unit`, asked by the services (to refuse), the pages (to show
the action) and the API. Who only: the states an action is open from are the workflow's."""

import rules

from jianxi_portal.core.permissions import city_staff_of, employer_of
from jianxi_portal.core.review import DECISIONS, reviewer, submitter

# City staff of the unit's region (DESIGN.md: a city bureau reviews and manages its region's units).
region_staff = city_staff_of("region_id")
# The unit's own employer account.
own_employer = employer_of("pk")

# Change the registration, its materials and its payee account: the unit itself, or city staff of
# its region on its behalf (offline channel).
rules.add_perm("units.change_unit", own_employer | region_staff)
# Review workflow (jianxi_portal.core.review): submit; approve, reject, return.
rules.add_perm("units.submit_unit", submitter)
for decision in DECISIONS:  # approve, reject, return
    rules.add_perm(f"units.{decision}_unit", reviewer)
# 清单管理 (DESIGN.md): suspend, resume, revoke — city staff of the unit's region.
rules.add_perm("units.suspend_unit", region_staff)
rules.add_perm("units.resume_unit", region_staff)
rules.add_perm("units.revoke_unit", region_staff)
