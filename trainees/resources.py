"""Import and export of the trainee register and of placements (data exchange; DESIGN.md, Contracts).

The columns are django-import-export Resources; trainees import through the batched pipeline
(`BatchImporter`: the register service's validators per row, one existence query and bulk writes
per batch), placements through the placement services row by row (slots, eligibility and overlap
need the post's and the trainee's row locks)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from exchange import exports, imports
from exchange.columns import Col, RegisterResource
from exchange.imports import CREATE, UNCHANGED, UPDATE, BatchImporter, ParsedRow, ServiceImporter
from jianxi_portal.core import crypto
from jianxi_portal.core.audit import audit
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.validators import id_birth_date, id_sex
from trainees.forms import PlacementFilterForm, TraineeQuery
from trainees.models import Placement, Trainee, TraineeCategory
from trainees.permissions import region_staff
from trainees.selectors import placements_filtered, trainees_for
from trainees.services.events import EVENT_SERVICES
from trainees.services.placements import placement_create
from trainees.services.register import (
    EDUCATION_CHOICES,
    clean_id_number,
    clean_phone,
    clean_profile,
    duplicate_message,
    ensure_category_details,
)

YES_NO = "填“是”或“否”，留空为“否”。"


class TraineeResource(RegisterResource):
    key_column = "居民身份证号"

    name = Col("name", "姓名", required=True, max_length=50, width=10, example="李晓明")
    id_number = Col(
        "id_number",
        "居民身份证号",
        required=True,
        width=22,
        example="220104200203150024",
        help="18位居民身份证号码（最后一位可为X），系统校验校验位；出生日期和性别由身份证号得出。",
    )
    phone = Col("phone", "手机号码", required=True, width=14, example="13812340000", help="11位手机号码，以1开头。")
    category = Col("category", "人员类别", required=True, choices=TraineeCategory.choices, width=28)
    school = Col(
        "school", "毕业院校", max_length=100, width=20, example="吉林大学", help="高校、中职（技工院校）毕业生必填。"
    )
    major = Col("major", "专业", max_length=100, example="会计学")
    education = Col("education", "学历", choices=EDUCATION_CHOICES, width=10)
    left_school_on = Col(
        "left_school_on",
        "毕业（离校）日期",
        kind="date",
        width=14,
        help="以毕业证书日期为准，格式 YYYY-MM-DD；毕业生必填。",
    )
    unemployment_registered = Col("unemployment_registered", "已进行失业登记", kind="bool", help=YES_NO)
    employed = Col("employed", "已就业", kind="bool", help=YES_NO)


PROFILE = ("name", "category", "school", "major", "education", "left_school_on", "unemployment_registered", "employed")


@imports.register
class TraineeImporter(BatchImporter):
    """Trainees of the importer's region, matched by ID number (through its keyed digest). A number
    registered in another region is refused with the register's own message (naming only that
    region); a known number of this region updates the profile and phone."""

    register = "trainees"
    title = "见习人员"
    resource = TraineeResource
    error_columns = {"__all__": "", "region": ""}
    notes = ("见习人员登记在导入人员所属的市（州）。",)

    def clean(self, row: ParsedRow, by) -> None:
        data = row.data
        try:
            data["id_number"] = clean_id_number(data["id_number"])
        except ValidationError as exc:
            self.add_validation_error(row, exc)
        try:
            data["phone"] = clean_phone(data["phone"])
        except ValidationError as exc:
            self.add_validation_error(row, exc)
        for flag in ("unemployment_registered", "employed"):
            data[flag] = bool(data[flag])
        try:
            profile = clean_profile(
                {k: data[k] if data[k] is not None else "" for k in PROFILE if k != "left_school_on"}
                | {"left_school_on": data["left_school_on"]}
            )
            ensure_category_details(Trainee(**profile))
        except ValidationError as exc:
            self.add_validation_error(row, exc)
            return
        if not row.errors:
            row.data = {
                "profile": profile,
                "id_number": data["id_number"],
                "phone": data["phone"],
                "digest": crypto.digest(data["id_number"]),
                "phone_digest": crypto.digest(data["phone"]),
            }

    def key(self, row: ParsedRow):
        return row.data["digest"]

    def existing(self, keys: set, by) -> dict:
        found = Trainee.objects.filter(id_number_digest__in=keys).select_related("region")
        return {t.id_number_digest: t for t in found}

    def plan(self, row: ParsedRow, record: Trainee | None, by) -> None:
        if record is None:
            row.action = CREATE
            return
        if not region_staff(by, record):
            row.error(self.resource.key_column, duplicate_message(record, by=by, via="import"))
            return
        profile = row.data["profile"]
        changed = [f for f, v in profile.items() if getattr(record, f) != v]
        if record.phone_digest != row.data["phone_digest"]:
            changed.append("phone")
        row.action, row.target = (UPDATE, (record, changed)) if changed else (UNCHANGED, None)

    def write(self, creates: list[ParsedRow], updates: list[ParsedRow], by) -> None:
        new = [self._new_trainee(r, by) for r in creates]
        Trainee.objects.bulk_create(new, batch_size=500)
        changed_fields = set()
        records = []
        now = timezone.now()
        for row in updates:
            record, changed = row.target
            for field in changed:
                if field == "phone":
                    record.phone = row.data["phone"]
                    changed_fields.update({"phone_cipher", "phone_digest", "phone_masked"})
                else:
                    setattr(record, field, row.data["profile"][field])
                    changed_fields.add(field)
            record.updated_at = now  # bulk_update does not touch auto_now fields
            records.append(record)
        if records:
            Trainee.objects.bulk_update(records, sorted(changed_fields | {"updated_at"}), batch_size=500)
        if new or records:
            audit(
                "trainee.import",
                user=by,
                detail={"created": len(new), "updated": len(records), "region": by.region.code if by.region else ""},
            )

    def _new_trainee(self, row: ParsedRow, by) -> Trainee:
        number = row.data["id_number"]
        trainee = Trainee(region_id=by.region_id, created_by=by, **row.data["profile"])
        trainee.id_number = number
        trainee.phone = row.data["phone"]
        trainee.birth_date, trainee.sex = id_birth_date(number), id_sex(number)
        return trainee


class TraineeExportResource(RegisterResource):
    name = Col("name", "姓名", width=10)
    id_number = Col("id_number", "居民身份证号", width=22, personal=True)
    sex = Col("sex", "性别", choices=[("M", "男"), ("F", "女")], width=6)
    birth_date = Col("birth_date", "出生日期", kind="date", width=12)
    phone = Col("phone", "手机号码", width=14, personal=True)
    category = Col("category", "人员类别", choices=TraineeCategory.choices, width=28)
    school = Col("school", "毕业院校", width=20)
    major = Col("major", "专业")
    education = Col("education", "学历", choices=EDUCATION_CHOICES, width=10)
    left_school_on = Col("left_school_on", "毕业（离校）日期", kind="date", width=14)
    unemployment_registered = Col("unemployment_registered", "已进行失业登记", kind="bool")
    employed = Col("employed", "已就业", kind="bool")
    region = Col("region__name", "联系市（州）", width=12)
    created_at = Col("created_at", "登记时间", kind="date", width=12)


@exports.register
class TraineeExporter(exports.Exporter):
    """The trainee list as the user sees it. ID numbers and phones are masked, except for city staff
    of the trainee's own region (the rule in `jianxi_portal.core.personal`): the export's audit row
    counts the full values it wrote."""

    register = "trainees"
    title = "见习人员"
    resource = TraineeExportResource
    query_class = TraineeQuery

    def base_queryset(self, user):
        return Trainee.objects.visible_to(user)

    def queryset(self, user, params):
        """The trainee list's own selector and filters (search by name or full ID number, category)."""
        filters = self.filters(params)
        return trainees_for(user, q=filters["q"], category=filters["category"]).order_by("-created_at", "-pk")


class PlacementResource(RegisterResource):
    key_column = "居民身份证号"

    id_number = Col(
        "id_number",
        "居民身份证号",
        required=True,
        width=22,
        example="220104200203150024",
        help="见习人员的身份证号；该人员须已在本市（州）登记（可先导入见习人员）。",
    )
    post_id = Col(
        "post_id",
        "岗位编号",
        kind="int",
        required=True,
        width=10,
        help="本市（州）已发布岗位的岗位编号（见岗位清单导出的“岗位编号”列）。",
    )
    signed_on = Col(
        "signed_on",
        "协议签订日期",
        kind="date",
        required=True,
        width=12,
        help="按此日期审核见习人员资格（离校2年内、16—24岁等）。",
    )
    planned_start = Col("planned_start", "计划开始日期", kind="date", required=True, width=12)
    planned_end = Col("planned_end", "计划结束日期", kind="date", width=12, help="留空则按岗位的见习期限计算。")
    allowance = Col(
        "allowance",
        "单位发放生活补贴（元/月）",
        kind="money",
        width=14,
        help="留空则取岗位的生活补贴；不得低于当地最低工资标准的规定比例。",
    )
    started_on = Col("started_on", "到岗日期", kind="date", width=12, help="已到岗的填写，登记“到岗”。")
    end = Col("end", "结束方式", choices=Placement.End.choices, width=10, help="已结束的填写，同时填写“结束日期”。")
    ended_on = Col("ended_on", "结束日期", kind="date", width=12, help="期满、提前留用或非正常结束的日期。")
    end_reason = Col("end_reason", "非正常结束原因", choices=Placement.EndReason.choices, width=12)
    end_note = Col("end_note", "结束说明", max_length=200, width=20, help="非正常结束原因为“其他”时必填。")
    outcome = Col("outcome", "期满去向", choices=Placement.Outcome.choices, width=12, help="期满结业后填写。")
    outcome_on = Col("outcome_on", "去向登记日期", kind="date", width=12)
    contract_signed_on = Col(
        "contract_signed_on", "劳动合同签订日期", kind="date", width=14, help="留用（含提前留用）时填写。"
    )
    contract_months = Col(
        "contract_months", "劳动合同期限（月）", kind="int", width=12, help="留用时填写期限或终止日期；期限不限。"
    )
    contract_ends_on = Col("contract_ends_on", "劳动合同终止日期", kind="date", width=14, help="留用时可代替期限填写。")
    social_insurance_paid = Col("social_insurance_paid", "已缴纳社会保险", kind="bool", help=YES_NO)
    other_employment_note = Col("other_employment_note", "其他就业方式说明", max_length=200, width=20)


def _same(current, given) -> bool:
    return given in (None, "") or current == given


@imports.register
class PlacementImporter(ServiceImporter):
    """Placements (见习协议) signed offline and their events, row by row through the placement
    services: `placement_create` (eligibility on the signing date, slots under the post's lock, no
    overlap, allowance floor), then `placement_start`, `placement_complete` / `placement_retain` /
    `placement_terminate` and `placement_record_outcome` for the events the row records that the
    placement has not had yet. A row matches the trainee's agreement on the same post; what was
    already recorded is compared, never changed."""

    register = "placements"
    title = "见习协议"
    resource = PlacementResource
    error_columns = {"trainee": "居民身份证号", "post": "岗位编号", "__all__": ""}
    notes = (
        "按“居民身份证号 + 岗位编号”匹配已录入的见习协议：已登记的事件不会重复登记，"
        "新增的事件（到岗、结束、去向）按顺序办理。",
    )

    def key(self, row: ParsedRow):
        return (crypto.digest(row.data.get("id_number") or ""), row.data.get("post_id"))

    def import_row(self, row: ParsedRow, by) -> str:
        data = row.data
        trainee = Trainee.objects.filter(
            id_number_digest__in=crypto.digests(data["id_number"].strip().upper()), region_id=by.region_id
        ).first()
        if trainee is None:
            raise ValidationError({"trainee": "本市（州）没有登记该身份证号的见习人员，请先导入或登记见习人员。"})
        existing = (
            Placement.objects.filter(trainee=trainee, post_id=data["post_id"])
            .exclude(status=Placement.Status.CANCELLED)
            .first()
        )
        if existing is None:
            placement = placement_create(
                trainee_id=trainee.pk,
                post_id=data["post_id"],
                signed_on=data["signed_on"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                allowance=data["allowance"],
                by=by,
            )
            self._events(placement, data, by)
            return CREATE
        self._ensure_same_agreement(existing, data)
        return UPDATE if self._events(existing, data, by) else UNCHANGED

    def _ensure_same_agreement(self, placement, data) -> None:
        for field in ("signed_on", "planned_start", "planned_end", "allowance"):
            if not _same(getattr(placement, field), data[field]):
                raise ValidationError(
                    {
                        field: f"该人员在该岗位已有见习协议，{self.resource.column_for(field)}为"
                        f"“{getattr(placement, field)}”；已签订的协议不能通过导入修改。"
                    }
                )

    def _events(self, placement, data, by) -> bool:
        """Record the row's events the placement has not had; True when any was recorded."""
        changed = False
        if data["started_on"]:
            if placement.started_on is None:
                placement = EVENT_SERVICES["start"](placement_id=placement.pk, started_on=data["started_on"], by=by)
                changed = True
            elif placement.started_on != data["started_on"]:
                raise ValidationError(
                    {"started_on": f"到岗日期已登记为 {placement.started_on:%Y-%m-%d}，不能通过导入修改。"}
                )
        if data["end"]:
            changed |= self._end(placement, data, by)
            placement.refresh_from_db()
        if data["outcome"] and placement.end == Placement.End.COMPLETED:
            if not placement.outcome:
                EVENT_SERVICES["outcome"](
                    placement_id=placement.pk,
                    outcome=data["outcome"],
                    outcome_on=data["outcome_on"] or placement.ended_on,
                    contract_signed_on=data["contract_signed_on"],
                    contract_months=data["contract_months"],
                    contract_ends_on=data["contract_ends_on"],
                    social_insurance_paid=bool(data["social_insurance_paid"]),
                    other_employment_note=data["other_employment_note"],
                    by=by,
                )
                changed = True
            elif placement.outcome != data["outcome"]:
                raise ValidationError(
                    {"outcome": f"期满去向已登记为“{placement.get_outcome_display()}”，不能通过导入修改。"}
                )
        return changed

    def _end(self, placement, data, by) -> bool:
        if placement.end:
            if placement.end != data["end"] or not _same(placement.ended_on, data["ended_on"]):
                raise ValidationError(
                    {
                        "end": f"该见习协议已于 {placement.ended_on:%Y-%m-%d} 以"
                        f"“{placement.get_end_display()}”结束，不能通过导入修改。"
                    }
                )
            return False
        if data["ended_on"] is None:
            raise ValidationError({"ended_on": "填写了结束方式时必须填写结束日期。"})
        common = {"placement_id": placement.pk, "ended_on": data["ended_on"], "by": by}
        if data["end"] == Placement.End.COMPLETED:
            EVENT_SERVICES["complete"](**common)
        elif data["end"] == Placement.End.EARLY_RETAINED:
            EVENT_SERVICES["retain"](
                **common,
                contract_signed_on=data["contract_signed_on"],
                contract_months=data["contract_months"],
                contract_ends_on=data["contract_ends_on"],
                social_insurance_paid=bool(data["social_insurance_paid"]),
            )
        else:
            EVENT_SERVICES["terminate"](**common, end_reason=data["end_reason"] or "", end_note=data["end_note"])
        return True


class PlacementExportResource(RegisterResource):
    name = Col("trainee__name", "姓名", width=10)
    id_number = Col("trainee__id_number_masked", "居民身份证号", width=22)
    category = Col("category", "人员类别", choices=TraineeCategory.choices, width=28)
    region = Col("region__name", "市（州）", width=12)
    unit = Col("unit__name", "见习单位", width=28)
    post_id = Col("post_id", "岗位编号", kind="int", width=10)
    post = Col("post__title", "见习岗位", width=20)
    signed_on = Col("signed_on", "协议签订日期", kind="date", width=12)
    planned_start = Col("planned_start", "计划开始日期", kind="date", width=12)
    planned_end = Col("planned_end", "计划结束日期", kind="date", width=12)
    allowance = Col("allowance", "单位发放生活补贴（元/月）", kind="money", width=14)
    started_on = Col("started_on", "到岗日期", kind="date", width=12)
    ended_on = Col("ended_on", "结束日期", kind="date", width=12)
    end = Col("end", "结束方式", choices=Placement.End.choices, width=10)
    outcome = Col("outcome", "期满去向", choices=Placement.Outcome.choices, width=12)
    status = Col("status", "状态", choices=Placement.Status.choices, width=10)
    filing_status = Col("filing_status", "备案状态", choices=ReviewStatus.choices, width=10)


@exports.register
class PlacementExporter(exports.Exporter):
    """Placements of the user's scope, filtered exactly as the placement list (the list's own
    `PlacementFilterForm` and `placements_filtered`). ID numbers are masked: a list is never a full
    view (the register's rule for lists)."""

    register = "placements"
    title = "见习协议"
    resource = PlacementExportResource
    query_class = PlacementFilterForm
    query_kwargs = {"show_region": True}

    def base_queryset(self, user):
        return Placement.objects.visible_to(user).order_by("-signed_on", "-pk")

    def filter(self, qs, filters):
        return placements_filtered(qs, filters)
