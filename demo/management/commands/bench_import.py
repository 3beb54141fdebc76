import csv
import os
import random
import resource
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from commitments.importer import format as fmt
from commitments.importer.apply import import_ogp
from commitments.importer.report import ImportReport
from commitments.models import Member, PolicyArea

AREAS = [f"Bench Policy Area {n:02d}" for n in range(1, 87)]
EXTRAS = [f"_Bench Code {n:02d}" for n in range(1, 31)] + [f"Bench Derived {n:02d}" for n in range(1, 16)]
WORDS = [
    "open",
    "budget",
    "données",
    "público",
    "participación",
    "透明",
    "contracting",
    "registry",
    "council",
    "citizens",
    "data",
]


def generate(path: Path, *, rows: int, tag: str, seed: int = 7) -> None:
    """An export in OGP's shape: ~170 columns, full texts of ~2,600 characters with line breaks."""
    rng = random.Random(seed)
    header = [
        *fmt.FIELD_COLUMNS,
        *AREAS,
        *EXTRAS,
    ]
    dates = ["9/1/2018", "31/12/2016", "12/31/18", "July 2014", "2016", "Quarter 3 2014", "43525", "In progress"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(rows):
            member = n // 200
            plan = (n // 50) % 4 + 1
            text = " ".join(rng.choices(WORDS, k=330))
            full_text = "\r\n".join(text[i : i + 400] for i in range(0, len(text), 400))
            row = [
                f"{tag}{n:07d}",
                f"Bench member {member}",
                f"{tag}{member:04d}",
                "Europe",
                "National",
                f"AP_{tag}{member:04d}_{plan}",
                str(plan),
                str(2010 + 2 * plan),
                str(2012 + 2 * plan),
                "2",
                str(n % 50 + 1),
                "NA",
                f"Commitment {n}: " + " ".join(rng.choices(WORDS, k=12)),
                f"Commitment {n}",
                full_text,
                "Ministry of Finance",
                "N/A",
                f"https://opengovpartnership.org/members/bench/commitments/{tag}{n:07d}",
                rng.choice(dates),
                rng.choice(dates),
                *(rng.choice([*list(column.labels.values())[:2], "ND"]) for column in fmt.ASSESSMENT_COLUMNS),
                *(rng.choice("0000000001") for _ in AREAS),
                *(str(rng.randint(0, 4)) for _ in EXTRAS),
            ]
            writer.writerow(row)


def write_bomb(path: Path, *, rows: int, cell: str) -> int:
    """A minimal XLSX whose one sheet repeats a row `rows` times; returns its unpacked size in bytes."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }

    def inline(text: str) -> str:
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    header = "".join(inline(name) for name in fmt.REQUIRED_COLUMNS)
    row = "<row>" + inline(cell) + inline("X") + inline("AP_X") + "</row>"
    unpacked = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
            unpacked += len(text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = (
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main"><sheetData><row>{header}</row>'
            ).encode()
            sheet.write(head)
            block = (row * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            tail = b"</sheetData></worksheet>"
            sheet.write(tail)
            unpacked += len(head) + len(block) * (rows // 1000) + len(tail)
    return unpacked


def _per_commitment(run: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    run()
    return 1000 * (time.perf_counter() - started) / max(count, 1)


def signal_costs(member_prefix: str, sample_size: int = 500) -> list[str]:
    """Milliseconds per commitment of each signal, each measured on its own over the same commitments (the
    first of those the benchmark imported)."""
    from commitments.models import Commitment
    from commitments.suggestions.calibration import new_classifier
    from commitments.suggestions.crosswalk import crosswalk_targets
    from commitments.suggestions.evaluation import load_labelled_set
    from commitments.suggestions.model import load_classifiers, suggestible_items
    from commitments.suggestions.suggest import tag_signals
    from commitments.suggestions.text import model_text, rule_signals

    imported = Commitment.objects.filter(member__code__startswith=member_prefix).order_by("pk")
    rows = list(imported.values_list("pk", "title", "full_text")[:sample_size])
    ids = [pk for pk, _, _ in rows]
    items = suggestible_items()
    rules = _per_commitment(lambda: [rule_signals(title=t, full_text=f) for _, t, f in rows], len(rows))
    real = [(record.title, record.full_text) for record in load_labelled_set()]
    real_rules = _per_commitment(lambda: [rule_signals(title=t, full_text=f) for t, f in real], len(real))
    targets = crosswalk_targets(items)
    tags = _per_commitment(lambda: tag_signals(ids, targets), len(rows))
    classifiers = [signal.classifier for signal in load_classifiers().values()]
    source = f"{len(classifiers)} active stored models"
    if not classifiers:  # none trained here: fit one per item on the sample, only to time it
        texts = [model_text(title=t, full_text=f) for _, t, f in rows]
        labels = [n % 2 for n in range(len(texts))]
        classifiers = [new_classifier().fit(texts, labels) for _ in items]
        source = f"{len(classifiers)} items, classifiers fitted on the sample for timing (no active model stored)"

    def predict() -> None:
        texts = [model_text(title=t, full_text=f) for _, t, f in rows]
        for classifier in classifiers:
            classifier.predict_proba(texts)

    model = _per_commitment(predict, len(rows))
    return [
        f"Per commitment, each signal alone over {len(rows)} commitments: vocabulary rules {rules:.2f} ms (all "
        f"{len(items)} items; {real_rules:.2f} ms on the {len(real)} labelled-set texts of real shape); "
        f"policy-area tags {tags:.3f} ms (one query per chunk); trained model {model:.2f} ms ({source}; "
        f"only commitments without tags pay it)"
    ]


class Command(BaseCommand):
    help = (
        "Generate an OGP export, import it, and print rows per second and peak memory; then the suggestion time "
        "for the imported commitments and the cost of each signal per commitment."
    )
    cpu = 0.0

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", "--commitments", type=int, default=20_000, dest="rows")
        parser.add_argument(
            "--bomb",
            action="store_true",
            help="Instead: import generated XLSX bombs (many rows, huge cells) and print time and peak memory.",
        )

    def _suggest(self) -> None:
        """Suggest for what the import marked, as the Celery tasks do (in this process), then cost each signal."""
        from commitments.models import PendingSuggestion
        from commitments.suggestions.model import suggestible_items
        from commitments.suggestions.suggest import CHUNK_SIZE
        from commitments.tasks import suggest_pending_alignments
        from ogp_tracker.celery import app

        pending = PendingSuggestion.objects.count()
        items = len(suggestible_items())
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True  # the plan and its chunk tasks run here, one after another
        try:
            started, cpu = time.perf_counter(), time.process_time()
            chunks = suggest_pending_alignments.apply().get()
            elapsed = time.perf_counter() - started
        finally:
            app.conf.task_always_eager = eager
        left = PendingSuggestion.objects.count()
        self.stdout.write(
            f"Suggesting (suggest_pending_alignments: {chunks} chunk tasks of up to {CHUNK_SIZE}, one transaction "
            f"each, run in this process): {pending - left} of {pending} marked commitments x {items} items in "
            f"{elapsed:.1f} s = {1000 * elapsed / max(pending - left, 1):.2f} ms per commitment "
            f"({time.process_time() - cpu:.1f} s CPU); with W workers the chunks share out W ways"
        )
        for line in signal_costs("ZBA"):
            self.stdout.write(line)

    def _import(self, path: Path, rows: int, *, measure_memory: bool) -> tuple[ImportReport, float, int]:
        if measure_memory:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        report = import_ogp(path=path, dry_run=False)
        elapsed = time.perf_counter() - started
        self.cpu = time.process_time() - cpu
        peak = 0
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        if not report.ok or report.rows != rows:
            raise CommandError(f"The benchmark import failed: {report.problems[:5]}")
        return report, elapsed, peak

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: Django keeps every query's SQL; the figures below run with it off.")
        with override_settings(DEBUG=False):
            if options["bomb"]:
                self._bombs()
            else:
                self._bench(options["rows"])

    def _bombs(self) -> None:
        """XLSX files that compress to little and unpack to much: refused at a cap, in flat memory."""
        with tempfile.TemporaryDirectory() as directory:
            for name, rows, cell in (
                ("rows bomb, 300,000 rows", 300_000, "x"),
                ("rows bomb, 3,000,000 rows", 3_000_000, "x"),
                ("cells bomb, 2 GB of cells", 2_000, "y" * 1_000_000),
            ):
                path = Path(directory) / "bomb.xlsx"
                unpacked = write_bomb(path, rows=rows, cell=cell)
                tracemalloc.start()
                started = time.perf_counter()
                report = import_ogp(path=path, dry_run=True)
                elapsed = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                message = report.problems[0].message if report.problems else "accepted"
                self.stdout.write(
                    f"{name}: {path.stat().st_size / 1e6:.2f} MB packed, {unpacked / 1e6:,.0f} MB unpacked; "
                    f"{elapsed:.1f} s, peak Python memory {peak / 1e6:.1f} MB, "
                    f"{report.problems_total} problem(s) listed as {len(report.problems)}: {message[:90]}"
                )
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.stdout.write(f"Process peak RSS: {maxrss / 1024:.0f} MB")

    def _bench(self, rows: int) -> None:
        small = max(rows // 10, 100)
        try:
            with tempfile.TemporaryDirectory() as directory:
                big_file = Path(directory) / "big.csv"
                generate(big_file, rows=rows, tag="ZBA")
                size = big_file.stat().st_size
                self.stdout.write(f"Generated {rows} rows, {size / 1e6:.1f} MB")
                report, elapsed, _ = self._import(big_file, rows, measure_memory=False)
                self.stdout.write(
                    f"Import (creates): {rows} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
                    f"({report.commitments.created} created; {self.cpu:.1f} s CPU in this process)"
                )
                self._suggest()
                report, elapsed, _ = self._import(big_file, rows, measure_memory=False)
                self.stdout.write(
                    f"Re-import (all unchanged): {rows} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
                    f"({report.commitments.unchanged} unchanged; {self.cpu:.1f} s CPU in this process)"
                )

                small_file = Path(directory) / "small.csv"
                generate(small_file, rows=small, tag="ZBB")
                _, _, small_peak = self._import(small_file, small, measure_memory=True)
                big_file.unlink()
                generate(big_file, rows=rows, tag="ZBC")
                _, _, big_peak = self._import(big_file, rows, measure_memory=True)
                self.stdout.write(
                    f"Peak Python memory (tracemalloc): {small} rows {small_peak / 1e6:.1f} MB, "
                    f"{rows} rows {big_peak / 1e6:.1f} MB"
                )
                maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
                self.stdout.write(f"Process peak RSS: {maxrss / 1024:.0f} MB; load average {load}")
        finally:
            Member.objects.filter(code__startswith="ZB").delete()
            PolicyArea.objects.filter(name__in=AREAS).delete()
