import json

from responsibilities.formats import comparison as comparison_formats
from responsibilities.management.workspace_command import WorkspaceCommand
from responsibilities.selectors import snapshot_comparison


class Command(WorkspaceCommand):
    help = (
        "What changed in a workspace between two snapshots, or a snapshot and now, read through one "
        "framework: coverage, findings resolved and new, cell changes, activities and roles added and removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument("--from", dest="before", required=True, metavar="LABEL", help="The earlier snapshot's label (case-insensitive).")
        parser.add_argument("--to", dest="after", metavar="LABEL", help="The later snapshot's label (default: the workspace now).")
        parser.add_argument("--framework", help="A framework slug or alias (default: the workspace's primary framework).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, name, before, after, framework, format, **options):
        workspace = self.workspace_named(name)
        chosen = self.framework_named(workspace, framework)
        before_snapshot = self.snapshot_labelled(workspace, before)
        after_snapshot = None if after is None else self.snapshot_labelled(workspace, after)
        compared = snapshot_comparison(workspace, before_snapshot, after_snapshot, chosen)
        labels = {"workspace": workspace.name, "before": compared.before_label, "after": compared.after_label}
        if format == "json":
            self.stdout.write(json.dumps(comparison_formats.to_json(compared.comparison, **labels), indent=2, ensure_ascii=False))
            return
        self.stdout.write(comparison_formats.to_text(compared.comparison, **labels), ending="")
        if compared.read_today:
            self.stdout.write(
                f"note: {', '.join(compared.read_today)} read with today's {chosen.title}: "
                "it was not in the library when taken."
            )
