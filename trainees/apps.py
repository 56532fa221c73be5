from importlib import import_module

from django.apps import AppConfig
from django.urls import reverse

AUDIT_EVENTS = {
    "id_number.view": "查看完整身份证号",
    "trainee.create": "登记见习人员",
    "trainee.update": "修改见习人员信息",
    "youth.register": "青年注册",
    "application.create": "提交见习申请",
    "application.accept": "录用见习申请",
    "application.decline": "不录用见习申请",
    "application.withdraw": "撤回见习申请",
    "placement.export": "导出见习协议清单",
    "placement.insurance": "登记意外伤害保险",
    "placement.training": "登记培训记录",
    "placement.allowance_change": "登记生活补贴调整",
    "mentor.create": "添加带教老师",
    "mentor.update": "修改带教老师",
    "transition.sign": "签订见习协议",
    "transition.start": "见习到岗",
    "transition.complete": "见习期满结业",
    "transition.retain": "提前留用",
    "transition.terminate": "见习非正常结束",
    "transition.outcome": "登记期满去向",
    "transition.cancel": "取消见习协议",
    "transition.mentor": "指定带教老师",
    "transition.intern": "登记实习",
    "transition.end": "结束实习",
    "transition.convert": "实习转见习",
}


def _decide_filing(pk, *, action, by, opinion=""):
    # apps.py loads before the app registry: the filing service (and its models) only at call time
    from trainees.services.filing import placement_filing

    return placement_filing(placement_id=pk, action=action, by=by, opinion=opinion)


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = "见习人员"

    def ready(self):
        # The per-record permissions (ARCHITECTURE.md, "One home for each kind of rule").
        import_module(f"{self.name}.permissions")
        # ready(): the app registry is loaded only now (models, services, signal receivers)
        from jianxi_portal.core import audit, review_queue
        from jianxi_portal.core.allowance import floor_may_have_risen
        from trainees.models import Placement
        from trainees.services.allowance import floor_rise_notify

        # A new wage version or floor rule: the agreements now below the floor are told to their
        # unit and city (DESIGN.md, Subsidy rules).
        floor_may_have_risen.connect(floor_rise_notify, dispatch_uid="trainees.floor_rise_notify")

        # Chinese names of this app's audit events, for the auditors' page (unknown codes show raw).
        for code, label in AUDIT_EVENTS.items():
            audit.EVENTS.setdefault(code, label)

        # Placement filings (上报备案) wait in the city's review queue beside units, posts and claims.
        review_queue.register(
            review_queue.QueueSource(
                key="filing",
                label="见习协议备案",
                model=Placement,
                title=lambda p: f"{p.trainee.name} · {p.unit.name} · {p.post.title}",
                url=lambda p: reverse("trainees:placement_detail", args=[p.pk]),
                select_related=("region", "trainee", "unit", "post"),
                # Decisions from the generic queue page go through the filing service: approval
                # re-checks eligibility and the agreement, and the unit is notified.
                decide=_decide_filing,
            )
        )
