from responsibilities import services
from responsibilities.management.workspace_command import WorkspaceCommand


class Command(WorkspaceCommand):
    help = (
        "Take a snapshot of a workspace as it is now: a frozen, labelled copy to compare with later "
        "(see the snapshots and compare commands)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument(
            "--label", default="",
            help=f"Up to {services.LABEL_LIMIT} characters, not used by another snapshot of the workspace (default: the date and time).",
        )

    def handle(self, *args, name, label, **options):
        workspace = self.workspace_named(name)
        if "\x00" in label:
            self.fail("The label contains a NUL character.")
        try:
            snapshot = services.snapshot_take(workspace=workspace, by=None, label=label)
        except services.ServiceError as error:
            self.fail(str(error))
        framework = self.framework_named(workspace, None)
        coverage = snapshot.coverage.get(framework.slug)
        self.stdout.write(
            f"Took snapshot {snapshot.label!r} of {workspace.name}: {snapshot.activity_count} activities, "
            f"{snapshot.role_count} roles, {coverage}% of {framework.title} covered."
        )
