"""What a person may do with a subsidy claim (ARCHITECTURE.md, "One home for each kind of rule"):
one permission per action, `subsidies.<action>_claim`, asked by the services (to refuse), the
pages (to show the action) and the API. Who only: the states an action is open from are the
workflow's."""

import rules

from jianxi_portal.core.permissions import city_staff_of, employer_of
from jianxi_portal.core.review import DECISIONS, reviewer, submitter

# Claim for a unit (the object is the unit): its own employer, or city staff of its region (offline channel).
rules.add_perm("subsidies.add_claim", employer_of("pk") | city_staff_of("region_id"))
# Change or delete a draft or returned claim: whoever may submit it.
rules.add_perm("subsidies.change_claim", submitter)
rules.add_perm("subsidies.delete_claim", submitter)
# Review workflow (jianxi_portal.core.review): submit; approve, reject, return.
rules.add_perm("subsidies.submit_claim", submitter)
for decision in DECISIONS:  # approve, reject, return
    rules.add_perm(f"subsidies.{decision}_claim", reviewer)
# Record a payment (拨付) against an approved claim: city staff of the claim's region (DESIGN.md, Subsidies).
rules.add_perm("subsidies.pay_claim", city_staff_of("region_id"))
