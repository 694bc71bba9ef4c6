"""The one way into a workspace: scoped to the user's membership.

A non-member gets 404 (the workspace's existence is not confirmed), a viewer who tries to
write gets 403, and only owners manage members or delete the workspace.
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_script_prefix, reverse

from responsibilities.models import Membership, Workspace
from responsibilities.selectors import EXPORT_FORMATS


@dataclass(frozen=True)
class WorkspaceAccess:
    workspace: Workspace
    membership: Membership

    @property
    def can_edit(self) -> bool:
        return self.membership.can_edit

    @property
    def is_owner(self) -> bool:
        return self.membership.is_owner

    @property
    def urls(self) -> dict[str, str]:
        return workspace_urls(self.workspace.public_id, get_script_prefix())


WORKSPACE_PAGES = (
    "matrix", "cell", "dashboard", "lens", "roles_document", "activities", "activity_add", "activity_move",
    "team", "role_add", "members", "settings",
    "mapping", "mapping_accept", "mapping_remove", "mapping_accept_all", "mapping_accept_all_apply", "mapping_undo",
    "history", "history_restore", "history_import_undo",
    "snapshots", "snapshot_take", "compare",
    "staffing",
)


@lru_cache(maxsize=4096)
def workspace_urls(public_id: uuid.UUID, script_prefix: str) -> dict[str, str]:
    """The addresses in every workspace page's tabs, menus and forms, reversed once per workspace
    and process: a workspace's id never changes, and twenty reverse() calls were a tenth of the
    matrix page's time. `script_prefix` is part of the key because reverse() builds on it."""
    urls = {name: reverse(f"workspaces:{name}", args=[public_id]) for name in WORKSPACE_PAGES}
    urls["workshops"] = reverse("workshop:list", args=[public_id])
    urls["export"] = {fmt: reverse("workspaces:export", args=[public_id, fmt]) for fmt in EXPORT_FORMATS}
    return urls


def workspace_for(request, public_id, *, write: bool = False, manage: bool = False) -> WorkspaceAccess:
    if not request.user.is_authenticated:
        raise Http404("No such workspace")
    # (workspace, user) is unique: no ordering (the default one joins two more tables).
    found = Membership.objects.select_related("workspace__primary_framework").filter(
        workspace__public_id=public_id, user=request.user
    ).order_by()[:1]
    membership = next(iter(found), None)
    if membership is None:
        raise Http404("No such workspace")
    if manage and not membership.is_owner:
        raise PermissionDenied("Only an owner of this workspace can do that.")
    if write and not membership.can_edit:
        raise PermissionDenied("You can view this workspace but not change it. Ask an owner for editor rights.")
    return WorkspaceAccess(workspace=membership.workspace, membership=membership)


def uuid_or_404(value: str) -> uuid.UUID:
    """A public id from a form field; anything else is a missing object, not a server error."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None


def uuid_or_none(value: str) -> uuid.UUID | None:
    """A public id from a query string, or None for anything else."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def row_id(value) -> int | None:
    """A database id or version from a form field: ASCII digits that fit a bigint, else None.

    str.isdigit() also accepts "²" and "١", which int() then refuses, and a 5,000-digit number
    passes int() but not the database: both must be bad input, never a server error.
    """
    value = str(value or "")
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None
