"""Forms only collect and type the values; `positions.services` applies the rules (allowance
floor, slots, duration, closing date) and gives the messages."""

from django import forms
from django.utils import timezone

from jianxi_portal.core.allowance import allowance_floor
from jianxi_portal.core.models import District
from jianxi_portal.core.query import QueryForm, choice_field, code_field, flag_field, id_field, search_field
from jianxi_portal.core.wages import MinimumWageUnknown
from positions.models import Education, Post, PostCategory
from positions.selectors import COLUMNS, SORTS
from units.models import Industry


class PostForm(forms.Form):
    title = forms.CharField(label="岗位名称", max_length=100)
    category = forms.ChoiceField(label="岗位类别", choices=[("", "请选择")] + PostCategory.choices)
    slots = forms.IntegerField(label="岗位数（人）", initial=1)
    duration_months = forms.IntegerField(label="见习期限（月）", initial=6, help_text="3至12个月")
    allowance = forms.DecimalField(
        label="单位发放生活补贴（元/月）",
        max_digits=10,
        decimal_places=2,
        help_text="不得低于岗位所在区县月最低工资标准的规定比例",
    )
    district = forms.ModelChoiceField(label="工作地点（区县）", queryset=District.objects.none(), empty_label="请选择")
    education = forms.ChoiceField(label="学历要求", choices=Education.choices, initial=Education.ANY)
    majors = forms.CharField(
        label="专业要求", max_length=200, required=False, help_text="多个专业用顿号分隔；不限可留空"
    )
    description = forms.CharField(label="岗位描述", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    also_internship = forms.BooleanField(label="同时作为实习岗位", required=False)
    closing_date = forms.DateField(
        label="截止日期（可选）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="默认为发布之日起12个月，可选择更早的日期",
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(region_id=unit.region_id)
        self.fields["district"].initial = unit.district_id
        self.fields["allowance"].help_text = _floor_hint(unit)

    @classmethod
    def initial_from(cls, post) -> dict:
        return {name: getattr(post, name) for name in cls.base_fields if name != "district"} | {
            "district": post.district_id
        }


def _floor_hint(unit) -> str:
    """The floor where the unit itself is, so the employer sees the figure before saving (the
    service checks the post's own district)."""
    try:
        floor = allowance_floor(unit.district, timezone.localdate())
    except MinimumWageUnknown:
        return "不得低于岗位所在区县月最低工资标准的规定比例"
    return (
        f"不得低于岗位所在区县月最低工资标准的{floor.percent}；{unit.district.name}现为{floor.wage:.2f}元，"
        f"即不低于{floor.amount:.2f}元"
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="关闭原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：岗位已招满 / 单位撤回岗位"})
    )


class PostQuery(QueryForm):
    """The public post list's query string (the page, the special columns and the public API)."""

    q = search_field("关键词")
    region = code_field("市（州）")
    category = choice_field("岗位类别", PostCategory.choices)
    industry = choice_field("行业", Industry.choices)
    column = choice_field("专栏", [(key, label) for key, (_, label) in COLUMNS.items()])
    education = choice_field("学历要求", Education.choices)
    also_internship = flag_field("同时为实习岗位")
    sort = forms.ChoiceField(label="排序", required=False, choices=[(k, label) for k, (label, _) in SORTS.items()])


class PostPageQuery(QueryForm):
    """Which page of the public list: `after`, the opaque cursor of its 下一页 link (keyset,
    jianxi_portal/core/pagination.py `KeysetPaginator`), or an older link's `page` number."""

    page = forms.IntegerField(label="页码", required=False, min_value=1, max_value=50_000)
    after = forms.CharField(label="翻页位置", required=False, max_length=300)
    # 「统计总数」 without JavaScript: the page counts its list itself (else the total comes later
    # from `post_list_count`, see positions.views.post_list).
    count = forms.BooleanField(label="统计总数", required=False)


class PostManageQuery(QueryForm):
    """The management list's query (region: province and admin only)."""

    status = choice_field("状态", Post.Status.choices)
    region = code_field("市（州）")
    q = search_field("岗位或单位名称")
    category = choice_field("岗位类别", PostCategory.choices)


class UnitParam(QueryForm):
    """`?unit=` of the new-post page (city staff enter a post for a unit of their region)."""

    unit = id_field("单位")
