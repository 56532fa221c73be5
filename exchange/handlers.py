"""The job kinds of data exchange: an import preview, an import confirm, an export."""

from exchange.exports import exporter_for
from exchange.imports import importer_for
from exchange.jobs import JobOutcome, handler, temp_path

IMPORT_PREVIEW, IMPORT_CONFIRM, EXPORT = "import_preview", "import_confirm", "export"


def _run_import(job, progress, *, dry_run: bool, source) -> JobOutcome:
    importer = importer_for(job.params["register"])
    with source.input_file.open("rb") as fh:
        report = importer.run(fh, by=job.owner, dry_run=dry_run, progress=progress)
    return JobOutcome(result={"register": importer.register, "dry_run": dry_run, **report.as_dict()})


@handler(IMPORT_PREVIEW)
def import_preview(job, progress) -> JobOutcome:
    """Dry run: what the file would create or update, and every invalid row. Nothing is written."""
    return _run_import(job, progress, dry_run=True, source=job)


@handler(IMPORT_CONFIRM, atomic=True)
def import_confirm(job, progress) -> JobOutcome:
    """Import every valid row of the previewed file in one transaction (re-validated now), which
    commits with the job's completion and only if this run still holds the job: a run killed midway
    leaves nothing, and one whose lease was taken over rolls back (see jobs.py, Leases)."""
    return _run_import(job, progress, dry_run=False, source=job.parent)


@handler(EXPORT)
def export(job, progress) -> JobOutcome:
    exporter = exporter_for(job.params["register"])
    path = temp_path(job=job)  # a run killed midway leaves a part that the next run removes
    count = exporter.write(path, user=job.owner, params=job.params.get("filters", {}), progress=progress)
    return JobOutcome(result={"register": exporter.register, "rows": count}, path=path, filename=exporter.filename())
