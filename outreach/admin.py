"""Read-only admin views of outreach: every write carries rules and goes through the services (the
pages), never a raw admin save."""

from django.contrib import admin

from jianxi_portal.core.admin import ReadOnlyAdmin
from outreach.models import Article, Event, FollowUpContact, Nomination, PushLog, SeekerProfile


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "region", "starts_on", "status"]
    list_filter = ["status", "kind", "region"]
    list_select_related = ["region"]
    search_fields = ["title"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "region", "status", "published_at"]
    list_filter = ["status", "kind", "region"]
    list_select_related = ["region"]
    search_fields = ["title"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "note", "by", "created_at"]
    list_filter = ["year"]
    list_select_related = ["unit", "by"]


@admin.register(FollowUpContact)
class FollowUpContactAdmin(ReadOnlyAdmin):
    list_display = ["placement", "contacted_on", "method", "outcome", "outcome_on", "by"]
    list_filter = ["outcome", "method"]
    list_select_related = ["placement__trainee", "placement__post", "by"]


@admin.register(SeekerProfile)
class SeekerProfileAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "region", "major", "education_rank", "active", "push_enabled", "unsubscribed_at"]
    list_filter = ["region", "active", "push_enabled"]
    list_select_related = ["trainee", "region"]
    exclude = ["unsubscribe_token"]


@admin.register(PushLog)
class PushLogAdmin(ReadOnlyAdmin):
    list_display = ["profile", "kind", "post", "week_of", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["profile__trainee", "post"]
