from django.utils import timezone

from responsibilities.management.workspace_command import WorkspaceCommand
from responsibilities.selectors import snapshots_for


class Command(WorkspaceCommand):
    help = "List a workspace's snapshots, oldest first, with the coverage of its primary framework."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")

    def handle(self, *args, name, **options):
        workspace = self.workspace_named(name)
        framework = self.framework_named(workspace, None)
        snapshots = snapshots_for(workspace)
        if not snapshots:
            self.stdout.write(f"{workspace.name} has no snapshots yet: take one with the snapshot command.")
            return
        rows = [("label", "taken at", "reason", "activities", "roles", f"{framework.slug} coverage")]
        for snapshot in snapshots:
            percent = snapshot.coverage.get(framework.slug)
            rows.append((
                snapshot.label,
                timezone.localtime(snapshot.taken_at).strftime("%Y-%m-%d %H:%M"),
                snapshot.get_reason_display(),
                str(snapshot.activity_count),
                str(snapshot.role_count),
                # None: the framework was not in the library when the snapshot was taken.
                "—" if percent is None else f"{percent}%",
            ))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
