"""One import of an OGP export file, all or nothing; a dry run reports what a real one would do."""

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from commitments.followup import request_recompute, request_suggestions
from commitments.importer import format as fmt
from commitments.importer.report import Aborted, ImportReport, Problem, Progress, file_sha256
from commitments.importer.rows import FileFacts, chunked, parsed_rows, validate_file
from commitments.importer.writer import Writer


def apply_rows(path: Path, facts: FileFacts, report: ImportReport, *, write: bool, progress: Progress | None) -> None:
    writer = Writer(facts=facts, report=report, write=write)
    writer.members()
    writer.action_plans()
    writer.policy_areas()
    writer.layout()
    done = 0
    for chunk in chunked(parsed_rows(path, facts.layout, report)):
        writer.commitments(chunk)
        done += len(chunk)
        if progress:
            progress("writing" if write else "comparing", done, report.rows)
    if not report.ok:
        raise Aborted
    report.touched_member_ids = sorted(writer.touched_members - {0})


def import_ogp(*, path: Path, dry_run: bool, file_name: str = "", progress: Progress | None = None) -> ImportReport:
    """Import one OGP export file, all or nothing; with `dry_run`, only report what would change.

    Nothing is written unless every row is valid. The report lists every problem by row, column and value.
    A real import marks, in its own transaction, the commitments to suggest for again and the members to
    recompute (`commitments.followup`).
    """
    report = ImportReport(file_name=file_name or path.name, dry_run=dry_run)
    try:
        report.sha256 = file_sha256(path)
        facts = validate_file(path, report, progress)
        if facts is None:
            return report
        with transaction.atomic():
            apply_rows(path, facts, report, write=not dry_run, progress=progress)
            if file_sha256(path) != report.sha256:
                raise Aborted
            if not dry_run:
                request_suggestions([*report.created_commitment_ids, *report.updated_commitment_ids])
                request_recompute(report.touched_member_ids)
    except fmt.FileProblem as exc:
        # What refuses the whole file comes first, whatever the rows before it reported.
        report.problems.insert(0, Problem(None, "", "", exc.text, exc.params))
    except Aborted:
        if report.ok:
            report.add(
                Problem(
                    None, "", "", gettext_noop("The file changed while it was being imported; nothing was written.")
                )
            )
    except IntegrityError as exc:
        report.add(
            Problem(
                None,
                "",
                "",
                gettext_noop("The database refused the import, nothing was written: %(error)s"),
                {"error": str(exc)},
            )
        )
    if not report.ok:
        report.created_commitment_ids.clear()
        report.updated_commitment_ids.clear()
        report.touched_member_ids.clear()
    return report
