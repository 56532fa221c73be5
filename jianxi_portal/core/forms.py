from django import forms

from jianxi_portal.core.models import CalendarOverride, Region, TraineeCategory


class QuotaForm(forms.Form):
    """Only collects the values: services.quota_update applies the rules and gives the messages."""

    post_quota = forms.CharField(label="岗位募集指标（个）")
    trainee_quota = forms.CharField(label="组织见习人员指标（人）")
    note = forms.CharField(
        label="低于上年指标的说明",
        required=False,
        max_length=200,
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


class AllowanceFloorRuleForm(forms.Form):
    """Only collects the values: `services.allowance_floor_rule_add` checks the ratio, the region
    the person may set and the dates, and gives the messages."""

    region = forms.ChoiceField(label="适用地区", required=False)
    category = forms.ChoiceField(label="人员类别", required=False, choices=[("", "所有类别"), *TraineeCategory.choices])
    # Text, so the service's Chinese message names a ratio out of range or malformed.
    ratio = forms.CharField(
        label="最低比例（当地月最低工资标准的倍数）",
        max_length=20,
        help_text="如 0.60 表示60%；市（州）可设定更高的下限，如 0.80 或 1.00；范围 0—10",
    )
    valid_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="失效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="含当日；留空表示长期有效，直到下一个版本生效",
    )
    document = forms.CharField(label="政策依据（文件文号）", max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_admin:
            regions = [("", "全省"), *((str(r.pk), r.name) for r in Region.objects.all())]
        else:
            regions = [(str(user.region_id), user.region.name)]
            self.fields["region"].required = True
        self.fields["region"].choices = regions
