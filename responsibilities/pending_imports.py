"""Web imports between their preview and their confirm.

The preview keeps the parsed workspace in the database (PendingImport) and the confirm form
carries only its token, so a file of any size the preview accepts confirms in a small
request, and any app-server process can take the confirm. A pending import belongs to the
user who previewed it, lasts an hour and is imported once.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from responsibilities import services
from responsibilities.formats import WorkspaceData, export
from responsibilities.models import PendingImport

LIFETIME = timedelta(hours=1)
# Previews a user may have waiting at once: each keeps up to 2 MB, so previewing in a loop
# must not fill the database. The oldest goes first.
KEPT_PER_USER = 10


class PendingImportGone(services.ServiceError):
    """The pending import was imported already or is too old to confirm."""


class AlreadyImported(PendingImportGone):
    def __init__(self, workspace):
        self.workspace = workspace  # None when it has been deleted since
        named = f" as “{workspace.name}”" if workspace else ""
        super().__init__(f"This preview was imported already{named}; nothing was imported again.")


def pending_import_keep(*, user, data: WorkspaceData, filename: str) -> PendingImport:
    """Keep a previewed import for its confirm; purge the ones past their hour, and the user's
    own beyond the KEPT_PER_USER newest, on the way."""
    now = timezone.now()
    PendingImport.objects.filter(created_at__lt=now - LIFETIME).delete()
    pending = PendingImport.objects.create(
        user=user, filename=filename[:255], document=export.to_document(data), created_at=now
    )
    waiting = PendingImport.objects.filter(user=user, imported_at=None).order_by("-created_at", "-pk")
    PendingImport.objects.filter(pk__in=list(waiting.values_list("pk", flat=True)[KEPT_PER_USER:])).delete()
    return pending


def pending_import_check(pending: PendingImport):
    """PendingImportGone if `pending` can no longer be confirmed."""
    if pending.imported_at is not None:
        raise AlreadyImported(pending.workspace)
    if pending.created_at < timezone.now() - LIFETIME:
        raise PendingImportGone("This preview is more than an hour old and has expired: upload the file again.")


def pending_import_confirm(
    *, pending: PendingImport, data: WorkspaceData, name: str, replace: bool, map_suggestions: bool
) -> services.Imported:
    """Import `data` (the pending import as validated again, with the preview's choices) once:
    the pending import is locked, checked and marked imported in the import's transaction, so
    a confirm sent twice at once imports once and the second is told so."""
    with transaction.atomic():
        pending = PendingImport.objects.select_for_update().select_related("user").get(pk=pending.pk)
        pending_import_check(pending)
        imported = services.workspace_import(
            data=data, name=name, owner=pending.user, replace=replace, map_suggestions=map_suggestions
        )
        pending.workspace, pending.imported_at, pending.document = imported.workspace, timezone.now(), None
        pending.save(update_fields=["workspace", "imported_at", "document"])
    return imported
