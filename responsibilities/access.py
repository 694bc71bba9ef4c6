"""The one way into a workspace: scoped to the user's membership.

A non-member gets 404 (the workspace's existence is not confirmed), a viewer who tries to
write gets 403, and only owners manage members or delete the workspace.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from responsibilities.models import Membership, Workspace


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


def workspace_for(request, public_id, *, write: bool = False, manage: bool = False) -> WorkspaceAccess:
    if not request.user.is_authenticated:
        raise Http404("No such workspace")
    # A slice, not first(): (workspace, user) is unique, so no ORDER BY to build on every page.
    found = Membership.objects.select_related("workspace__primary_framework").filter(
        workspace__public_id=public_id, user=request.user
    )[:1]
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
