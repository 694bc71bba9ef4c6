from typing import NoReturn

from django.core.management.base import BaseCommand

from frameworks.models import Framework
from frameworks.selectors import framework_by_slug_or_alias
from responsibilities.formats import DEFAULT_FRAMEWORK
from responsibilities.models import Snapshot, Workspace
from responsibilities.selectors import snapshots_labelled

KNOWN_SHOWN = 20  # names listed after "Known:" in a refusal


class WorkspaceCommand(BaseCommand):
    """A command about one workspace named on the command line. What the user typed is looked
    up ignoring case; anything unknown stops the command with exit status 2 and a message on
    stderr naming what is known, so a typo is fixed at once."""

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(2)

    def workspace_named(self, name: str) -> Workspace:
        # A NUL can be in no name (and PostgreSQL refuses it in a query).
        workspace = None if "\x00" in name else (
            Workspace.objects.select_related("primary_framework").filter(name__iexact=name.strip()).first()
        )
        if workspace is None:
            known = ", ".join(Workspace.objects.order_by("name").values_list("name", flat=True)[:KNOWN_SHOWN]) or "none"
            self.fail(f"There is no workspace {name!r}. Known: {known}")
        return workspace

    def framework_named(self, workspace: Workspace, slug: str | None) -> Framework:
        """The framework whose slug or alias is `slug`; without one, the workspace's primary."""
        if not slug:
            return workspace.primary_framework or Framework.objects.get(slug=DEFAULT_FRAMEWORK)
        framework = None if "\x00" in slug else framework_by_slug_or_alias(slug)
        if framework is None:
            known = ", ".join(Framework.objects.order_by("slug").values_list("slug", flat=True))
            self.fail(f"Unknown framework {slug!r}. Known: {known}")
        return framework

    def snapshot_labelled(self, workspace: Workspace, label: str) -> Snapshot:
        """The workspace's snapshot labelled `label`, ignoring case and runs of spaces as the
        labels are written (services.snapshot_take)."""
        wanted = " ".join(label.split())
        snapshot = None if "\x00" in label or not wanted else snapshots_labelled(workspace, wanted).first()
        if snapshot is None:
            labels = list(workspace.snapshots.order_by("-taken_at", "-id").values_list("label", flat=True)[:KNOWN_SHOWN])
            if not labels:
                self.fail(f"{workspace.name} has no snapshot {label!r}: it has none yet (take one with the snapshot command).")
            self.fail(f"{workspace.name} has no snapshot {label!r}. Known, newest first: {', '.join(labels)}")
        return snapshot
