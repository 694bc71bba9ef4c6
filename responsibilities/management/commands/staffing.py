import json

from responsibilities.formats import staffing as staffing_formats
from responsibilities.management.workspace_command import WorkspaceCommand
from responsibilities.selectors import staffing_report_for


class Command(WorkspaceCommand):
    help = (
        "People needed against people present per role and archetype, from the hours per activity; "
        "priorities among the assessed elements of a framework (the primary one unless --framework)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument(
            "--framework", help="A framework slug or alias for the priorities (default: the workspace's primary framework).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, name, framework, format, **options):
        workspace = self.workspace_named(name)
        framework = self.framework_named(workspace, framework)
        found = staffing_report_for(workspace, framework)
        if format == "json":
            result = staffing_formats.to_json(found.staffing, workspace=workspace.name)
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            lines = staffing_formats.to_text(
                found.staffing, workspace=workspace.name, framework=framework.slug, archetype_names=found.archetype_names,
            )
            self.stdout.write("\n".join(lines))
