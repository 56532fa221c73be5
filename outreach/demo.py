"""Demo records of outreach for `make run`, written through the services and idempotent: service-zone
articles, a recruitment event of 长春市 with its posts, a demonstration-unit nomination, a follow-up
contact, and the demo young person's preferences and consents. Then the matching indexes are filled."""

from datetime import date, timedelta

from jianxi_portal.core.models import Region, User
from outreach import articles, demonstration, events, followup, seekers
from outreach.models import Article, Event, FollowUpContact, Nomination
from positions.models import Post
from trainees.models import ConsentChange
from trainees.services.consent import consent_set
from units.models import Unit

ARTICLES = [
    (
        "policy",
        "就业见习政策解读（吉人社联〔2022〕79号）",
        "见习对象、见习期限、补贴标准一图读懂。",
        "<h3>谁可以参加</h3><ul><li>离校2年内未就业高校毕业生</li><li>离校2年内未就业中职（技工院校）毕业生</li>"
        "<li>16—24岁登记失业青年</li></ul><h3>补贴标准</h3><p>见习补贴按当地月最低工资标准发放："
        "高校和中职（技工院校）毕业生100%，失业青年60%；见习期满留用的，给予带教补贴。</p>",
    ),
    (
        "procedure",
        "见习单位申报与补贴申领流程",
        "单位注册、岗位发布、协议备案、补贴申领四步走。",
        "<ol><li>单位注册并提交审核（15个工作日内办结）</li><li>发布见习岗位，经市（州）审核后公开</li>"
        "<li>与见习人员签订见习协议并上报备案</li><li>按月申领见习补贴，审核通过后拨付</li></ol>",
    ),
    (
        "notice",
        "2026年百万就业见习岗位募集计划全面启动",
        "全省募集见习岗位1万个以上。",
        "<p>各市（州）人社部门要加大岗位募集力度，重点募集管理、技术、科研类岗位，确保见习岗位质量。</p>",
    ),
    (
        "story",
        "从见习生到技术骨干：小李的留用故事",
        "见习期满被单位留用，签订三年劳动合同。",
        "<p>2025年7月从长春工业大学毕业的小李，通过平台申请了汽车零部件企业的技术见习岗位。"
        "在带教老师指导下，他参与了两条产线的工艺改进，见习期满后被单位留用。</p>",
    ),
]


def _user(username):
    return User.objects.filter(username=username).first()


def _articles(province, city):
    for kind, title, summary, body in ARTICLES:
        if province is not None and not Article.objects.filter(title=title).exists():
            article = articles.article_create(by=province, kind=kind, title=title, summary=summary, body=body)
            articles.article_publish(article_id=article.pk, by=province)
    title = "长春市就业见习线上双选会报名通知"
    if city is not None and not Article.objects.filter(title=title).exists():
        article = articles.article_create(
            by=city,
            kind="notice",
            title=title,
            summary="12月中旬举办，欢迎报名。",
            body="<p>请有意向的见习单位和青年在平台报名参加。</p>",
        )
        articles.article_publish(article_id=article.pk, by=city)


def _event(city, today: date):
    title = "长春市冬季就业见习专场招募会"
    if city is None or Event.objects.filter(title=title).exists():
        return
    event = events.event_create(
        by=city,
        title=title,
        kind="special",
        place="长春市人力资源市场一楼大厅",
        starts_on=today + timedelta(days=10),
        description="现场提供见习岗位咨询、政策解读和简历指导。",
    )
    for post in Post.objects.published().filter(region_id=city.region_id).order_by("-published_on")[:3]:
        events.event_post_add(event_id=event.pk, post_id=post.pk, by=city)
    events.event_publish(event_id=event.pk, by=city)


def _nomination(province, today: date):
    year = today.year
    if province is None or Nomination.objects.filter(year=year).exists():
        return
    ranked = [r for r in demonstration.unit_rankings(year) if r.unit.status == Unit.Status.APPROVED]
    if ranked:
        demonstration.nomination_create(
            unit_id=ranked[0].unit.pk, year=year, by=province, note="岗位质量高、留用率高，带教制度健全。"
        )


def _follow_up(today: date):
    for code in Region.objects.values_list("code", flat=True):
        city = _user(f"city_{code}")
        if city is None:
            continue
        case = followup.follow_up_cases(city, today=today).filter(follow_ups__isnull=True).first()
        if case is not None and not FollowUpContact.objects.filter(placement=case).exists():
            followup.contact_record(
                placement_id=case.pk,
                by=city,
                method="phone",
                outcome="looking",
                contacted_on=max(case.ended_on, today - timedelta(days=3)),
                note="电话联系，推荐了三个在招岗位。",
            )


def load_demo(today: date):
    seekers.posts_reindex()
    seekers.seekers_refresh_all()
    province, city = _user("province"), _user("city_changchun")
    _articles(province, city)
    _event(city, today)
    _nomination(province, today)
    _follow_up(today)
    youth = _user("youth")
    profile = seekers.profile_for(youth) if youth is not None else None
    if profile is not None and not profile.categories:
        seekers.seeker_preferences_update(by=youth, regions=[profile.region_id], categories=["technical", "management"])
        # The demo person ticks the three boxes on their own page. Posts approved earlier in the demo
        # load are not pushed to them (a consent does not reach back: outreach.push), so the demo
        # leaves their weekly push limit untouched for a walk-through of invitations.
        consent_set(
            trainee_id=profile.trainee_id,
            by=youth,
            source=ConsentChange.Source.PROFILE,
            push=True,
            digest=True,
            employers=True,
        )
