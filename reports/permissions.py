"""What a person may do with the monthly Annex 2 report (ARCHITECTURE.md, "One home for each kind of
rule"): one permission per action, `reports.<action>_monthlyreport`, asked by the services (to
refuse) and the pages (to show the action). Who only: the states each action is open from are the
report's workflow (reports.workflows). Not reports.rules: that module holds the form's checks."""

import rules

from jianxi_portal.core.permissions import city_staff_of, is_province

# DESIGN.md, Annex 2: the city bureau prepares, corrects and submits its own region's report.
region_staff = city_staff_of("region_id")
rules.add_perm("reports.add_monthlyreport", region_staff)
rules.add_perm("reports.change_monthlyreport", region_staff)
rules.add_perm("reports.submit_monthlyreport", region_staff)
# The province accepts it or returns it with an opinion.
rules.add_perm("reports.accept_monthlyreport", is_province)
rules.add_perm("reports.return_monthlyreport", is_province)
