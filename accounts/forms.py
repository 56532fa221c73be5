from django import forms

from jianxi_portal.core.audit import RESULTS
from jianxi_portal.core.models import User
from jianxi_portal.core.query import QueryForm, date_field


class OtpForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=20,
        help_text="身份验证器上当前显示的 6 位数字；手机丢失时可填写一个恢复码（如 3f9a2-0c1de）。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    device_id = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(
        label="新身份验证器的验证码",
        max_length=10,
        help_text="扫描二维码后，填写身份验证器上显示的 6 位数字。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReplaceForm(EnrolForm):
    current = forms.CharField(
        label="当前验证码或恢复码",
        max_length=20,
        help_text="旧身份验证器上当前显示的 6 位数字；旧手机丢失时填写一个恢复码。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    field_order = ["device_id", "current", "token"]


class TokenIssueForm(forms.Form):
    user = forms.ModelChoiceField(
        label="账户",
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text="令牌代表该账户调用接口，权限与该账户相同。",
    )
    name = forms.CharField(label="用途", max_length=100, required=False, help_text="例如：人社一体化平台对接")
    days = forms.IntegerField(label="有效期（天）", min_value=1, initial=30)


class TwoFactorResetForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)


class AuditFilterForm(QueryForm):
    username = forms.CharField(label="用户", required=False, max_length=150)
    event = forms.CharField(label="事件", required=False, max_length=64, help_text="前缀匹配，如 login")
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部")] + list(RESULTS.items()))
    date_from = date_field("起始日期")
    date_to = date_field("截止日期")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
