from django.shortcuts import render
from django.utils import timezone

from jianxi_portal.models import AnnualQuota
from jianxi_portal.permissions import role_required
from reports.selectors import annex1_rows, regions_visible_to


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@role_required("admin", "province", "city")
def annex1(request):
    """Annex 1: quotas and progress per region for a year; a city sees only its own row."""
    year = _year(request)
    rows, total = annex1_rows(year, regions_visible_to(request.user))
    years = sorted(set(AnnualQuota.objects.values_list("year", flat=True)) | {year}, reverse=True)
    context = {"year": year, "years": years, "rows": rows, "total": total, "show_total": request.user.sees_all_regions}
    return render(request, "reports/annex1.html", context)
