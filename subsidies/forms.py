"""Forms only collect values; the services apply the rules and give the messages."""

import copy
from decimal import Decimal, InvalidOperation

from django import forms

from jianxi_portal.core.query import (
    QueryForm,
    choice_field,
    code_field,
    date_field,
    export_field,
    search_field,
    year_field,
)
from subsidies.models import Claim, Disbursement
from trainees.models import TraineeCategory

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m")
        return value


class ClaimForm(forms.Form):
    period_from = forms.DateField(label="申领起始月", input_formats=MONTH_FORMATS, widget=MonthInput)
    period_to = forms.DateField(
        label="申领截止月",
        input_formats=MONTH_FORMATS,
        widget=MonthInput,
        help_text="只能申领已结束的月份；一次最多12个月。期间含12月的，同时计算当年带教补贴。",
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="不通过或退回时必须填写。"
    )


class DisbursementForm(forms.Form):
    amount = forms.CharField(label="拨付金额（元）")
    paid_on = forms.DateField(label="拨付日期", widget=forms.DateInput(attrs={"type": "date"}))
    funding_level = forms.ChoiceField(label="资金级次", choices=Disbursement.FundingLevel.choices)
    voucher_no = forms.CharField(label="凭证号", max_length=64)


class PercentField(forms.CharField):
    """A share entered in percent (60) and handed to the service as a ratio (0.60)."""

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return value
        try:
            return Decimal(str(value).strip().rstrip("%")) / 100
        except InvalidOperation:
            raise forms.ValidationError(f"请输入百分比数字，收到“{value}”。")


class RuleForm(forms.Form):
    """A new version of one rule; the fields depend on the rule's kind."""

    valid_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="失效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="含当日；留空表示长期有效，直到下一个版本生效。",
    )
    document = forms.CharField(label="政策依据（文件文号）", max_length=100, required=False)

    KIND_FIELDS = {
        "rate": {
            "category": forms.ChoiceField(label="人员类别", choices=TraineeCategory.choices),
            "rate": PercentField(label="补贴比例（占当地月最低工资标准，%）"),
        },
        "bonus": {
            "amount": forms.CharField(label="每留用1人补贴（元）"),
            "threshold": PercentField(label="留用率下限（%）"),
            "min_contract_months": forms.CharField(label="劳动合同最短期限（月）"),
        },
        "remaining": {},
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.KIND_FIELDS[kind].items():
            self.fields[name] = copy.deepcopy(field)
        if kind == "remaining":
            self.fields["valid_to"].required = True
            self.fields["valid_to"].label = "政策截止日期"
            self.fields["valid_to"].help_text = "留用日期在生效日期至此日期（含）之间的，给予剩余期限见习补贴。"


class ClaimQuery(QueryForm):
    """The claim list's filters (page, API, export)."""

    status = choice_field("状态", Claim.Status.choices)
    payment = choice_field("拨付情况", Claim.PaymentStatus.choices)
    region = code_field("市（州）")
    year = year_field()
    q = search_field("单位名称")


class DisbursementQuery(QueryForm):
    """The payment register's filters (page, API, export)."""

    year = year_field()
    date_from = date_field("拨付日期自")
    date_to = date_field("拨付日期至")
    funding_level = choice_field("资金级次", Disbursement.FundingLevel.choices)
    region = code_field("市（州）")
    q = search_field("单位名称或凭证号")
    export = export_field()
