"""One append-only audit trail. `audit()` records who did what to which object from where; it takes
ids and event names only, never personal values (ID numbers, phones, bank accounts): any that
slip into `detail` are masked. Every full view of one (`jianxi_portal.core.personal.shown`) is a
`<kind>.view` row naming the object and the channel. Denied accesses of signed-in people (403,
and the 404 that scoping answers for another region's record) are recorded by
`DeniedAccessAuditMiddleware`.

Records are immutable on PostgreSQL (trigger of migration 0005); `manage.py purge_audit` deletes
only rows older than the retention period (at least 183 days, 网络安全法 art. 21)."""

import threading
from contextlib import contextmanager

from django.apps import apps

from jianxi_portal.core import workflow
from jianxi_portal.core.middleware import current_request
from jianxi_portal.core.models import AuditLog
from jianxi_portal.core.privacy import scrub, scrub_value

RESULTS = {"ok": "成功", "failed": "失败", "denied": "拒绝"}
# Chinese names of the events the core writes, for the auditors' page and export (apps add more
# events; an unknown code is shown as it is).
EVENTS = {
    "login.success": "登录成功",
    "login.failure": "登录失败",
    "login.lockout": "账户锁定",
    "login.locked": "锁定期间尝试登录",
    "login.unlock": "解除锁定",
    "logout": "退出登录",
    "password.change": "修改密码",
    "password.reset_request": "申请重置密码（邮件）",
    "password.reset": "通过邮件重置密码",
    "password.admin_reset": "管理员重置密码",
    "session.idle_timeout": "闲置超时退出",
    "session.expired": "登录满 12 小时退出",
    "session.revoked": "会话已失效",
    "2fa.enrol": "绑定身份验证器",
    "2fa.replace": "更换身份验证器",
    "2fa.verify": "双因素认证通过",
    "2fa.failure": "双因素认证失败",
    "2fa.reset": "重置双因素认证",
    "2fa.recovery_codes_reset": "重新生成恢复码",
    "token.issue": "签发 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "token.revoke_all": "吊销全部 API 令牌",
    "user.create": "创建账户",
    "user.permission_change": "角色或权限变更",
    "access.denied": "拒绝访问",
    "audit.export": "导出审计日志",
    "audit.purge": "清理过期审计日志",
    "personal.rotate_key": "更换个人信息加密密钥",
    "quota.update": "修改年度指标",
    "calendar.override": "调整节假日",
    "calendar.override_delete": "删除节假日调整",
    "calendar.arrangement": "录入年度节假日安排",
    "calendar.year_complete": "确认年度节假日安排已完整",
    "calendar.year_reopen": "重新打开年度节假日安排",
    "deadline.recompute": "重新计算审核期限",
    "programme_year.open": "开启项目年度",
    "wage.version_create": "新增最低工资标准",
    "allowance_floor.add": "新增生活补贴下限",
    "id_number.view": "查看完整身份证号",
    "phone.view": "查看完整电话号码",
    "bank_account.view": "查看完整银行账号",
    "review.denied": "审核被拒绝（无权限）",
    "backup.test": "备份测试",
    "account.register": "注册账户",
    "youth.register": "青年注册",
    "unit.create": "登记见习单位",
    "unit.update": "修改见习单位",
    "unit.payee_update": "修改收款账户",
    "unit.payee_denied": "修改收款账户被拒绝",
    "unit.edit_denied": "修改见习单位被拒绝",
    "unit.attachment_add": "上传单位附件",
    "unit.attachment_view": "查看单位附件",
    "unit.attachment_delete": "删除单位附件",
    "post.create": "新增见习岗位",
    "post.update": "修改见习岗位",
    "post.edit_denied": "修改见习岗位被拒绝",
    "post.close_denied": "关闭见习岗位被拒绝",
    "trainee.create": "登记见习人员",
    "trainee.update": "修改见习人员",
    "trainee.lookup_elsewhere": "查到其他市（州）已登记的身份证号",
    "trainee.link_account": "关联青年账户",
    "trainee.import": "导入见习人员",
    "mentor.create": "新增带教老师",
    "mentor.update": "修改带教老师",
    "application.create": "提交见习申请",
    "application.accept": "接受见习申请",
    "application.decline": "婉拒见习申请",
    "application.withdraw": "撤回见习申请",
    "placement.training": "登记岗前培训",
    "placement.insurance": "登记意外伤害保险",
    "placement.export": "导出见习协议",
    "claim.create": "新建补贴申领",
    "claim.regenerate": "重新计算补贴申领",
    "claim.delete": "删除补贴申领",
    "disbursement.record": "登记补贴拨付",
    "disbursement.export": "导出拨付记录",
    "subsidy_rule.add": "新增补贴规则版本",
    "annex1.export": "导出年度指标（附件1）",
    "annex1.baseline": "设置年度指标基数",
    "annex2.generate": "生成月报（附件2）",
    "annex2.prepare": "准备月报（附件2）",
    "annex2.recompute": "重新计算月报（附件2）",
    "annex2.adjust": "调整月报数值",
    "annex2.export": "导出月报（附件2）",
    "exchange.export": "导出数据",
    "outreach.push": "精准推送岗位",
    "outreach.invite": "邀请青年申请",
    "seeker.preferences": "修改求职意向",
    "seeker.unsubscribe": "退订推送",
    "followup.contact": "登记跟踪联系",
    "event.create": "新建招聘活动",
    "event.update": "修改招聘活动",
    "event.publish": "发布招聘活动",
    "event.cancel": "取消招聘活动",
    "event.apply": "通过招聘活动申请岗位",
    "event.post_add": "招聘活动添加岗位",
    "event.post_remove": "招聘活动移除岗位",
    "event.signup": "报名参加招聘活动",
    "event.signup_cancel": "取消招聘活动报名",
    "event.check_in": "招聘活动签到",
    "event.booth_confirm": "单位确认参加招聘活动",
    "outreach.event_push": "推送招聘活动",
    "outreach.hand_push": "手动推送",
    "trainee.consent": "修改信息使用授权",
    "article.create": "新建服务专区文章",
    "article.update": "修改服务专区文章",
    "article.publish": "发布服务专区文章",
    "article.unpublish": "撤下服务专区文章",
    "article.file_add": "上传文章附件",
    "article.file_delete": "删除文章附件",
    "nomination.create": "推荐示范单位",
    "nomination.withdraw": "撤回示范单位推荐",
}
# Events named from a workflow's action (`transition.<action>`, `unit.<action>_denied`): the
# action's Chinese name is put into a phrase. The review's actions read as the review's phrases;
# every other action by its label in the declared machines (jianxi_portal.core.workflow).
ACTION_NAMES = {"submit": "提交审核", "approve": "审核通过", "reject": "审核不通过", "return": "退回修改"}


def _action_name(action: str) -> str | None:
    return ACTION_NAMES.get(action) or workflow.any_label(action)


def event_label(code: str) -> str:
    """The Chinese name of an audit event code, as the auditors' page and export show it."""
    if code in EVENTS:
        return EVENTS[code]
    prefix, _, action = code.partition(".")
    if prefix == "transition" and _action_name(action):
        return _action_name(action)
    if prefix == "unit" and action.endswith("_denied") and _action_name(action[:-7]):
        return f"{_action_name(action[:-7])}见习单位被拒绝"
    return code


def object_label(object_type: str, object_id: str) -> str:
    """「见习岗位（编号 18）」 for `positions.post` #18: the model's Chinese name (its verbose_name)."""
    if not object_type:
        return ""

    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = object_type
    return f"{name}（编号 {object_id}）" if object_id else name


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(event: str, *, user=None, obj=None, result: str = "ok", detail: dict | None = None) -> AuditLog:
    request = current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    region = getattr(user, "region", None) if user is not None else None
    return AuditLog.objects.create(
        user=user,
        username=scrub(getattr(user, "username", "") or ""),
        role=getattr(user, "role", "") or "",
        region_code=region.code if region is not None else "",
        ip=_client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        detail=scrub_value(detail or {}),
    )


_kept = threading.local()


@contextmanager
def keeping_audits():
    """Rows given to `audit_kept` inside this block are written when it ends, after the
    transactions opened inside it committed or rolled back (nested blocks: the outermost writes)."""
    outer = getattr(_kept, "rows", None)
    if outer is None:
        _kept.rows = []
    try:
        yield
    finally:
        if outer is None:
            rows, _kept.rows = _kept.rows, None
            for kwargs in rows:
                audit(**kwargs)


def audit_kept(event: str, *, user, obj=None, result: str = "ok", detail: dict | None = None) -> None:
    """An audit row that must outlive a refusal's rolled-back transaction — the refusal told someone
    something (SECURITY.md, "ID numbers": that a person is registered in another region). Inside
    `keeping_audits` (every request, every import run) it is written when that block ends; elsewhere
    at once."""
    row = {"event": event, "user": user, "obj": obj, "result": result, "detail": detail}
    rows = getattr(_kept, "rows", None)
    if rows is None:
        audit(**row)
    else:
        rows.append(row)


class DeniedAccessAuditMiddleware:
    """A signed-in person answered 403 or 404 is an access attempt outside their rights (scoping
    answers 404 for another region's record): one `access.denied` row, with the method, the path
    (no query string: it may carry search terms) and the status."""

    STATUSES = (403, 404)
    # What browsers ask for by themselves is not an access attempt.
    IGNORED = ("/favicon.ico", "/robots.txt", "/apple-touch-icon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with keeping_audits():
            response = self.get_response(request)
        if response.status_code in self.STATUSES and not request.path.startswith(self.IGNORED):
            audit_denied(request, response.status_code)
        return response


def audit_denied(request, status: int) -> None:
    """One `access.denied` row for a signed-in person refused at `request` (the middleware for a
    403/404 answer; a page that shows a service's refusal as a message calls it itself, after the
    service's transaction, and with it any row the service wrote, was rolled back)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit(
            "access.denied",
            user=user,
            result="denied",
            detail={"method": request.method, "path": request.path[:300], "status": status},
        )
