from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commitments.importer.report import ImportReport
from commitments.importer.runs import create_run, execute_run


def describe(report: ImportReport) -> list[str]:
    """The report as lines of text, shared by the command and the docs."""
    verb = "Would" if report.dry_run else "Did"
    lines = [f"{report.file_name}: {report.rows} rows ({report.file_format or 'unreadable'}), sha256 {report.sha256}"]
    if not report.ok:
        lines.append(f"REJECTED, nothing written: {len(report.problems) + report.problems_omitted} problem(s)")
        for problem in report.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", column {problem.column!r}" if problem.column else ""
            value = f", value {problem.value!r}" if problem.value else ""
            lines.append(f"  {where}{column}{value}: {problem.message}")
        if report.problems_omitted:
            lines.append(f"  ... and {report.problems_omitted} more")
        return lines
    lines.append(
        f"{len(report.policy_area_columns)} policy-area columns, {len(report.extra_columns)} extra columns, "
        f"missing optional columns: {', '.join(report.columns_missing) or 'none'}"
    )
    for name, tally in (
        ("members", report.members),
        ("action plans", report.action_plans),
        ("policy areas", report.policy_areas),
        ("commitments", report.commitments),
    ):
        lines.append(f"{verb} create {tally.created}, update {tally.updated}, leave unchanged {tally.unchanged} {name}")
    if report.warnings_total:
        lines.append(f"{report.warnings_total} warning(s): each value was imported as it stands")
        lines.extend(_line(warning) for warning in report.warnings)
        if report.warnings_total > len(report.warnings):
            lines.append(f"  ... and {report.warnings_total - len(report.warnings)} more")
    return lines


def _line(problem: Any) -> str:
    where = f"row {problem.row}" if problem.row else "file"
    column = f", column {problem.column!r}" if problem.column else ""
    value = f", value {problem.value!r}" if problem.value else ""
    return f"  {where}{column}{value}: {problem.message}"


class Command(BaseCommand):
    help = "Import OGP's commitment export (CSV or XLSX); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        run = create_run(path=path, file_name=path.name, dry_run=options["dry_run"])
        report = execute_run(run=run, path=path)
        for line in describe(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"Import rejected (import run {run.pk}); nothing was written.")
        self.stdout.write(f"Import run {run.pk}: {run.get_status_display()}")
