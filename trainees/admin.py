"""Read-only admin views: every change to trainees and placements carries rules and goes through
the services (pages and API), never a raw admin save. ID numbers and phones show masked."""

from django.contrib import admin

from jianxi_portal.core.admin import ReadOnlyAdmin
from trainees.models import Application, Internship, Mentor, Placement, Trainee, TrainingRecord


@admin.register(Trainee)
class TraineeAdmin(ReadOnlyAdmin):
    list_display = ["name", "id_number_masked", "category", "region", "created_at"]
    list_filter = ["category", "region"]
    search_fields = ["name"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "post", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["trainee", "post"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "unit", "region", "status", "end", "outcome", "filing_status", "signed_on"]
    list_filter = ["status", "end", "outcome", "filing_status", "region", "category"]
    list_select_related = ["trainee", "unit", "region", "post"]
    date_hierarchy = "signed_on"


@admin.register(Mentor)
class MentorAdmin(ReadOnlyAdmin):
    list_display = ["name", "position", "unit", "active"]
    list_select_related = ["unit"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["placement", "kind", "on", "hours"]


@admin.register(Internship)
class InternshipAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "unit", "started_on", "status"]
    list_select_related = ["trainee", "unit"]
