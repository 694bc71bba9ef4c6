from pathlib import Path

from django.core.management.base import BaseCommand

from frameworks.library import dump_framework
from frameworks.models import Framework
from frameworks.selectors import framework_by_slug_or_alias
from frameworks.services import framework_spec


class Command(BaseCommand):
    help = "Write a framework back in the library's YAML format (to commit an admin's edits)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, output, **options):
        framework = framework_by_slug_or_alias(slug)
        if framework is None:
            known = ", ".join(Framework.objects.values_list("slug", flat=True)) or "none loaded"
            self.stderr.write(f"Unknown framework {slug!r}. Known: {known}")
            raise SystemExit(2)
        text = dump_framework(framework_spec(framework))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
