"""What a person may do in outreach (ARCHITECTURE.md, "One home for each kind of rule"): one
permission per (model, action), `outreach.<action>_<model>`, asked by the services (to refuse),
the pages and the API (to show the action). `invite_post` is asked of a post (positions.Post):
outreach owns inviting to it; `add_followupcontact` of the placement followed up."""

import rules

from jianxi_portal.core.permissions import city_staff_of, employer_of, is_province

# City staff of the record's region.
region_staff = city_staff_of("region_id")

# Service-zone articles: the province for the whole province or any region, a city for its own.
rules.add_perm("outreach.change_article", is_province | region_staff)
# Recruitment events: the city of the event's region manages it and checks people in (its code too).
rules.add_perm("outreach.change_event", region_staff)
rules.add_perm("outreach.checkin_event", region_staff)
# A post's booth at an event: the post's unit confirms it.
rules.add_perm("outreach.confirm_eventpost", employer_of("post.unit_id"))
# A post's ranked candidates and invitations: the post's unit, or the city of its region.
rules.add_perm("outreach.invite_post", employer_of("unit_id") | region_staff)
# 跟踪帮扶 contacts (DESIGN.md, Outreach): city staff of the placement's region.
rules.add_perm("outreach.add_followupcontact", region_staff)
