from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responsibilities.models import Workspace
from responsibilities.selectors import EXPORT_FORMATS, workspace_export


class Command(BaseCommand):
    help = "Export a workspace as a document (yaml, json), a RACI spreadsheet (csv, xlsx) or Markdown."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument("--format", choices=list(EXPORT_FORMATS), default="yaml")
        parser.add_argument("--output", type=Path, help="Write to this file (required for xlsx).")

    def handle(self, *args, name, format, output, **options):
        workspace = Workspace.objects.filter(name__iexact=name.strip()).first()
        if workspace is None:
            known = ", ".join(Workspace.objects.order_by("name").values_list("name", flat=True)[:20]) or "none"
            raise CommandError(f"There is no workspace {name!r}. Known: {known}")
        if format == "xlsx" and output is None:
            raise CommandError("--output FILE is required for xlsx (it is a binary file).")
        exported = workspace_export(workspace, format)
        if output is None:
            self.stdout.write(exported.content.decode(), ending="")
            return
        try:
            output.write_bytes(exported.content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stderr.write(f"Wrote {output} ({len(exported.content):,} bytes).")
