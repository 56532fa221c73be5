"""Pages of data exchange: import (upload → preview → confirm), blank templates, exports, and the
job pages. Every job lookup starts from `Job.objects.visible_to(user)`: someone else's job is a 404."""

import os

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from exchange import handlers
from exchange.exports import DIRECT_LIMIT, exporter_for, params_of
from exchange.files import MAX_UPLOAD_BYTES, FileRefused, check_size, open_table, sniff
from exchange.imports import REGISTRY, importer_for, load_registers
from exchange.jobs import QueueUnavailable, job_start, live_progress, temp_path
from exchange.models import Job
from exchange.xlsx import write_error_report, write_template


class UploadForm(forms.Form):
    file = forms.FileField(label="数据文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            upload.seek(0)
            sniff(upload.read(8192))
            upload.seek(0)
        except FileRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _importer_or_404(register: str):
    try:
        return importer_for(register)
    except KeyError:
        raise Http404 from None


def _exporter_or_404(register: str):
    try:
        return exporter_for(register)
    except KeyError:
        raise Http404 from None


@login_required
def import_index(request):
    load_registers()
    importers = [i for i in REGISTRY.values() if i.may_import(request.user)]
    if not importers:
        raise PermissionDenied("只有市（州）经办人员可以导入数据。")
    jobs = Job.objects.visible_to(request.user)[:10]
    return render(request, "exchange/import_index.html", {"importers": importers, "jobs": jobs})


@login_required
def import_upload(request, register):
    importer = _importer_or_404(register)
    importer.ensure_may_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = job_start(
                kind=handlers.IMPORT_PREVIEW,
                owner=request.user,
                title=f"导入{importer.title}（预检）",
                params={"register": importer.register, "filename": upload.name[:100]},
                input_file=upload,
                input_name=os.path.basename(upload.name)[:80],
            )
        except QueueUnavailable as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("exchange:job", pk=job.pk)
    columns = importer.resource.columns()
    context = {"importer": importer, "form": form, "columns": columns, "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024}
    return render(request, "exchange/import_upload.html", context)


@login_required
def import_template(request, register):
    importer = _importer_or_404(register)
    importer.ensure_may_import(request.user)
    path = temp_path()
    write_template(
        path,
        sheet_name=importer.title,
        columns=[c.spec for c in importer.resource.columns()],
        title=f"{importer.title}导入模板 · 填写说明",
        notes=importer.template_notes(),
    )
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=f"{importer.title}导入模板.xlsx")
    os.unlink(path)  # the open handle keeps the data readable until the response is sent
    return response


@login_required
def export(request, register):
    """The list page's export button: the same filters, the user's scope. Up to DIRECT_LIMIT rows
    the file is the answer; above, a job is started and its page shown."""
    exporter = _exporter_or_404(register)
    exporter.ensure_may_export(request.user)
    params = params_of(request.GET)
    total = exporter.queryset(request.user, request.GET).count()
    if total > DIRECT_LIMIT:
        try:
            job = job_start(
                kind=handlers.EXPORT,
                owner=request.user,
                title=f"导出{exporter.title}（{total}条）",
                params={"register": exporter.register, "filters": params},
                total=total,
            )
        except QueueUnavailable as exc:
            return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
        return redirect("exchange:job", pk=job.pk)
    path = temp_path()
    exporter.write(path, user=request.user, params=params)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=exporter.filename())
    os.unlink(path)
    return response


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user)[:100]
    return render(request, "exchange/jobs.html", {"jobs": jobs})


def _job(request, pk) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("parent"), pk=pk)


def _job_state(job: Job) -> dict:
    done, total = live_progress(job)
    percent = 100 if job.status == Job.Status.DONE else (min(100, done * 100 // total) if total else 0)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": done,
        "total": total,
        "percent": percent,
        "finished": job.is_finished,
        "error": job.error,
        "download": reverse("exchange:job_download", args=[job.pk]) if job.result_file else None,
    }


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    confirm_job = job.children.order_by("-pk").first() if job.kind == handlers.IMPORT_PREVIEW else None
    result = job.result or {}
    can_confirm = (
        job.kind == handlers.IMPORT_PREVIEW
        and job.status == Job.Status.DONE
        and confirm_job is None
        and bool(job.input_file)
        and (result.get("create", 0) + result.get("update", 0)) > 0
    )
    context = {
        "job": job,
        "state": _job_state(job),
        "result": result,
        "can_confirm": can_confirm,
        "confirm_job": confirm_job,
        "expired": bool(job.expires_at and job.expires_at <= timezone.now()),
    }
    return render(request, "exchange/job.html", context)


@login_required
def job_status(request, pk):
    return JsonResponse(_job_state(_job(request, pk)))


@login_required
@require_POST
def job_confirm(request, pk):
    preview = _job(request, pk)
    if preview.kind != handlers.IMPORT_PREVIEW or preview.status != Job.Status.DONE or not preview.input_file:
        raise Http404
    existing = preview.children.order_by("-pk").first()
    if existing is not None:  # a second click confirms nothing twice
        return redirect("exchange:job", pk=existing.pk)
    importer = _importer_or_404(preview.params.get("register", ""))
    importer.ensure_may_import(request.user)
    try:
        job = job_start(
            kind=handlers.IMPORT_CONFIRM,
            owner=request.user,
            title=f"导入{importer.title}（确认导入）",
            params=dict(preview.params),
            parent=preview,
            total=preview.result.get("total", 0),
        )
    except QueueUnavailable as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    return redirect("exchange:job", pk=job.pk)


@login_required
def job_download(request, pk):
    job = _job(request, pk)
    if not job.result_file or (job.expires_at and job.expires_at <= timezone.now()):
        raise Http404("文件不存在或已过期。")
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "download.xlsx")


@login_required
def job_errors(request, pk):
    """The preview's (or the import's) refused rows as .xlsx: each row as uploaded, with its number
    and all its messages, to correct and upload again (the uploaded file is read once more)."""
    job = _job(request, pk)
    errors = (job.result or {}).get("errors") or []
    upload = job if job.input_file else job.parent
    if (
        job.kind not in (handlers.IMPORT_PREVIEW, handlers.IMPORT_CONFIRM)
        or not errors
        or upload is None
        or not upload.input_file
    ):
        raise Http404("没有有误的行，或上传的文件已过期。")
    messages_by_row: dict[int, list[str]] = {}
    for error in errors:
        text = f"{error['column']}：{error['message']}" if error["column"] else error["message"]
        messages_by_row.setdefault(error["row"], []).append(text)
    path = temp_path()
    with upload.input_file.open("rb") as fileobj:
        table = open_table(fileobj)
        rows = (
            (number, values, "；".join(messages_by_row[number]))
            for number, values in table.rows
            if number in messages_by_row
        )
        write_error_report(path, headers=table.headers, rows=rows)
    name = f"{job.title}-有误的行.xlsx".replace("/", "-")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=name)
    os.unlink(path)
    return response
