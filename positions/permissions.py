"""What a person may do with a post (ARCHITECTURE.md, "One home for each kind of rule"): one
permission per action, `positions.<action>_post`, asked by the services (to refuse), the pages (to
show the action) and the API. Who only: the states an action is open from are the workflow's."""

import rules

from jianxi_portal.core.permissions import city_staff_of, employer_of
from jianxi_portal.core.review import DECISIONS, reviewer, submitter

# The post's unit's own employer.
own_employer = employer_of("unit_id")
# The post's unit's own employer, or city staff of the post's region (offline channel and 清单管理).
post_editor = own_employer | city_staff_of("region_id")

# Add a post to a unit (the object is the unit): its own employer, or city staff of its region.
rules.add_perm("positions.add_post", employer_of("pk") | city_staff_of("region_id"))
rules.add_perm("positions.change_post", post_editor)
# Close a published post: the unit (filled or withdrawn) or its city (清单管理).
rules.add_perm("positions.close_post", post_editor)
# Review workflow (jianxi_portal.core.review): submit; approve, reject, return.
rules.add_perm("positions.submit_post", submitter)
for decision in DECISIONS:  # approve, reject, return
    rules.add_perm(f"positions.{decision}_post", reviewer)
