from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from responsibilities import services
from responsibilities.formats import MAX_UPLOAD_BYTES, problem_count
from responsibilities.selectors import read_workspace_file


class Command(BaseCommand):
    help = (
        "Import a RACI spreadsheet (.csv, .xlsx), a Markdown table (.md, .markdown) or a workspace document "
        "(.yaml, .yml, .json) as a "
        "workspace. All or nothing: on any error every problem is printed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", help="Workspace name (default: the document's name, else the file's stem).")
        parser.add_argument("--owner", help="Username made owner of the workspace.")
        parser.add_argument(
            "--replace", action="store_true", help="Update an existing workspace of that name in place to what the file says: its id, members, "
            "invitations, workshops and the history of activities and roles matched by name are kept; "
            "the replace can be undone from the workspace's History."
        )
        parser.add_argument(
            "--map-suggestions", action="store_true",
            help="Also map each activity with no mapping in the primary framework to its top suggestion there "
            "when it is probably right (score 0.5 or more), as one batch of changes.",
        )

    def handle(self, *args, file: Path, name, owner, replace, map_suggestions, **options):
        owner_user = None
        if owner:
            owner_user = get_user_model().objects.filter(username=owner).first()
            if owner_user is None:
                raise CommandError(f"There is no user {owner!r}.")
        try:
            if file.stat().st_size > MAX_UPLOAD_BYTES:
                raise CommandError(f"{file}: the file is over the {MAX_UPLOAD_BYTES:,}-byte limit.")
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        parsed, errors = read_workspace_file(data, file.name)
        if errors:
            for error in errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"{problem_count(errors)}; nothing was imported.")
        workspace_name = name or parsed.name or file.stem
        try:
            imported = services.workspace_import(
                data=parsed, name=workspace_name, owner=owner_user, replace=replace, map_suggestions=map_suggestions
            )
        except services.ServiceError as error:
            raise CommandError(str(error)) from None
        workspace = imported.workspace
        self.stdout.write(
            f"{'Replaced' if imported.replaced else 'Imported'} {workspace.name}: {len(parsed.activities)} activities, "
            f"{len(parsed.roles)} roles, {len(parsed.people)} people."
        )
        if map_suggestions:
            framework = workspace.primary_framework.title if workspace.primary_framework else parsed.framework
            self.stdout.write(f"Mapped {imported.mapped} of them to their top suggestion in {framework}.")
        if owner_user is None and not workspace.memberships.exists():
            self.stdout.write("Nobody can open it yet: run again with --owner USERNAME --replace, or add a member in the admin.")
