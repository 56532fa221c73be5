"""Import and export of the unit register (见习单位, data exchange; DESIGN.md, Contracts).

Imports go row by row through `units.services.unit_create` / `unit_update` (every field rule, the
check digit, the one-unit-per-credit-code rule and the region rule live there); a row is matched to
an existing unit by its 统一社会信用代码."""

from django.core.exceptions import ValidationError

from exchange import exports, imports
from exchange.columns import Col, RegisterResource
from exchange.imports import CREATE, UNCHANGED, UPDATE, ParsedRow, ServiceImporter
from jianxi_portal.core.models import District
from units import services
from units.forms import UnitManageQuery
from units.models import Industry, Unit, UnitType
from units.permissions import region_staff
from units.selectors import units_managed

YES_NO = "填“是”或“否”，留空为“否”。"
INDUSTRY_ALIASES = {str(label).split(" ", 1)[1]: value for value, label in Industry.choices}
FLAGS = ("is_state_owned", "is_famous_manufacturer", "is_internet_major", "is_practice_base")


class UnitResource(RegisterResource):
    key_column = "统一社会信用代码"

    name = Col("name", "单位名称", required=True, max_length=100, width=28, example="长春市示例科技有限公司")
    credit_code = Col(
        "credit_code",
        "统一社会信用代码",
        required=True,
        width=22,
        example="91220101MA17A8K2X7",
        help="18位统一社会信用代码（GB 32100），系统校验第18位校验码；按此列匹配已登记的单位。",
    )
    unit_type = Col("unit_type", "单位性质", required=True, choices=UnitType.choices, width=14)
    industry = Col(
        "industry",
        "所属行业",
        required=True,
        choices=Industry.choices,
        aliases=INDUSTRY_ALIASES,
        width=24,
        help="行业门类（GB/T 4754-2017）：可填字母（如 C）、名称（如 制造业）或两者（C 制造业）。",
    )
    district = Col(
        "district",
        "区县",
        required=True,
        width=12,
        example="朝阳区",
        help="本市（州）内的区、县或县级市名称，如“朝阳区”。",
    )
    address = Col("address", "地址", required=True, max_length=200, width=30, example="长春市朝阳区人民大街1000号")
    contact_name = Col("contact_name", "联系人", required=True, max_length=50, width=10, example="张明")
    contact_phone = Col(
        "contact_phone", "联系人手机号码", required=True, width=14, example="13943100000", help="11位手机号码。"
    )
    employee_count = Col("employee_count", "职工人数", kind="int", width=10)
    is_state_owned = Col("is_state_owned", "国有企业专栏", kind="bool", help=YES_NO)
    is_famous_manufacturer = Col("is_famous_manufacturer", "制造业名企专栏", kind="bool", help=YES_NO)
    is_internet_major = Col("is_internet_major", "互联网大厂专栏", kind="bool", help=YES_NO)
    is_practice_base = Col("is_practice_base", "实习实训基地", kind="bool", help=YES_NO)
    description = Col("description", "单位简介", width=30)


@imports.register
class UnitImporter(ServiceImporter):
    """Units of the importer's region. A new credit code registers a draft unit; a known one of this
    region updates it while it is a draft or returned (an approved unit is changed in the browser,
    through review); an identical row changes nothing."""

    register = "units"
    title = "见习单位"
    resource = UnitResource
    error_columns = {"region": "区县", "__all__": ""}
    notes = ("导入的单位为草稿状态，需逐个提交审核；已通过审核的单位不能通过导入修改。",)

    def key(self, row: ParsedRow):
        return (row.data.get("credit_code") or "").strip().upper() or None

    def import_row(self, row: ParsedRow, by) -> str:
        values = self._values(row, by)
        existing = Unit.objects.filter(credit_code=values["credit_code"]).first()
        if existing is None:
            services.unit_create(by=by, **values)
            return CREATE
        if not region_staff(by, existing):
            raise ValidationError({"credit_code": services.DUPLICATE_CREDIT_CODE.format(code=values["credit_code"])})
        if all(
            getattr(existing, f if f != "district" else "district_id") == (v.pk if f == "district" else v)
            for f, v in values.items()
            if f != "region"
        ):
            return UNCHANGED
        services.unit_update(unit_id=existing.pk, by=by, **{k: v for k, v in values.items() if k != "region"})
        return UPDATE

    def _values(self, row: ParsedRow, by) -> dict:
        data = dict(row.data)
        name = data.pop("district")
        district = District.objects.filter(region_id=by.region_id, name=name).first()
        if district is None:
            raise ValidationError({"district": f"“{name}”不是{by.region.name}的区县，请填写本市（州）区县的名称。"})
        data["credit_code"] = data["credit_code"].strip().upper()
        data["employee_count"] = data["employee_count"] or 0
        for flag in FLAGS:
            data[flag] = bool(data[flag])
        return {**data, "district": district, "region": by.region}


class UnitExportResource(RegisterResource):
    name = Col("name", "单位名称", width=28)
    credit_code = Col("credit_code", "统一社会信用代码", width=22)
    unit_type = Col("unit_type", "单位性质", choices=UnitType.choices, width=14)
    industry = Col("industry", "所属行业", choices=Industry.choices, width=24)
    region = Col("region__name", "市（州）", width=12)
    district = Col("district__name", "区县", width=12)
    address = Col("address", "地址", width=30)
    contact_name = Col("contact_name", "联系人", width=10)
    contact_phone = Col("contact_phone", "联系人手机号码", width=14, personal=True)
    employee_count = Col("employee_count", "职工人数", kind="int", width=10)
    is_state_owned = Col("is_state_owned", "国有企业专栏", kind="bool")
    is_famous_manufacturer = Col("is_famous_manufacturer", "制造业名企专栏", kind="bool")
    is_internet_major = Col("is_internet_major", "互联网大厂专栏", kind="bool")
    is_practice_base = Col("is_practice_base", "实习实训基地", kind="bool")
    bank_name = Col("bank_name", "开户银行", width=24)
    bank_account = Col("bank_account", "银行账号", width=24, personal=True)
    status = Col("status", "状态", choices=Unit.Status.choices, width=10)
    first_approved_on = Col("first_approved_on", "首次通过日期", kind="date", width=12)
    revoked_on = Col("revoked_on", "撤销日期", kind="date", width=12)


@exports.register
class UnitExporter(exports.Exporter):
    """The unit list of the user's scope (city: its region; employer: its own unit; province and
    admin: all), with the list page's filters: status, region (province), search by name or code.
    Contact phones and bank accounts are full only for the unit's employer and its city (the rule
    in `jianxi_portal.core.personal`), masked for the province; the audit row counts the full ones."""

    register = "units"
    title = "见习单位目录"
    resource = UnitExportResource
    query_class = UnitManageQuery

    def base_queryset(self, user):
        return Unit.objects.visible_to(user).order_by("region__order", "name", "pk")

    def filter(self, qs, filters):
        return units_managed(qs, filters)
