from django import forms

from jianxi_portal.core.models import CalendarOverride


class QuotaForm(forms.Form):
    """Only collects the values: services.quota_update applies the rules and gives the messages."""

    post_quota = forms.CharField(label="岗位募集指标（个）")
    trainee_quota = forms.CharField(label="组织见习人员指标（人）")
    note = forms.CharField(
        label="低于上年指标的说明", required=False, max_length=200,
        help_text="年度指标只增不减：低于上一年度指标时必须填写说明。",
    )


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class WageVersionForm(forms.Form):
    effective_from = forms.DateField(label="执行日期", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label="文件文号", max_length=100, required=False)
    classes = forms.CharField(
        label="各档月最低工资（元）",
        help_text="按档次从高到低，每行一档：月标准,小时标准，例如 2120,21",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
