"""The special columns of the public site (专栏): 国有企业, 制造业名企, 互联网大厂 and the 管理/技术/科研
posts the notice wants more of. Each is a fixed filter of the public post list
(`positions.selectors.posts_public`), so its page and its count are that list's own."""

from dataclasses import dataclass, replace

from django.db.models import QuerySet

from positions.models import PostCategory
from positions.selectors import PostFilters, posts_public


@dataclass(frozen=True)
class Column:
    slug: str
    title: str
    intro: str
    fixed: dict

    def filters(self, query: dict | None = None) -> PostFilters:
        """The visitor's search and filters (`positions.forms.PostQuery`), this column's own fixed."""
        return replace(PostFilters(**(query or {})), **self.fixed)

    def posts(self, query: dict | None = None) -> QuerySet:
        return posts_public(self.filters(query))


COLUMNS = [
    Column("state-owned", "国有企业专栏", "国有企业提供的见习岗位。", {"column": "state_owned"}),
    Column("manufacturing", "制造业名企专栏", "制造业名企提供的见习岗位。", {"column": "famous_manufacturer"}),
    Column("internet", "互联网大厂专栏", "互联网企业提供的见习岗位。", {"column": "internet_major"}),
    Column("management", "管理岗位", "管理类见习岗位。", {"category": PostCategory.MANAGEMENT}),
    Column("technical", "技术岗位", "技术类见习岗位。", {"category": PostCategory.TECHNICAL}),
    Column("research", "科研岗位", "科研类见习岗位。", {"category": PostCategory.RESEARCH}),
]
BY_SLUG = {c.slug: c for c in COLUMNS}


def column_counts() -> list[tuple[Column, int]]:
    """Each column with the number of posts its page lists (one count per column)."""
    return [(column, column.posts().count()) for column in COLUMNS]
