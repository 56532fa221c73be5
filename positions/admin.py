"""Read-only admin views of posts: creation, review, publication and closing carry rules and go
through `positions.services` (pages and API), never a raw admin save."""

from django.contrib import admin

from jianxi_portal.core.admin import ReadOnlyAdmin
from positions.models import Post


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "unit",
        "region",
        "slots",
        "allowance",
        "status",
        "published_on",
        "closing_date",
        "closed_on",
    ]
    list_filter = ["status", "region", "category", "education", "also_internship"]
    list_select_related = ["unit", "region"]
    search_fields = ["title", "unit__name", "majors"]
    date_hierarchy = "published_on"
