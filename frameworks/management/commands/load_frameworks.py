from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.library import LIBRARY_DIR
from frameworks.services import load_library


class Command(BaseCommand):
    help = (
        "Load or refresh the shipped framework library (frameworks/library/*.yaml). "
        "Idempotent; an element an admin edited is kept and reported unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="take the files' version over admins' edits"
        )
        parser.add_argument(
            "--library", type=Path, default=LIBRARY_DIR, help=f"directory of YAML files (default: {LIBRARY_DIR})"
        )

    def handle(self, *args, force, library, verbosity, **options):
        if not library.is_dir():
            raise CommandError(f"{library} is not a directory")
        report = load_library(directory=library, force=force)
        for problem in report.problems:
            self.stderr.write(str(problem))
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(f"conflict: {conflict}"))
        if verbosity > 1:
            for kept in report.kept_edits:
                self.stdout.write(f"kept: {kept}")
            for label in report.created + report.updated + report.removed:
                self.stdout.write(f"changed: {label}")
        self.stdout.write(
            f"{len(report.loaded_files)} framework file(s) loaded: "
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.removed)} removed, {len(report.kept_edits)} admin edit(s) kept, "
            f"{len(report.conflicts)} conflict(s)"
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s); the files named above were not loaded")
