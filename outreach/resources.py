"""Outreach exports through the project's export mechanism (`exchange`): the
demonstration-unit ranking of a year as the province sees it on its page (same year, region and
order), every text cell neutralised against formula injection by the writer."""

from django.utils import timezone

from exchange import exports
from exchange.columns import Col, RegisterResource
from exchange.xlsx import write_rows
from jianxi_portal.core.models import Region
from outreach import demonstration
from outreach.queries import RankingQuery
from units.models import Unit


class RankingResource(RegisterResource):
    position = Col("position", "综合排名", kind="int", width=8)
    unit = Col("unit", "见习单位", width=30)
    region = Col("region", "市（州）", width=12)
    retention = Col("retention", "留用率（%）", width=12)
    retention_rank = Col("retention_rank", "留用率名次", width=10)
    retained = Col("retained", "留用人数", kind="int", width=10)
    ended = Col("ended", "结束见习人数", kind="int", width=12)
    placed = Col("placed", "吸纳见习人数", kind="int", width=12)
    placed_rank = Col("placed_rank", "吸纳见习人数名次", width=14)
    slots = Col("slots", "募集岗位数", kind="int", width=10)
    slots_rank = Col("slots_rank", "募集岗位数名次", width=14)
    mtr_share = Col("mtr_share", "管理/技术/科研岗位占比（%）", width=16)
    mtr_rank = Col("mtr_rank", "占比名次", width=10)
    nominated = Col("nominated", "已推荐", width=8)


def _or_dash(value) -> str:
    """A missing figure or rank is written as "—", as on the page (never a number that looks real)."""
    return "—" if value is None else str(value)


class RankingExporter(exports.Exporter):
    """`?year=&region=&by=`: the rows of `outreach.demonstration.unit_rankings` in the page's order."""

    register = "demonstration"
    title = "示范单位评选排名"
    resource = RankingResource
    query_class = RankingQuery

    def may_export(self, user) -> bool:
        return bool(user and user.is_authenticated and (user.is_province or user.is_admin))

    def rankings(self, params) -> list[demonstration.UnitFigures]:
        query = self.filters(params)
        region = Region.objects.filter(code=query["region"]).first() if query["region"] else None
        return demonstration.unit_rankings(
            query["year"] or timezone.localdate().year,
            order=query["by"] or "overall",
            region_id=region.pk if region else None,
        )

    def base_queryset(self, user):
        # Only the count is read (small or job): the rows come from `rankings`.
        return Unit.objects.all()

    def queryset(self, user, params):
        return Unit.objects.filter(pk__in=[row.unit.pk for row in self.rankings(params)])

    def rows(self, qs, user, stats):
        for row in self.rankings(stats.pop("params")):
            yield (
                row.position,
                row.unit.name,
                row.unit.region.name,
                _or_dash(row.retention),
                _or_dash(row.ranks["retention"]),
                row.retained,
                row.ended,
                row.placed,
                _or_dash(row.ranks["placed"]),
                row.slots,
                _or_dash(row.ranks["posts"]),
                _or_dash(row.mtr_share),
                _or_dash(row.ranks["mtr"]),
                "是" if row.nomination else "否",
            )

    def write(self, path, *, user, params, progress=None):
        self.ensure_may_export(user)
        stats = {"params": exports.as_querydict(params)}
        count = write_rows(
            path,
            sheet_name=self.title,
            columns=[c.spec for c in self.columns()],
            rows=self.rows(None, user, stats),
            progress=progress,
        )
        self.after_export(user, count, params, stats)
        return count


exports.register(RankingExporter)
