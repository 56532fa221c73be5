"""The query strings of outreach's lists and figures (jianxi_portal/core/query.py): the service zone,
events, follow-up cases, the demonstration ranking and the records behind a dashboard figure."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from jianxi_portal.core.query import (
    QueryForm,
    choice_field,
    code_field,
    flag_field,
    id_field,
    month_field,
    search_field,
    year_field,
)
from outreach.demonstration import CRITERIA
from outreach.models import Article, Event, FollowUpContact


class ZoneQuery(QueryForm):
    kind = choice_field("栏目", Article.Kind.choices)
    region = code_field("市（州）")


class EventQuery(QueryForm):
    region = code_field("市（州）")


class EventManageQuery(QueryForm):
    status = choice_field("状态", Event.Status.choices)
    upcoming = flag_field("未开始")


class CaseQuery(QueryForm):
    due = flag_field("待联系")
    outcome = choice_field("当前状况", [("none", "尚未联系"), *FollowUpContact.Outcome.choices])
    region = code_field("市（州）")
    q = search_field("姓名")


class ArticleManageQuery(QueryForm):
    status = choice_field("状态", Article.Status.choices)


class RankingQuery(QueryForm):
    """The demonstration ranking (page and export): a year from 2020 to next year, the order, a region."""

    year = forms.IntegerField(label="年度", required=False, min_value=2020)
    by = choice_field("排序", [("overall", "综合"), *CRITERIA.items()])
    region = code_field("市（州）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(MaxValueValidator(timezone.localdate().year + 1))


class FigureQuery(QueryForm):
    """`?year=&month=&region=&unit=` of the records behind a dashboard figure."""

    year = year_field()
    month = month_field()
    region = code_field("市（州）")
    unit = id_field("见习单位")
