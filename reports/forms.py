"""The query strings of the report pages (jianxi_portal/core/query.py)."""

from jianxi_portal.core.query import QueryForm, code_field, month_field, year_field


class RegionQuery(QueryForm):
    region = code_field("市（州）")


class PeriodQuery(RegionQuery):
    """A reporting month (absent: the month reported on today) and, for the province, a region."""

    year = year_field()
    month = month_field()
