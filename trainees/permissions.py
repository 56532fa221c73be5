"""What a person may do with a trainee, an application, a placement, a mentor or an internship
(ARCHITECTURE.md, "One home for each kind of rule"): one permission per (model, action),
`trainees.<action>_<model>`, asked by the services (to refuse), the pages (to show the action) and
the API. Who only: the states an action is open from are the workflow's."""

import rules

from jianxi_portal.core.permissions import account_of, city_staff_of, employer_of, youth_of
from jianxi_portal.core.review import DECISIONS, reviewer, submitter

# City staff of the record's region.
region_staff = city_staff_of("region_id")
# The record's unit's employer, or city staff of its region (offline channel).
unit_or_region = employer_of("unit_id") | region_staff

# Trainee register: city staff of the trainee's region link an account (after checking the identity
# card in person) and enter a paper agreement for the trainee (offline channel).
rules.add_perm("trainees.link_trainee", region_staff)
rules.add_perm("trainees.place_trainee", region_staff)
# Consent to being recommended (DESIGN.md, Outreach): only the person, whatever the account's role.
rules.add_perm("trainees.consent_trainee", account_of("user_id"))

# Applications: the post's unit accepts or declines; the applicant alone withdraws.
rules.add_perm("trainees.decide_application", employer_of("post.unit_id"))
rules.add_perm("trainees.withdraw_application", youth_of("trainee.user_id"))

# Placement events (DESIGN.md, Placement lifecycle) and its records (insurance, mentor, training,
# allowance changes): the placement's unit, or city staff of its region (offline channel).
for action in ("start", "complete", "retain", "terminate", "outcome", "cancel", "change"):
    rules.add_perm(f"trainees.{action}_placement", unit_or_region)
# 接续见习: only the city of the first placement's region approves it.
rules.add_perm("trainees.continue_placement", region_staff)
# The placement's filing (备案) takes the review workflow (jianxi_portal.core.review).
rules.add_perm("trainees.submit_placement", submitter)
for decision in DECISIONS:  # approve, reject, return
    rules.add_perm(f"trainees.{decision}_placement", reviewer)

# Mentors (带教老师) on a unit's staff list: the unit or its city. `add` is asked of the unit.
rules.add_perm("trainees.add_mentor", employer_of("pk") | region_staff)
rules.add_perm("trainees.change_mentor", employer_of("unit_id") | city_staff_of("unit.region_id"))

# Internships at a practice base: the base or its city. `add` is asked of the post.
rules.add_perm("trainees.add_internship", unit_or_region)
rules.add_perm("trainees.change_internship", unit_or_region)
