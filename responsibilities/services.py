"""Writes to workspaces. Each runs in one transaction and bumps the workspace's version."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone

from frameworks import letters as raci
from frameworks.models import Archetype, Element, Framework
from responsibilities.formats import WorkspaceData
from responsibilities.models import (
    Activity,
    Assignment,
    Change,
    Invitation,
    Membership,
    Person,
    Role,
    Workspace,
)
from responsibilities.selectors import import_mapping_choices, read_workspace_file
from responsibilities.starters import starter_for

INVITATION_LIFETIME = timedelta(days=7)


class ServiceError(Exception):
    """A write refused for a reason the user can act on; the message says it."""


@dataclass(frozen=True)
class StaleCell(ServiceError):
    """The cell changed since the client read it."""

    current: str
    changed_by: str

    def __str__(self):
        who = self.changed_by or "someone else"
        now = self.current or "empty"
        return f"This cell was changed by {who} (it is now {now}). Reload to see the latest matrix."


class Gone(ServiceError, Http404):
    """What the write is about was deleted a moment before (by someone else, or in another tab).

    Also an Http404: a view that does not catch it answers "not found", never a server error.
    """

    def __init__(self, what: str):
        super().__init__(
            f"This {what} was deleted a moment ago, by someone else or in another tab. Reload to see what is there now."
        )


def _bump(workspace: Workspace):
    Workspace.objects.filter(pk=workspace.pk).update(version=F("version") + 1)


def _lock_workspace(workspace: Workspace):
    """Taken first by every write to a workspace's content, so two writes in one workspace take
    turns in one order: each then sees what the other did (a deleted role, a name just taken)
    instead of failing on it, and they cannot deadlock (a role's deletion and a cell write
    used to lock rows in opposite orders). Writes updated this row anyway, to bump the
    version; the lock is the same kind, taken earlier."""
    if not Workspace.objects.select_for_update(no_key=True).filter(pk=workspace.pk).exists():
        raise Gone("workspace")


def _ensure_exists(item, what: str):
    """Under the workspace's lock: a row deleted before we got it stays deleted (saving it
    again would bring it back; referencing it would break a foreign key)."""
    if not type(item).objects.filter(pk=item.pk).exists():
        raise Gone(what)


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _name_taken(queryset, name: str, exclude_pk=None) -> bool:
    return queryset.filter(name__iexact=name).exclude(pk=exclude_pk).exists()


def _workspace_name_taken(name: str) -> str:
    return f"A workspace called {name!r} exists already; choose another name."


def _clean_name(name: str, *, what: str, limit: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise ServiceError(f"The {what} needs a name.")
    if len(name) > limit:
        raise ServiceError(f"The {what}'s name is longer than {limit} characters.")
    return name


# Workspaces and members


@transaction.atomic
def workspace_create(
    *, name: str, owner, size: str = Workspace.Size.STARTUP, market: str = Workspace.Market.B2B,
    primary_framework: Framework | None = None,
) -> Workspace:
    name = _clean_name(name, what="workspace", limit=120)
    if _name_taken(Workspace.objects.all(), name):
        raise ServiceError(_workspace_name_taken(name))
    try:
        # The check above cannot see a workspace of that name being created at this moment;
        # the unique index waits for it and refuses the second one.
        with transaction.atomic():
            workspace = Workspace.objects.create(
                name=name, size=size, market=market,
                primary_framework=primary_framework or Framework.objects.filter(slug="read").first(),
            )
    except IntegrityError:
        raise ServiceError(_workspace_name_taken(name)) from None
    if owner is not None:
        Membership.objects.create(workspace=workspace, user=owner, level=Membership.Level.OWNER)
    return workspace


@transaction.atomic
def workspace_create_from_starter(
    *, name: str, owner, size: str, market: str, primary_framework: Framework, use_starter: bool
) -> Workspace:
    """A new workspace, filled from the starter document for its size and market if asked."""
    workspace = workspace_create(
        name=name, owner=owner, size=size, market=market, primary_framework=primary_framework
    )
    path = starter_for(size, market) if use_starter else None
    if path is not None:
        data, errors = read_workspace_file(path.read_bytes(), path.name)
        if errors:
            raise ServiceError(f"The starter {path.name} is broken: {errors[0]}")
        fill_workspace(workspace=workspace, data=data, by=owner)
    return workspace


@transaction.atomic
def workspace_update(*, workspace: Workspace, name: str, size: str, market: str, primary_framework) -> Workspace:
    name = _clean_name(name, what="workspace", limit=120)
    _lock_workspace(workspace)
    if _name_taken(Workspace.objects.all(), name, exclude_pk=workspace.pk):
        raise ServiceError(_workspace_name_taken(name))
    workspace.name, workspace.size, workspace.market = name, size, market
    workspace.primary_framework = primary_framework
    workspace.version = F("version") + 1
    try:
        with transaction.atomic():
            workspace.save()
    except IntegrityError:  # renamed to a name another workspace took at this moment
        raise ServiceError(_workspace_name_taken(name)) from None
    workspace.refresh_from_db()
    return workspace


@transaction.atomic
def workspace_delete(*, workspace: Workspace):
    _lock_workspace(workspace)
    workspace.delete()


@transaction.atomic
def member_set(*, workspace: Workspace, user, level: str, by) -> Membership:
    _lock_memberships(workspace)
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"level": level}
    )
    _ensure_an_owner_remains(workspace)
    return membership


@transaction.atomic
def member_remove(*, workspace: Workspace, membership: Membership):
    _lock_memberships(workspace)
    membership.delete()
    _ensure_an_owner_remains(workspace)


def _lock_memberships(workspace: Workspace):
    """Two owners demoting each other at once take turns, so the second one's check sees the
    first one's change (without the lock each saw the other still owner, and both went through)."""
    list(workspace.memberships.select_for_update().order_by("pk").values_list("pk"))


def _ensure_an_owner_remains(workspace: Workspace):
    if not workspace.memberships.filter(level=Membership.Level.OWNER).exists():
        raise ServiceError("A workspace needs at least one owner; make someone else owner first.")


@transaction.atomic
def invitation_create(*, workspace: Workspace, level: str, by) -> Invitation:
    return Invitation.objects.create(
        workspace=workspace, level=level, created_by=by, token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("workspace")
        .filter(token=token, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise ServiceError("This invitation link is not valid or has expired. Ask for a new one.")
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"level": invitation.level}
    )
    if created:
        invitation.delete()
    return membership


# Roles and people


@transaction.atomic
def role_add(*, workspace: Workspace, name: str, archetype: Archetype) -> Role:
    name = _clean_name(name, what="role", limit=80)
    _lock_workspace(workspace)
    if _name_taken(workspace.roles, name):
        raise ServiceError(f"There is a role called {name!r} already.")
    role = Role.objects.create(
        workspace=workspace, name=name, archetype=archetype, position=_next_position(workspace.roles)
    )
    _bump(workspace)
    return role


@transaction.atomic
def role_update(*, role: Role, name: str, archetype: Archetype) -> Role:
    name = _clean_name(name, what="role", limit=80)
    _lock_workspace(role.workspace)
    _ensure_exists(role, "role")
    if _name_taken(role.workspace.roles, name, exclude_pk=role.pk):
        raise ServiceError(f"There is a role called {name!r} already.")
    role.name, role.archetype = name, archetype
    role.save()
    _bump(role.workspace)
    return role


@transaction.atomic
def role_delete(*, role: Role):
    _lock_workspace(role.workspace)
    role.delete()
    _bump(role.workspace)


@transaction.atomic
def person_save(*, workspace: Workspace, name: str, roles: list[Role], person: Person | None = None) -> Person:
    name = _clean_name(name, what="person", limit=80)
    _lock_workspace(workspace)
    if person is not None:
        _ensure_exists(person, "person")
    if workspace.roles.filter(pk__in=[role.pk for role in roles]).count() != len(set(roles)):
        raise Gone("role")
    if _name_taken(workspace.people, name, exclude_pk=person.pk if person else None):
        raise ServiceError(f"There is a person called {name!r} already.")
    if person is None:
        person = Person.objects.create(workspace=workspace, name=name)
    else:
        person.name = name
        person.save()
    person.roles.set(roles)
    _bump(workspace)
    return person


@transaction.atomic
def person_delete(*, person: Person):
    _lock_workspace(person.workspace)
    person.delete()
    _bump(person.workspace)


# Activities, mappings and assignments


@transaction.atomic
def activity_add(*, workspace: Workspace, name: str, description: str = "") -> Activity:
    name = _clean_name(name, what="activity", limit=200)
    _lock_workspace(workspace)
    if _name_taken(workspace.activities, name):
        raise ServiceError(f"There is an activity called {name!r} already.")
    activity = Activity.objects.create(
        workspace=workspace, name=name, description=description.strip()[:2000],
        position=_next_position(workspace.activities),
    )
    _bump(workspace)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, name: str, description: str) -> Activity:
    name = _clean_name(name, what="activity", limit=200)
    _lock_workspace(activity.workspace)
    _ensure_exists(activity, "activity")
    if _name_taken(activity.workspace.activities, name, exclude_pk=activity.pk):
        raise ServiceError(f"There is an activity called {name!r} already.")
    activity.name, activity.description = name, description.strip()[:2000]
    activity.save()
    _bump(activity.workspace)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity):
    _lock_workspace(activity.workspace)
    activity.delete()
    _bump(activity.workspace)


@transaction.atomic
def move(*, item: Activity | Role, offset: int):
    """Move an activity or role up (-1) or down (+1) among its siblings."""
    _lock_workspace(item.workspace)
    siblings = list(type(item).objects.select_for_update().filter(workspace=item.workspace).order_by("position", "id"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    type(item).objects.bulk_update(siblings, ["position"])
    _bump(item.workspace)


@transaction.atomic
def activity_map(*, activity: Activity, elements: list[Element], by) -> Activity:
    _lock_workspace(activity.workspace)
    _ensure_exists(activity, "activity")
    before = {element.pk: element for element in activity.elements.select_related("framework")}
    after = {element.pk: element for element in elements}
    activity.elements.set(elements)
    changes = [
        Change(activity=activity, kind=Change.Kind.MAPPING, subject=str(element), after="mapped", by=by)
        for pk, element in after.items() if pk not in before
    ] + [
        Change(activity=activity, kind=Change.Kind.MAPPING, subject=str(element), before="mapped", by=by)
        for pk, element in before.items() if pk not in after
    ]
    Change.objects.bulk_create(changes)
    if changes:
        _bump(activity.workspace)
    return activity


@transaction.atomic
def assignment_set(*, activity: Activity, role: Role, letters: str, expected: str | None, by) -> str:
    """Set one matrix cell to `letters` ("" clears it) and return the letters now held.

    `expected` is what the client last saw in the cell; if someone changed it since, the
    write is refused with StaleCell instead of silently overwriting their change. The
    activity row is locked so two writers of one row take turns.
    """
    _lock_workspace(activity.workspace)
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    current = Assignment.objects.filter(activity=activity, role=role).values_list("letters", flat=True).first()
    return _cell_write(activity=activity, role=role, letters=letters, expected=expected, current=current or "", by=by)


@dataclass(frozen=True)
class CellWritten:
    activity: Activity
    row: dict[int, str]  # role pk -> letters, the whole row after the write


@transaction.atomic
def cell_set(*, workspace: Workspace, activity_id, role: Role, letters: str, expected: str | None, by) -> CellWritten:
    """A matrix edit: assignment_set for an activity named by its public id.

    The matrix's hottest write, so the activity is found and locked in one query and the row
    is read once, both for the stale check and for the answer the matrix shows.
    Raises Activity.DoesNotExist for an activity that is not in the workspace, Gone for a role
    deleted since the client loaded the matrix.
    """
    _lock_workspace(workspace)
    activity = workspace.activities.select_for_update().get(public_id=activity_id)
    row = dict(Assignment.objects.filter(activity=activity).values_list("role_id", "letters"))
    held = _cell_write(activity=activity, role=role, letters=letters, expected=expected, current=row.get(role.pk, ""), by=by)
    if held:
        row[role.pk] = held
    else:
        row.pop(role.pk, None)
    return CellWritten(activity=activity, row=row)


def _cell_write(*, activity: Activity, role: Role, letters: str, expected: str | None, current: str, by) -> str:
    """The write itself; the caller holds the activity's row lock and read `current` under it."""
    canonical = raci.parse_letters(letters)
    if canonical is None:
        raise ServiceError(f"{letters!r} is not a RACI letter; use {raci.ACCEPTED_SPELLINGS}.")
    if role.workspace_id != activity.workspace_id:
        raise ServiceError("That role belongs to another workspace.")
    _ensure_exists(role, "role")
    if expected is not None and raci.parse_letters(expected) != current:
        last = Change.objects.filter(activity=activity, role=role, kind=Change.Kind.ASSIGNMENT).select_related("by").first()
        raise StaleCell(current=current, changed_by=last.by.get_username() if last and last.by else "")
    if canonical == current:
        return current
    cell = Assignment.objects.filter(activity=activity, role=role)
    if not canonical:
        cell.delete()
    elif not current:
        Assignment.objects.create(activity=activity, role=role, letters=canonical)
    else:
        cell.update(letters=canonical)
    Change.objects.create(
        activity=activity, kind=Change.Kind.ASSIGNMENT, role=role, subject=role.name,
        before=current, after=canonical, by=by,
    )
    _bump(activity.workspace)
    return canonical


# Import


@dataclass(frozen=True)
class Imported:
    workspace: Workspace
    mapped: int = 0  # activities mapped to their top suggestion
    batch: uuid.UUID | None = None  # the batch of those mappings, for undo


@transaction.atomic
def workspace_import(
    *, data: WorkspaceData, name: str, owner, replace: bool = False, by=None, map_suggestions: bool = False
) -> Imported:
    """Create (or replace) a workspace from validated data: all of it, or nothing.

    With `map_suggestions`, each activity with no mapping in the primary framework is also
    mapped to its top suggestion there when that is probably right, in the same transaction,
    as one batch of mapping changes (undone together from the mapping page).
    """
    existing = Workspace.objects.filter(name__iexact=name).first()
    if existing is not None:
        if not replace:
            raise ServiceError(f"A workspace called {name!r} exists already (use replace to overwrite it).")
        members = list(existing.memberships.values_list("user_id", "level"))
        existing.delete()
    else:
        members = []
    frameworks = {f.slug: f for f in Framework.objects.all()}
    workspace = workspace_create(
        name=name, owner=owner, size=data.size, market=data.market,
        primary_framework=frameworks.get(data.framework),
    )
    for user_id, level in members:
        if user_id != getattr(owner, "pk", None):
            Membership.objects.get_or_create(workspace=workspace, user_id=user_id, defaults={"level": level})
    fill_workspace(workspace=workspace, data=data, by=by or owner)
    if not map_suggestions:
        return Imported(workspace)
    choices = import_mapping_choices(data)
    activities = {activity.name: activity for activity in workspace.activities.filter(name__in=choices)}
    batch = mappings_accept(
        workspace=workspace, choices=[(activities[name], element) for name, element in choices.items()], by=by or owner
    )
    return Imported(workspace, mapped=len(choices) if batch else 0, batch=batch)


def fill_workspace(*, workspace: Workspace, data: WorkspaceData, by):
    archetypes = {a.slug: a for a in Archetype.objects.all()}
    roles = Role.objects.bulk_create(
        Role(workspace=workspace, name=role.name, archetype=archetypes[role.archetype], position=i)
        for i, role in enumerate(data.roles)
    )
    role_by_name = {role.name.casefold(): role for role in roles}
    for person_data in data.people:
        person = Person.objects.create(workspace=workspace, name=person_data.name)
        person.roles.set([role_by_name[name.casefold()] for name in person_data.roles])
    activities = Activity.objects.bulk_create(
        Activity(workspace=workspace, name=a.name, description=a.description, group=a.group, position=i)
        for i, a in enumerate(data.activities)
    )
    references = {ref for a in data.activities for ref in a.elements}
    element_ids = {
        f"{slug}:{code}": pk
        for pk, slug, code in Element.objects.filter(framework__slug__in={r.split(":")[0] for r in references})
        .values_list("pk", "framework__slug", "code")
    }
    Mapping = Activity.elements.through
    Mapping.objects.bulk_create(
        Mapping(activity_id=activity.pk, element_id=element_ids[ref])
        for activity, activity_data in zip(activities, data.activities)
        for ref in activity_data.elements
    )
    Assignment.objects.bulk_create(
        Assignment(activity=activity, role=role_by_name[role_name.casefold()], letters=held)
        for activity, activity_data in zip(activities, data.activities)
        for role_name, held in activity_data.raci
    )
    _bump(workspace)


def unique_workspace_name(base: str) -> str:
    """`base`, or `base (2)`, `base (3)`… whichever is free."""
    name, n = base, 1
    while Workspace.objects.filter(name__iexact=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name


# Mapping suggestions accepted in bulk, and undone as a batch


@transaction.atomic
def mappings_accept(*, workspace: Workspace, choices: list[tuple[Activity, Element]], by) -> uuid.UUID | None:
    """Add these mappings (never removes any) as one batch of history; its id, or None if nothing was new.

    One transaction and one version bump whatever the number of choices. A choice already
    mapped, or repeated, is skipped. An activity of another workspace is refused.
    """
    if any(activity.workspace_id != workspace.pk for activity, _ in choices):
        raise ServiceError("That activity belongs to another workspace.")
    wanted = list(dict.fromkeys((activity.pk, element.pk) for activity, element in choices))
    if not wanted:
        return None
    # Locked so two accepts (or an accept and an edit of the same activities) take turns.
    activities = Activity.objects.select_for_update().in_bulk({activity_id for activity_id, _ in wanted})
    elements = Element.objects.select_related("framework").in_bulk({element_id for _, element_id in wanted})
    Mapping = Activity.elements.through
    present = set(
        Mapping.objects.filter(activity_id__in=activities, element_id__in=elements).values_list("activity_id", "element_id")
    )
    added = [(activity_id, element_id) for activity_id, element_id in wanted if (activity_id, element_id) not in present]
    if not added:
        return None
    batch = uuid.uuid4()
    Mapping.objects.bulk_create(Mapping(activity_id=a, element_id=e) for a, e in added)
    Change.objects.bulk_create(
        Change(activity=activities[a], kind=Change.Kind.MAPPING, subject=str(elements[e]), after="mapped", by=by, batch=batch)
        for a, e in added
    )
    _bump(workspace)
    return batch


@transaction.atomic
def mapping_batch_undo(*, workspace: Workspace, batch: uuid.UUID, by) -> int:
    """Remove the mappings `batch` added that are still there; each removal is recorded. How many were removed."""
    added = list(
        Change.objects.filter(batch=batch, kind=Change.Kind.MAPPING, after="mapped", activity__workspace=workspace)
        .select_related("activity")
        .select_for_update(of=("self",))
    )
    if not added:
        return 0
    # History keeps the element as text, "slug:code Name"; codes are stable across library versions.
    references = {change.pk: change.subject.split(" ", 1)[0] for change in added}
    slugs = {reference.split(":", 1)[0] for reference in references.values()}
    elements = {
        element.reference: element
        for element in Element.objects.select_related("framework").filter(framework__slug__in=slugs)
    }
    pairs = {
        (change.activity_id, elements[references[change.pk]].pk): change
        for change in added if references[change.pk] in elements
    }
    Mapping = Activity.elements.through
    present = Mapping.objects.filter(
        activity_id__in={a for a, _ in pairs}, element_id__in={e for _, e in pairs}
    ).values_list("id", "activity_id", "element_id")
    removed = [(pk, pairs[(a, e)]) for pk, a, e in present if (a, e) in pairs]
    if not removed:
        return 0
    Mapping.objects.filter(pk__in=[pk for pk, _ in removed]).delete()
    undo = uuid.uuid4()
    Change.objects.bulk_create(
        Change(activity=change.activity, kind=Change.Kind.MAPPING, subject=change.subject, before="mapped", by=by, batch=undo)
        for _, change in removed
    )
    _bump(workspace)
    return len(removed)
