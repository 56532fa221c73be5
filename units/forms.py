"""Forms only collect and type the values; `units.services` applies the rules and gives the
messages (copied onto the form with `form_errors_from`)."""

from django import forms

from accounts.passwords import password_rules_text
from jianxi_portal.core.models import District, Region
from jianxi_portal.core.personal import field_label
from jianxi_portal.core.query import QueryForm, choice_field, code_field, search_field
from units.models import Industry, Unit, UnitAttachment, UnitType
from units.selectors import COLUMNS
from units.services import validate_attachment

PERSONAL_INPUT = {"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}


class DistrictSelect(forms.Select):
    """Each option names its city (data-region), so the page's script shows only the districts of
    the city chosen in the select it follows (static/js/portal.js)."""

    def __init__(self, follows: str, attrs=None):
        super().__init__({**(attrs or {}), "data-follows": follows})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-region"] = instance.region.code
        return option


class DistrictChoiceField(forms.ModelChoiceField):
    widget = DistrictSelect

    def __init__(self, *args, follows: str = "id_region", **kwargs):
        super().__init__(*args, widget=DistrictSelect(follows), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.region.name} · {obj.name}"


class EmployerRegisterForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="用于登录，字母、数字或 @ . + - _")
    name = forms.CharField(label="经办人姓名", max_length=50)
    phone = forms.CharField(label="经办人手机号码", max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label="电子邮箱", required=False, help_text="用于接收审核结果通知（可不填）")
    password = forms.CharField(label="密码", widget=forms.PasswordInput)
    password_again = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's password rules, in their own words (they change with the security settings).
        self.fields["password"].help_text = password_rules_text(staff=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "两次输入的密码不一致。")
        return data


def _label(name: str) -> str:
    return field_label(Unit, name)


class UnitForm(forms.Form):
    """The unit's fields, named as the model names them (`verbose_name`)."""

    name = forms.CharField(label=_label("name"), max_length=100)
    credit_code = forms.CharField(label=_label("credit_code"), max_length=18, help_text="18位，最后一位为校验码")
    unit_type = forms.ChoiceField(label=_label("unit_type"), choices=[("", "请选择")] + UnitType.choices)
    industry = forms.ChoiceField(
        label=_label("industry"), choices=[("", "请选择")] + Industry.choices, help_text="国民经济行业分类门类"
    )
    region = forms.ModelChoiceField(
        label=_label("region"), queryset=Region.objects.all(), empty_label="请选择", to_field_name="code"
    )
    district = DistrictChoiceField(
        label=_label("district"), queryset=District.objects.select_related("region"), empty_label="请选择"
    )
    address = forms.CharField(label=_label("address"), max_length=200)
    contact_name = forms.CharField(label=_label("contact_name"), max_length=50)
    contact_phone = forms.CharField(
        label=_label("contact_phone"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    employee_count = forms.IntegerField(label=_label("employee_count"), min_value=0, initial=0)
    is_state_owned = forms.BooleanField(label=_label("is_state_owned"), required=False)
    is_famous_manufacturer = forms.BooleanField(label=_label("is_famous_manufacturer"), required=False)
    is_internet_major = forms.BooleanField(label=_label("is_internet_major"), required=False)
    is_practice_base = forms.BooleanField(label=_label("is_practice_base"), required=False, help_text="双贯通")
    description = forms.CharField(label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    bank_name = forms.CharField(
        label=_label("bank_name"),
        max_length=100,
        required=False,
        help_text="补贴收款账户：可暂不填写，提交补贴申领前须填写。",
    )
    bank_account = forms.CharField(
        label=_label("bank_account"), max_length=40, required=False, widget=forms.TextInput(attrs=PERSONAL_INPUT)
    )

    # Stored personal values are never put back into the page: on an edit they are left blank
    # unless changed, and the masked copy is named beside them.
    PERSONAL = ("contact_phone", "bank_account")

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Format and check digit are the service's rules: let any text through to it.
        self.fields["credit_code"].max_length = None
        self.fields["credit_code"].validators = []
        self.fields["credit_code"].widget.attrs.pop("maxlength", None)
        self.editing = unit is not None
        if self.editing:
            for name in self.PERSONAL:
                current = getattr(unit, f"{name}_masked") or "未填写"
                self.fields[name].required = False
                self.fields[name].help_text = f"当前：{current}；不修改请留空。"

    @classmethod
    def initial_from(cls, unit) -> dict:
        skipped = ("region", "district", *cls.PERSONAL)
        return {name: getattr(unit, name) for name in cls.base_fields if name not in skipped} | {
            "region": unit.region.code,
            "district": unit.district_id,
        }

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        if self.editing:
            for name in self.PERSONAL:
                if not values.get(name):
                    values.pop(name, None)
        return values


class PayeeForm(forms.Form):
    """The unit's payee account alone (补贴收款账户), at any status but revoked."""

    bank_name = forms.CharField(label="开户银行", max_length=100, help_text="例如：中国工商银行长春人民大街支行")
    bank_account = forms.CharField(label="银行账号", max_length=40, widget=forms.TextInput(attrs=PERSONAL_INPUT))


class UnitCreateForm(UnitForm):
    """Registration also takes the business licence (optional; PDF/JPG/PNG up to 5 MB)."""

    licence = forms.FileField(label="营业执照（可选）", required=False, help_text="PDF、JPG 或 PNG，不超过5 MB")

    def clean_licence(self):
        upload = self.cleaned_data.get("licence")
        if upload:
            try:
                validate_attachment(upload)
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["file"]) from None
        return upload


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=UnitAttachment.Kind.choices)
    file = forms.FileField(label="文件", help_text="PDF、JPG 或 PNG，不超过5 MB")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "必填"}))


class UnitQuery(QueryForm):
    """The public unit directory's query string."""

    q = search_field("单位名称")
    region = code_field("市（州）")
    industry = choice_field(_label("industry"), Industry.choices)
    unit_type = choice_field(_label("unit_type"), UnitType.choices)
    column = choice_field("专栏", [(key, label) for key, (_, label) in COLUMNS.items()])


class UnitManageQuery(QueryForm):
    """The management list's query (region: province and admin only)."""

    status = choice_field("状态", Unit.Status.choices)
    region = code_field("市（州）")
    q = search_field("单位名称或统一社会信用代码")
    industry = choice_field(_label("industry"), Industry.choices)
    unit_type = choice_field(_label("unit_type"), UnitType.choices)
