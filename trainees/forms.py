"""Forms of the trainees pages. They only collect and type the values; the services apply the
rules and give the messages (copied onto the form with `form_errors_from`)."""

from django import forms

from accounts.passwords import password_rules_text
from jianxi_portal.core.models import Region
from jianxi_portal.core.personal import field_label
from jianxi_portal.core.query import QueryForm, choice_field, export_field, id_field, search_field
from jianxi_portal.core.review import ReviewStatus
from positions.models import Post
from trainees.models import Application, Mentor, Placement, Trainee, TraineeCategory, TrainingRecord
from trainees.services import consent
from trainees.services.register import EDUCATION_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _label(name: str) -> str:
    return field_label(Trainee, name)


class TraineeForm(forms.Form):
    """The register's fields, named as the model names them (`verbose_name`). On an edit, the ID
    number and phone are left blank unless corrected (the stored values are never put back into
    the page)."""

    name = forms.CharField(label=_label("name"), max_length=50)
    id_number = forms.CharField(
        label=_label("id_number"),
        max_length=18,
        help_text="18位，出生日期和性别由身份证号自动取得。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_label("phone"), max_length=11, widget=forms.TextInput(attrs={"type": "tel"}))
    category = forms.ChoiceField(label=_label("category"), choices=TraineeCategory.choices)
    school = forms.CharField(label=_label("school"), max_length=100, required=False)
    major = forms.CharField(label=_label("major"), max_length=100, required=False)
    education = forms.ChoiceField(label=_label("education"), choices=[("", "—")] + EDUCATION_CHOICES, required=False)
    left_school_on = date_field(_label("left_school_on"), required=False, help_text="以毕业证书日期为准；毕业生必填。")
    unemployment_registered = forms.BooleanField(label=_label("unemployment_registered"), required=False)
    employed = forms.BooleanField(label=_label("employed"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for field in ("id_number", "phone"):
                self.fields[field].required = False
                self.fields[field].help_text = "不修改请留空。"

    def service_values(self, values: dict | None = None) -> dict:
        values = dict(self.cleaned_data if values is None else values)
        for field in ("id_number", "phone"):
            if not values.get(field):
                values.pop(field, None)
        return values


class ProfileForm(TraineeForm):
    region = forms.ModelChoiceField(label="联系市（州）", queryset=Region.objects.all(), empty_label="请选择")


class YouthRegisterForm(ProfileForm):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录时使用，字母、数字或 @ . + - _；不要用手机号码或身份证号。"
    )
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    field_order = ["username", "password", "password2", "email", "name", "id_number", "phone", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's password rules in their own words (AUTH_PASSWORD_VALIDATORS), never a copy.
        self.fields["password"].help_text = password_rules_text(staff=False)
        self.fields.update(consent_fields())

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data

    def service_values(self, values: dict | None = None) -> dict:
        values = super().service_values(values)
        values.pop("password2", None)
        values["consents"] = {purpose: values.pop(f"consent_{purpose}", False) for purpose in consent.FIELDS}
        return values


def consent_fields(initial: dict | None = None) -> dict:
    """The three consent boxes, unticked unless `initial` says the person ticked them, each with
    what it allows in plain words (SECURITY.md "Consent")."""
    texts, labels = consent.explanations(), consent.labels()
    return {
        f"consent_{purpose}": forms.BooleanField(
            label=labels[purpose], help_text=texts[purpose], required=False, initial=bool((initial or {}).get(purpose))
        )
        for purpose in consent.FIELDS
    }


class ConsentForm(forms.Form):
    """A person's consents on their own page: the boxes show their current choices."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(consent_fields(current))

    def choices(self) -> dict:
        return {purpose: self.cleaned_data[f"consent_{purpose}"] for purpose in consent.FIELDS}


class LinkAccountForm(forms.Form):
    username = forms.CharField(
        label="青年账户用户名", max_length=150, help_text="本人持居民身份证到经办机构核实身份后，按其告知的用户名关联。"
    )


class ApplyForm(forms.Form):
    note = forms.CharField(
        label="留言（可选）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="简要介绍自己，例如所学专业、技能和可到岗时间。",
    )


class AgreementForm(forms.Form):
    """The dates and allowance of a new agreement; the planned end defaults to the post's duration."""

    signed_on = date_field("协议签订日期")
    planned_start = date_field("计划开始日期")
    planned_end = date_field("计划结束日期", required=False, help_text="留空则按岗位见习期限计算；期限应为3—12个月。")
    allowance = forms.DecimalField(
        label="单位发放生活补贴（元/月）",
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text="留空则按岗位标准；不得低于当地最低工资标准的规定比例。",
    )


class ContinueForm(AgreementForm):
    """接续见习: a post of another unit of the city's region, for the first agreement's remaining days."""

    post = forms.ModelChoiceField(label="接续见习岗位", queryset=Post.objects.none(), empty_label="请选择")
    opinion = forms.CharField(label="审批意见", max_length=200, required=False)

    field_order = ["post", "signed_on", "planned_start", "planned_end", "allowance", "opinion"]

    def __init__(self, *args, placement=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            Post.objects.visible_to(user)
            .filter(status=Post.Status.APPROVED)
            .exclude(unit_id=placement.unit_id)
            .select_related("unit")
            .order_by("unit__name", "title")
        )
        self.fields["post"].label_from_instance = lambda p: f"{p.unit.name} · {p.title}（{p.slots}人）"
        self.fields[
            "planned_end"
        ].help_text = f"留空则按原协议剩余期限（{placement.remaining_days} 天）计算；不能超过剩余期限。"


class DeclineForm(forms.Form):
    note = forms.CharField(label="说明（可选）", max_length=200, required=False)


class PlacementCreateForm(AgreementForm):
    """City offline channel: the trainee by ID number (looked up by its keyed digest), a post of the region."""

    # The trainee chosen on their page; "trainee" itself is left free for eligibility messages.
    trainee_pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label="见习人员身份证号", max_length=18, required=False, help_text="须为本市（州）已登记的见习人员。"
    )
    post = forms.ModelChoiceField(label="见习岗位", queryset=Post.objects.none(), empty_label="请选择")

    field_order = ["trainee_pk", "id_number", "post", "signed_on", "planned_start", "planned_end", "allowance"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            Post.objects.visible_to(user)
            .filter(status=Post.Status.APPROVED)
            .select_related("unit")
            .order_by("unit__name", "title")
        )
        self.fields["post"].label_from_instance = lambda p: f"{p.unit.name} · {p.title}（{p.slots}人）"


class StartForm(forms.Form):
    started_on = date_field("到岗日期")


class CompleteForm(forms.Form):
    ended_on = date_field("结业日期", help_text="期满结业日期即协议约定的计划结束日期。")


CONTRACT_TERM_HELP = "期限不限；签订1年以上劳动合同并缴纳社会保险的，计入带教补贴。"


class RetainForm(forms.Form):
    ended_on = date_field("留用日期", help_text="签订劳动合同、结束见习的日期，应早于计划结束日期。")
    contract_signed_on = date_field("劳动合同签订日期", required=False, help_text="留空则与留用日期相同。")
    contract_months = forms.IntegerField(
        label="劳动合同期限（月）", min_value=1, max_value=600, required=False, help_text=CONTRACT_TERM_HELP
    )
    contract_ends_on = date_field("劳动合同终止日期", required=False, help_text="与期限二选一填写即可。")
    social_insurance_paid = forms.BooleanField(
        label="已为其缴纳社会保险", required=False, help_text="如实填写；未缴纳也可登记留用。"
    )


class TerminateForm(forms.Form):
    ended_on = date_field("结束日期")
    end_reason = forms.ChoiceField(label="结束原因", choices=[("", "请选择")] + Placement.EndReason.choices)
    end_note = forms.CharField(label="说明", max_length=200, required=False, help_text="原因为“其他”时必填。")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="去向", choices=[("", "请选择")] + Placement.Outcome.choices)
    outcome_on = date_field("登记日期")
    contract_signed_on = date_field("劳动合同签订日期", required=False, help_text="留用时必填。")
    contract_months = forms.IntegerField(
        label="劳动合同期限（月）",
        min_value=1,
        max_value=600,
        required=False,
        help_text="留用时填写。" + CONTRACT_TERM_HELP,
    )
    contract_ends_on = date_field("劳动合同终止日期", required=False, help_text="留用时与期限二选一填写即可。")
    social_insurance_paid = forms.BooleanField(label="已缴纳社会保险（留用时）", required=False)
    other_employment_note = forms.CharField(
        label="其他就业方式说明",
        max_length=200,
        required=False,
        help_text="其他方式就业时必填，例如“考取事业单位”“自主创业”。",
    )


class CancelForm(forms.Form):
    cancelled_on = date_field("取消日期")
    reason = forms.CharField(label="取消原因", max_length=200)


class FilingForm(forms.Form):
    opinion = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="不通过或退回时必填。"
    )


class AllowanceChangeForm(forms.Form):
    """The unit's new monthly living allowance and the day it holds from; the service checks it
    against the floor (DESIGN.md, Subsidy rules)."""

    effective_from = date_field("调整生效日期")
    # Text, so the service's Chinese message names a negative or malformed amount.
    amount = forms.CharField(label="调整后生活补贴（元/月）", max_length=20)
    note = forms.CharField(label="说明", max_length=200, required=False)


class InsuranceForm(forms.Form):
    insurer = forms.CharField(label="承保公司", max_length=100)
    policy_no = forms.CharField(label="保单号", max_length=64)
    insured_from = date_field("保险起期")
    insured_to = date_field("保险止期")


class MentorAssignForm(forms.Form):
    mentor = forms.ModelChoiceField(label="带教老师", queryset=Mentor.objects.none(), empty_label="请选择")

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.filter(unit_id=unit_id, active=True)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label="培训类型", choices=TrainingRecord.Kind.choices)
    on = date_field("培训日期")
    content = forms.CharField(label="培训内容", max_length=200)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0)


class MentorForm(forms.Form):
    """On an edit the phone is left blank unless changed (the stored value never goes back into the
    page); the masked copy is named in the help text."""

    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20)
    max_trainees = forms.IntegerField(
        label="最多带教人数", required=False, min_value=1, max_value=20, help_text="留空则使用系统默认值。"
    )
    active = forms.BooleanField(label="在岗", required=False, initial=True)

    def __init__(self, *args, editing: bool = False, current_phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["phone"].required = False
            self.fields["phone"].help_text = f"当前：{current_phone or '—'}；不修改请留空。"


class InternshipForm(forms.Form):
    post = forms.ModelChoiceField(label="实习岗位", queryset=Post.objects.none(), empty_label="请选择")
    name = forms.CharField(label="学生姓名", max_length=50)
    id_number = forms.CharField(label="居民身份证号", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=11)
    category = forms.ChoiceField(
        label="学生类别",
        choices=[
            (TraineeCategory.COLLEGE_GRADUATE, "高校应届生"),
            (TraineeCategory.VOCATIONAL_GRADUATE, "中职（技工院校）应届生"),
        ],
    )
    school = forms.CharField(label="就读院校", max_length=100)
    major = forms.CharField(label="专业", max_length=100, required=False)
    education = forms.ChoiceField(label="学历", choices=[("", "—")] + EDUCATION_CHOICES, required=False)
    left_school_on = date_field("预计毕业日期")
    started_on = date_field("实习开始日期")
    planned_end = date_field("实习计划结束日期")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(
            unit_id=unit_id, also_internship=True, status=Post.Status.APPROVED
        ).order_by("title")


class InternshipEndForm(forms.Form):
    ended_on = date_field("实习结束日期")


class InternshipConvertForm(AgreementForm):
    post = forms.ModelChoiceField(
        label="见习岗位",
        queryset=Post.objects.none(),
        required=False,
        empty_label="原实习岗位",
        help_text="须为同一单位的岗位。",
    )

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(unit_id=unit_id, status=Post.Status.APPROVED)


MONTH_HELP = "格式 YYYY-MM"


MONTH_RE = r"^20\d{2}-(0[1-9]|1[0-2])$"  # a month of 2000–2099, the years the portal's records can have


class PlacementFilterForm(QueryForm):
    """Filters of the placement list, its Excel download and the API: one parser for all three."""

    UNFILED_ON_DUTY = "unfiled_on_duty"

    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + Placement.Status.choices)
    unit = id_field("见习单位", widget=forms.Select)
    category = forms.ChoiceField(label="人员类别", required=False, choices=[("", "全部")] + TraineeCategory.choices)
    started = forms.RegexField(
        label="到岗月份",
        regex=MONTH_RE,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": MONTH_HELP}),
        error_messages={"invalid": "到岗月份格式应为 YYYY-MM。"},
    )
    ended = forms.RegexField(
        label="结束月份",
        regex=MONTH_RE,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": MONTH_HELP}),
        error_messages={"invalid": "结束月份格式应为 YYYY-MM。"},
    )
    filing = forms.ChoiceField(
        label="备案",
        required=False,
        choices=[
            ("", "全部"),
            (ReviewStatus.DRAFT, "未上报"),
            (ReviewStatus.SUBMITTED, "待审核"),
            (ReviewStatus.APPROVED, "已备案"),
            (ReviewStatus.RETURNED, "已退回"),
            (ReviewStatus.REJECTED, "未通过"),
            (UNFILED_ON_DUTY, "在岗但未确认备案"),
        ],
    )
    region = forms.ChoiceField(label="市（州）", required=False)
    q = forms.CharField(label="姓名", required=False, max_length=50)
    export = export_field()

    def __init__(self, *args, units=(), show_region=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", "全部")] + [(u.pk, u.name) for u in units]
        if show_region:
            self.fields["region"].choices = [("", "全部")] + list(Region.objects.values_list("code", "name"))
        else:
            del self.fields["region"]


class TraineeQuery(QueryForm):
    """The trainee list's search: a full ID number, a mobile number or part of a name."""

    q = search_field("姓名、身份证号或手机号")
    category = choice_field("人员类别", TraineeCategory.choices)


class ApplicationQuery(QueryForm):
    status = choice_field("状态", Application.Status.choices)


class TraineeParam(QueryForm):
    """`?trainee=` of the offline agreement page (opened from a trainee's page)."""

    trainee = id_field("见习人员")
