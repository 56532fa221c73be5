"""Import and export of the post list (见习岗位, data exchange; DESIGN.md, Contracts).

Imports go row by row through `positions.services.post_create` / `post_update`: slots, the 3–12
month duration, the allowance floor (60% of the district's minimum wage, `allowance_floor`), the
closing date and the editor's rights live there. A row is matched by 岗位编号 when given, otherwise
by the unit's credit code and the post title (the stable key of an offline list)."""

from django.core.exceptions import ValidationError

from exchange import exports, imports
from exchange.columns import Col, RegisterResource
from exchange.imports import CREATE, UNCHANGED, UPDATE, ParsedRow, ServiceImporter
from jianxi_portal.core.models import District
from positions import services
from positions.forms import PostManageQuery
from positions.models import Education, Post, PostCategory
from positions.selectors import posts_managed
from units.models import Unit

COMPARED = (
    "title",
    "category",
    "slots",
    "duration_months",
    "allowance",
    "majors",
    "education",
    "description",
    "closing_date",
    "also_internship",
)


class PostResource(RegisterResource):
    key_column = "岗位编号"

    post_id = Col(
        "post_id",
        "岗位编号",
        kind="int",
        width=10,
        help="修改已导入的岗位时填写系统中的岗位编号；新增岗位留空（按单位和岗位名称匹配）。",
    )
    credit_code = Col(
        "credit_code",
        "单位统一社会信用代码",
        required=True,
        width=22,
        example="91220101MA17A8K2X7",
        help="本市（州）已登记的见习单位的统一社会信用代码。",
    )
    title = Col("title", "岗位名称", required=True, max_length=100, width=20, example="行政助理见习岗位")
    category = Col("category", "岗位类别", required=True, choices=PostCategory.choices, width=10)
    slots = Col("slots", "岗位数（人）", kind="int", required=True, width=10, example="2", help="招募人数，至少1人。")
    duration_months = Col(
        "duration_months", "见习期限（月）", kind="int", required=True, width=10, example="6", help="3至12个月。"
    )
    allowance = Col(
        "allowance",
        "单位发放生活补贴（元/月）",
        kind="money",
        required=True,
        width=14,
        help="不得低于工作地点当地最低工资标准的规定比例。",
    )
    district = Col(
        "district", "工作地点（区县）", required=True, width=14, example="朝阳区", help="本市（州）内的区县名称。"
    )
    majors = Col("majors", "专业要求", max_length=200, width=20, example="行政管理、文秘")
    education = Col("education", "学历要求", choices=Education.choices, width=10, help="留空为“不限”。")
    description = Col("description", "岗位描述", width=30)
    closing_date = Col(
        "closing_date",
        "截止日期",
        kind="date",
        width=12,
        help="格式 YYYY-MM-DD，晚于今天且不超过12个月；留空则长期有效。",
    )
    also_internship = Col("also_internship", "同时作为实习岗位", kind="bool", help="填“是”或“否”。")


@imports.register
class PostImporter(ServiceImporter):
    """Posts of the importer's region's units, as drafts; an existing draft or returned post is
    updated, an identical row changes nothing, a published post is changed only through review."""

    register = "posts"
    title = "见习岗位"
    resource = PostResource
    error_columns = {"unit": "单位统一社会信用代码", "__all__": ""}
    notes = ("导入的岗位为草稿状态，单位审核通过后逐个提交审核；已发布的岗位不能通过导入修改。",)

    def key(self, row: ParsedRow):
        if row.data.get("post_id"):
            return ("id", row.data["post_id"])
        return ("unit_title", (row.data.get("credit_code") or "").strip().upper(), row.data.get("title"))

    def import_row(self, row: ParsedRow, by) -> str:
        data = dict(row.data)
        unit = self._unit(data.pop("credit_code"), by)
        post_id = data.pop("post_id")
        data["district"] = self._district(data["district"], by)
        data["education"] = data["education"] or Education.ANY
        data["also_internship"] = bool(data["also_internship"])
        existing = self._existing(post_id, unit, data["title"], by)
        if existing is None:
            services.post_create(by=by, unit_id=unit.pk, **data)
            return CREATE
        if existing.district_id == data["district"].pk and all(getattr(existing, f) == data[f] for f in COMPARED):
            return UNCHANGED
        services.post_update(post_id=existing.pk, by=by, **data)
        return UPDATE

    def _unit(self, code: str, by) -> Unit:
        unit = Unit.objects.filter(credit_code=code.strip().upper(), region_id=by.region_id).first()
        if unit is None:
            raise ValidationError({"unit": f"{by.region.name}没有统一社会信用代码为“{code}”的见习单位，请先登记单位。"})
        return unit

    def _district(self, name: str, by) -> District:
        district = District.objects.filter(region_id=by.region_id, name=name).first()
        if district is None:
            raise ValidationError({"district": f"“{name}”不是{by.region.name}的区县，请填写本市（州）区县的名称。"})
        return district

    def _existing(self, post_id, unit: Unit, title: str, by) -> Post | None:
        if post_id:
            post = Post.objects.visible_to(by).filter(pk=post_id).first()
            if post is None or post.unit_id != unit.pk:
                raise ValidationError({"post_id": f"岗位编号 {post_id} 不存在，或不属于该单位。"})
            return post
        return Post.objects.filter(unit=unit, title=title).exclude(status=Post.Status.CLOSED).order_by("-pk").first()


class PostExportResource(RegisterResource):
    post_id = Col("id", "岗位编号", kind="int", width=10)
    unit = Col("unit__name", "见习单位", width=28)
    credit_code = Col("unit__credit_code", "单位统一社会信用代码", width=22)
    region = Col("region__name", "市（州）", width=12)
    district = Col("district__name", "工作地点（区县）", width=14)
    title = Col("title", "岗位名称", width=20)
    category = Col("category", "岗位类别", choices=PostCategory.choices, width=10)
    slots = Col("slots", "岗位数（人）", kind="int", width=10)
    duration_months = Col("duration_months", "见习期限（月）", kind="int", width=10)
    allowance = Col("allowance", "单位发放生活补贴（元/月）", kind="money", width=14)
    majors = Col("majors", "专业要求", width=20)
    education = Col("education", "学历要求", choices=Education.choices, width=10)
    also_internship = Col("also_internship", "同时作为实习岗位", kind="bool")
    status = Col("status", "状态", choices=Post.Status.choices, width=10)
    published_on = Col("published_on", "发布日期", kind="date", width=12)
    closing_date = Col("closing_date", "截止日期", kind="date", width=12)
    closed_on = Col("closed_on", "关闭日期", kind="date", width=12)


@exports.register
class PostExporter(exports.Exporter):
    """The post list of the user's scope with the management list's filters (status, region for
    the province, search in title and unit name, category)."""

    register = "posts"
    title = "见习岗位清单"
    resource = PostExportResource
    query_class = PostManageQuery

    def base_queryset(self, user):
        return Post.objects.visible_to(user).order_by("-pk")

    def filter(self, qs, filters):
        return posts_managed(qs, filters)
