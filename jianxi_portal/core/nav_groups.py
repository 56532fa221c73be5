"""The top bar in at most eight groups (待办审核, 单位与岗位, 见习人员, 补贴, 报表, 数据交换, 宣传服务,
系统管理): the links every app's navigation provider contributes (`jianxi_portal.core.navigation`) are
sorted into the group their page belongs to, by the page's URL name, so a feature keeps adding its
link in its own app. A group of one link is shown as that link; the group holding the page being
viewed is marked current (the longest link that the address starts with)."""

from dataclasses import dataclass, field

from django.urls import Resolver404, resolve

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("待办审核", ("review_queue",)),
    (
        "单位与岗位",
        (
            "post_list",
            "unit_directory",
            "unit_manage_list",
            "post_manage_list",
            "unit_detail",
            "unit_create",
            "my_unit",
        ),
    ),
    (
        "见习人员",
        (
            "trainees:trainee_list",
            "trainees:placement_list",
            "trainees:application_list",
            "trainees:internship_list",
            "trainees:placement_current",
            "trainees:mentor_list",
            "trainees:my_profile",
            "trainees:youth_register",
            "outreach:recommended",
            "outreach:followup_list",
        ),
    ),
    ("补贴", ("claim_list", "disbursement_list", "subsidy_summary", "subsidy_rules")),
    ("报表", ("annex1", "annex2_summary", "annex2_report")),
    ("数据交换", ("exchange:import_index", "exchange:jobs")),
    (
        "宣传服务",
        (
            "outreach:event_list",
            "outreach:columns",
            "outreach:zone",
            "outreach:event_manage_list",
            "outreach:article_manage_list",
            "outreach:demonstration",
            "outreach:unit_events",
        ),
    ),
    (
        "系统管理",
        (
            "programme_years",
            "calendar",
            "wage_versions",
            "allowance_floors",
            "security_accounts",
            "admin:index",
            "audit_log",
            "account_security",
        ),
    ),
)
GROUP_OF = {name: label for label, names in GROUPS for name in names}
MAX_GROUPS = 8


@dataclass
class NavGroup:
    label: str
    links: list[tuple[str, str]] = field(default_factory=list)
    current: bool = False
    current_url: str = ""

    @property
    def single(self) -> bool:
        return len(self.links) == 1


def _url_name(url: str) -> str:
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return ""
    return match.view_name


def group_items(items: list[tuple[str, str]], path: str) -> list[NavGroup]:
    """`items` (label, url) of the navigation providers, in at most eight groups in GROUPS' order; a
    link whose page is in no group stands alone, after them. Eight links or fewer (the public, a
    young person) need no groups: each stands alone."""
    if len(items) <= MAX_GROUPS:
        shown = [NavGroup(label, [(label, url)]) for label, url in items]
        _mark_current(shown, path)
        return shown
    groups = {label: NavGroup(label) for label, _ in GROUPS}
    alone: list[NavGroup] = []
    for label, url in items:
        group = GROUP_OF.get(_url_name(url))
        if group is None:
            alone.append(NavGroup(label, [(label, url)]))
        else:
            groups[group].links.append((label, url))
    shown = [g for g in groups.values() if g.links] + alone
    _mark_current(shown, path)
    return shown


def _mark_current(groups: list[NavGroup], path: str) -> None:
    best, best_len = None, 0
    for group in groups:
        for _, url in group.links:
            base = url.split("?", 1)[0]
            if base != "/" and path.startswith(base) and len(base) > best_len:
                best, best_len = (group, url), len(base)
    if best is not None:
        best[0].current, best[0].current_url = True, best[1]
