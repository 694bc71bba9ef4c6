"""Writes to workspaces, every one through `workspace_change`.

`workspace_change` opens the transaction, locks the workspace row (so writers of one workspace
take turns, always workspace first, then any row they touch), refuses a stale edit, and on the
way out bumps the version once and records what changed (who, when, before, after) as
`Change` rows numbered with the version they produced. No view, command or workshop code
writes the models directly.
"""

import secrets
import uuid
from decimal import Decimal
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, Q
from django.http import Http404
from django.utils import timezone

from frameworks import letters as raci
from frameworks.models import Archetype, Element, Framework
from responsibilities.comparison import coverage_percent
from responsibilities.formats import WorkspaceData, hours_text
from responsibilities.models import (
    Activity,
    Assessment,
    Assignment,
    Change,
    Invitation,
    Membership,
    Person,
    Role,
    Snapshot,
    Workspace,
)
from responsibilities.selectors import import_mapping_choices, read_workspace_document, read_workspace_file, snapshot_content, snapshots_labelled
from responsibilities.starters import starter_for

INVITATION_LIFETIME = timedelta(days=7)
RESTORE_DAYS = 30  # a deleted activity or role can be restored from History this long


class ServiceError(Exception):
    """A write refused for a reason the user can act on; the message says it."""


class StaleCell(ServiceError):
    """The cell changed since the client read it."""

    def __init__(self, *, current: str, changed_by: str):
        self.current, self.changed_by = current, changed_by
        super().__init__(current, changed_by)

    def __str__(self):
        who = self.changed_by or "someone else"
        now = self.current or "empty"
        return f"This cell was changed by {who} (it is now {now}). Reload to see the latest matrix."


class Gone(ServiceError, Http404):
    """What the write is about was deleted a moment before (by someone else, or in another tab).

    Also an Http404: a view that does not catch it answers "not found", never a server error.
    """

    def __init__(self, what: str):
        super().__init__(f"This {what} was deleted a moment ago, by someone else or in another tab. Reload to see what is there now.")


class StaleEdit(ServiceError):
    """What the form edits changed since the form was loaded: nothing was written."""

    def __init__(self, changes: list[Change]):
        self.changes = changes
        super().__init__(str(self))

    def what_changed(self) -> str:
        said = "; ".join(_describe(change) for change in self.changes[-3:])
        more = f" (and {len(self.changes) - 3} more)" if len(self.changes) > 3 else ""
        return f"Changed since you opened this page: {said}{more}."

    def __str__(self):
        return f"{self.what_changed()} Nothing was saved; your input is kept below — check it against the change and save again."


def _describe(change: Change) -> str:
    who = change.by.get_username() if change.by_id and change.by else "someone"
    if change.before and change.after:
        what = f"{change.subject} {change.before!r} → {change.after!r}"
    elif change.after:
        what = f"{change.subject}: {change.after}"
    else:
        what = f"{change.subject}: was {change.before!r}" if change.before else change.subject
    return f"{who} changed {what}"


def activity_target(activity: Activity) -> str:
    return f"activity:{activity.public_id}"


def role_target(role: Role) -> str:
    return f"role:{role.public_id}"


def person_target(person: Person) -> str:
    return f"person:{person.public_id}"


SETTINGS_TARGET = "workspace"
MEMBERS_TARGET = "members"


@dataclass
class WorkspaceChange:
    """What one service call changed, recorded as it goes; written on the way out."""

    workspace: Workspace
    by: object
    version: int  # the version this change produces
    rows: list[Change] = field(default_factory=list)

    def record(
        self, *, kind: str, subject: str, target: str = "", before: str = "", after: str = "",
        activity: Activity | None = None, role: Role | None = None, snapshot=None, batch: uuid.UUID | None = None,
    ) -> Change:
        row = Change(
            workspace_id=self.workspace.pk, version=self.version, target=target, kind=kind, subject=subject[:300],
            before=before, after=after, role=role if role is not None and role.pk else None,
            snapshot=snapshot, batch=batch,
            by=self.by if getattr(self.by, "is_authenticated", False) else None,
        )
        if activity is not None:
            row.activity = activity if activity.pk else None
            row.activity_public_id, row.activity_name = activity.public_id, activity.name
            row.target = row.target or activity_target(activity)
        self.rows.append(row)
        return row


# The change open for a workspace in this thread: a service called by another service (a
# workshop commit adding activities, an import mapping suggestions) joins it, so the whole
# call is one transaction, one version bump and one set of history rows.
_open_changes: ContextVar[dict[int, WorkspaceChange] | None] = ContextVar("open_workspace_changes", default=None)


@contextmanager
def workspace_change(workspace: Workspace, *, by, stale_since: int | None = None, targets=(), kinds=()):
    """One write to a workspace: transaction, lock, stale check, one version bump, history.

    `stale_since`: the version the user's form was loaded at; if a change above it touched one
    of `targets` (of one of `kinds`, when given), StaleEdit is raised and nothing is written.
    A call that records nothing leaves the version as it was (no bump seen by anyone).
    """
    open_changes = _open_changes.get() or {}
    with transaction.atomic():
        outer = open_changes.get(workspace.pk)
        if outer is None:
            # The bump is the lock: one statement instead of a locking read and a later write.
            # An UPDATE of a non-key column takes the no-key lock, so rows that merely reference
            # the workspace (a new membership, a workshop note) can still be written meanwhile;
            # every writer of its content takes turns here. No one else sees the new version
            # before the commit, and a call that records nothing takes it back below.
            with connection.cursor() as cursor:
                cursor.execute(_BUMP_VERSION, [workspace.pk])
                bumped = cursor.fetchone()
            if bumped is None:
                raise Gone("workspace")
        if stale_since is not None and targets:
            about = Q(target__in=targets, kind__in=kinds) if kinds else Q(target__in=targets)
            # An import rewrote the workspace (one change for all it did): every form is stale.
            newer = Change.objects.filter(about | Q(kind=Change.Kind.IMPORT), workspace_id=workspace.pk, version__gt=stale_since)
            newer = list(newer.select_related("by").order_by("version", "id"))
            if newer:
                raise StaleEdit(newer)
        if outer is not None:
            yield outer
            return
        change = WorkspaceChange(workspace=workspace, by=by, version=bumped[0])
        token = _open_changes.set({**open_changes, workspace.pk: change})
        try:
            yield change
        finally:
            _open_changes.reset(token)
        if change.rows:
            Change.objects.bulk_create(change.rows)
            workspace.version = change.version
        else:
            Workspace.objects.filter(pk=workspace.pk).update(version=change.version - 1)


_BUMP_VERSION = f"UPDATE {connection.ops.quote_name(Workspace._meta.db_table)} SET version = version + 1 WHERE id = %s RETURNING version"


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _name_taken(queryset, name: str, exclude_pk=None) -> bool:
    return queryset.filter(name__iexact=name).exclude(pk=exclude_pk).exists()


def _clean_name(name: str, *, what: str, limit: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise ServiceError(f"The {what} needs a name.")
    if len(name) > limit:
        raise ServiceError(f"The {what}'s name is longer than {limit} characters.")
    return name


# Workspaces and members


def workspace_create(
    *, name: str, owner, size: str = Workspace.Size.STARTUP, market: str = Workspace.Market.B2B,
    primary_framework: Framework | None = None,
) -> Workspace:
    name = _clean_name(name, what="workspace", limit=120)
    taken = ServiceError(f"A workspace called {name!r} exists already; choose another name.")
    if _name_taken(Workspace.objects.all(), name):
        raise taken
    try:
        # Its own savepoint: two people creating the same name at once meet the unique index.
        with transaction.atomic():
            workspace = Workspace.objects.create(
                name=name, size=size, market=market,
                primary_framework=primary_framework or Framework.objects.filter(slug="read").first(),
            )
    except IntegrityError:
        raise taken from None
    with workspace_change(workspace, by=owner) as change:
        change.record(kind=Change.Kind.SETTINGS, target=SETTINGS_TARGET, subject="workspace", after=f"created as {name}")
        if owner is not None:
            Membership.objects.create(workspace=workspace, user=owner, level=Membership.Level.OWNER)
            change.record(kind=Change.Kind.MEMBER, target=MEMBERS_TARGET, subject=f"member {owner.get_username()}", after="owner")
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
        with workspace_change(workspace, by=owner) as change:
            fill_workspace(change=change, data=data)
            change.record(kind=Change.Kind.IMPORT, target=SETTINGS_TARGET, subject="starter", after=f"{size} {market} starter")
    return workspace


def workspace_update(
    *, workspace: Workspace, name: str, size: str, market: str, primary_framework, fte_hours=None, by=None,
    version: int | None = None,
) -> Workspace:
    """`fte_hours` None keeps the hours one person gives per month as they are."""
    name = _clean_name(name, what="workspace", limit=120)
    if fte_hours is not None:
        fte_hours = _checked(Workspace, "fte_hours", fte_hours)
    with workspace_change(workspace, by=by, stale_since=version, targets=[SETTINGS_TARGET], kinds=[Change.Kind.SETTINGS]) as change:
        if _name_taken(Workspace.objects.all(), name, exclude_pk=workspace.pk):
            raise ServiceError(f"A workspace called {name!r} exists already; choose another name.")
        before = Workspace.objects.select_related("primary_framework").get(pk=workspace.pk)
        fte_hours = before.fte_hours if fte_hours is None else fte_hours
        fields = {
            "name": (before.name, name),
            "size": (before.size, size),
            "market": (before.market, market),
            "primary framework": (
                before.primary_framework.slug if before.primary_framework else "",
                primary_framework.slug if primary_framework else "",
            ),
            "hours per person per month": (hours_text(before.fte_hours), hours_text(fte_hours)),
        }
        for subject, (was, now) in fields.items():
            if was != now:
                change.record(kind=Change.Kind.SETTINGS, target=SETTINGS_TARGET, subject=subject, before=was, after=now)
        try:
            with transaction.atomic():
                Workspace.objects.filter(pk=workspace.pk).update(
                    name=name, size=size, market=market, primary_framework=primary_framework, fte_hours=fte_hours
                )
        except IntegrityError:  # renamed to a name another workspace took at this moment
            raise ServiceError(f"A workspace called {name!r} exists already; choose another name.") from None
    workspace.refresh_from_db()
    return workspace


@transaction.atomic
def workspace_delete(*, workspace: Workspace):
    """The workspace and everything in it, its history included (nothing is left to restore it into)."""
    if not Workspace.objects.select_for_update().filter(pk=workspace.pk).exists():
        raise Gone("workspace")
    workspace.delete()


def member_set(*, workspace: Workspace, user, level: str, by, version: int | None = None) -> Membership:
    with workspace_change(workspace, by=by, stale_since=version, targets=[MEMBERS_TARGET]) as change:
        memberships = _locked_memberships(workspace)
        before = next((m.level for m in memberships if m.user_id == user.pk), "")
        membership, _ = Membership.objects.update_or_create(workspace=workspace, user=user, defaults={"level": level})
        _ensure_an_owner_remains(workspace)
        if before != level:
            change.record(kind=Change.Kind.MEMBER, target=MEMBERS_TARGET, subject=f"member {user.get_username()}", before=before, after=level)
    return membership


def member_remove(*, workspace: Workspace, membership: Membership, by=None, version: int | None = None):
    with workspace_change(workspace, by=by, stale_since=version, targets=[MEMBERS_TARGET]) as change:
        _locked_memberships(workspace)
        deleted, _ = Membership.objects.filter(pk=membership.pk).delete()
        if not deleted:
            raise ServiceError(f"{membership.user.get_username()} is no longer a member.")
        _ensure_an_owner_remains(workspace)
        change.record(
            kind=Change.Kind.MEMBER, target=MEMBERS_TARGET, subject=f"member {membership.user.get_username()}",
            before=membership.level
        )


def _locked_memberships(workspace: Workspace) -> list[Membership]:
    """The workspace's memberships, locked: two owners changing each other take turns, so the
    last-owner check below always sees the other's change."""
    return list(Membership.objects.select_for_update().filter(workspace=workspace).order_by("pk"))


def _ensure_an_owner_remains(workspace: Workspace):
    if not workspace.memberships.filter(level=Membership.Level.OWNER).exists():
        raise ServiceError("A workspace needs at least one owner; make someone else owner first.")


def invitation_create(*, workspace: Workspace, level: str, by) -> Invitation:
    with workspace_change(workspace, by=by) as change:
        invitation = Invitation.objects.create(
            workspace=workspace, level=level, created_by=by, token=secrets.token_urlsafe(32),
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        change.record(kind=Change.Kind.MEMBER, target=MEMBERS_TARGET, subject="invitation link", after=level)
    return invitation


def invitation_accept(*, token: str, user) -> Membership:
    invitation = Invitation.objects.select_related("workspace").filter(token=token, expires_at__gt=timezone.now()).first()
    if invitation is None:
        raise ServiceError("This invitation link is not valid or has expired. Ask for a new one.")
    with workspace_change(invitation.workspace, by=user) as change:
        invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk, expires_at__gt=timezone.now()).first()
        if invitation is None:
            raise ServiceError("This invitation link is not valid or has expired. Ask for a new one.")
        membership, created = Membership.objects.get_or_create(
            workspace=invitation.workspace, user=user, defaults={"level": invitation.level}
        )
        if created:
            invitation.delete()
            change.record(kind=Change.Kind.MEMBER, target=MEMBERS_TARGET, subject=f"member {user.get_username()}", after=invitation.level)
    return membership


# Roles and people


def role_add(*, workspace: Workspace, name: str, archetype: Archetype, by=None) -> Role:
    name = _clean_name(name, what="role", limit=80)
    with workspace_change(workspace, by=by) as change:
        if _name_taken(workspace.roles, name):
            raise ServiceError(f"There is a role called {name!r} already.")
        role = Role.objects.create(
            workspace=workspace, name=name, archetype=archetype, position=_next_position(workspace.roles)
        )
        change.record(kind=Change.Kind.ROLE, target=role_target(role), subject=name, after=f"added ({archetype.slug})", role=role)
    return role


def role_update(*, role: Role, name: str, archetype: Archetype, by=None, version: int | None = None) -> Role:
    name = _clean_name(name, what="role", limit=80)
    with workspace_change(role.workspace, by=by, stale_since=version, targets=[role_target(role)]) as change:
        current = Role.objects.select_for_update().select_related("archetype").filter(pk=role.pk).first()
        if current is None:
            raise Gone("role")
        if _name_taken(role.workspace.roles, name, exclude_pk=role.pk):
            raise ServiceError(f"There is a role called {name!r} already.")
        if current.name != name:
            change.record(kind=Change.Kind.ROLE, target=role_target(role), subject="role name", before=current.name, after=name, role=current)
        if current.archetype_id != archetype.pk:
            change.record(
                kind=Change.Kind.ROLE, target=role_target(role), subject=f"{name}: kind",
                before=current.archetype.slug, after=archetype.slug, role=current,
            )
        role.name, role.archetype = name, archetype
        role.save(update_fields=["name", "archetype"])
    return role


def role_delete(*, role: Role, by=None, version: int | None = None):
    """Delete a role and its column; its letters are kept in the history row to restore from."""
    with workspace_change(role.workspace, by=by, stale_since=version, targets=[role_target(role)]) as change:
        current = Role.objects.select_for_update().select_related("archetype").filter(pk=role.pk).first()
        if current is None:
            raise Gone("role")
        letters = list(
            Assignment.objects.filter(role=current).values_list("activity__public_id", "letters")
        )
        people = list(current.people.values_list("public_id", flat=True))
        snapshot = {
            "name": current.name, "archetype": current.archetype.slug, "position": current.position,
            "public_id": str(current.public_id),
            "letters": [[str(activity_id), held] for activity_id, held in letters],
            "people": [str(person_id) for person_id in people],
        }
        current.delete()
        change.record(
            kind=Change.Kind.ROLE, target=role_target(current), subject=current.name,
            before=f"{len(letters)} letters", after="deleted", snapshot=snapshot,
        )


def person_save(
    *, workspace: Workspace, name: str, roles: list[Role], person: Person | None = None, by=None, version: int | None = None
) -> Person:
    name = _clean_name(name, what="person", limit=80)
    targets = [person_target(person)] if person else []
    with workspace_change(workspace, by=by, stale_since=version, targets=targets) as change:
        if workspace.roles.filter(pk__in=[role.pk for role in roles]).count() != len(set(roles)):
            raise Gone("role")
        if _name_taken(workspace.people, name, exclude_pk=person.pk if person else None):
            raise ServiceError(f"There is a person called {name!r} already.")
        if person is None:
            person = Person.objects.create(workspace=workspace, name=name)
            before_name, before_roles = "", []
        else:
            current = Person.objects.select_for_update().filter(pk=person.pk).first()
            if current is None:
                raise Gone("person")
            before_name, before_roles = current.name, sorted(current.roles.values_list("name", flat=True))
            person.name = name
            person.save(update_fields=["name"])
        person.roles.set(roles)
        after_roles = sorted(role.name for role in roles)
        if before_name != name:
            change.record(kind=Change.Kind.PERSON, target=person_target(person), subject="person", before=before_name, after=name)
        if before_roles != after_roles:
            change.record(
                kind=Change.Kind.PERSON, target=person_target(person), subject=f"{name}: roles",
                before=", ".join(before_roles), after=", ".join(after_roles),
            )
    return person


def person_delete(*, person: Person, by=None):
    with workspace_change(person.workspace, by=by) as change:
        deleted, _ = Person.objects.filter(pk=person.pk).delete()
        if deleted:
            change.record(kind=Change.Kind.PERSON, target=person_target(person), subject=person.name, after="removed")


# Activities, mappings and assignments


def activity_add(*, workspace: Workspace, name: str, description: str = "", group: str = "", by=None) -> Activity:
    name = _clean_name(name, what="activity", limit=200)
    with workspace_change(workspace, by=by) as change:
        if _name_taken(workspace.activities, name):
            raise ServiceError(f"There is an activity called {name!r} already.")
        activity = Activity.objects.create(
            workspace=workspace, name=name, description=description.strip()[:2000], group=group.strip()[:80],
            position=_next_position(workspace.activities),
        )
        change.record(kind=Change.Kind.ACTIVITY, subject="activity", after=f"added: {name}", activity=activity)
    return activity


# activity_update's `hours` when the caller does not set them (None is "not sized").
UNCHANGED = object()


def activity_update(
    *, activity: Activity, name: str, description: str, group: str | None = None, hours=UNCHANGED, by=None,
    version: int | None = None,
) -> Activity:
    """Rename, describe or size an activity. `version` is the workspace version the form was
    loaded at: a change to this activity's name, description, group or hours since then refuses
    the save. `hours` None means not sized; left out, they stay as they are."""
    name = _clean_name(name, what="activity", limit=200)
    if hours is not UNCHANGED:
        hours = _checked(Activity, "hours", hours)
    with workspace_change(
        activity.workspace, by=by, stale_since=version, targets=[activity_target(activity)], kinds=[Change.Kind.ACTIVITY]
    ) as change:
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise Gone("activity")
        if _name_taken(activity.workspace.activities, name, exclude_pk=activity.pk):
            raise ServiceError(f"There is an activity called {name!r} already.")
        after = {"name": name, "description": description.strip()[:2000], "group": current.group if group is None else group.strip()[:80]}
        for subject, now in after.items():
            was = getattr(current, subject)
            if was != now:
                change.record(kind=Change.Kind.ACTIVITY, subject=subject, before=was, after=now, activity=current)
        if hours is not UNCHANGED:
            _record_hours(change, current, hours)
            after["hours"] = hours
        for key, value in after.items():
            setattr(activity, key, value)
        activity.save(update_fields=list(after))
    return activity


def activity_hours_set(*, activity: Activity, hours, by, version: int | None = None) -> Activity:
    """Size an activity (hours per month, None for not sized): the activity list's edit.
    `version`: refuse if this activity changed since the list was loaded."""
    hours = _checked(Activity, "hours", hours)
    with workspace_change(
        activity.workspace, by=by, stale_since=version, targets=[activity_target(activity)], kinds=[Change.Kind.ACTIVITY]
    ) as change:
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise Gone("activity")
        if _record_hours(change, current, hours):
            Activity.objects.filter(pk=activity.pk).update(hours=hours)
    activity.hours = hours
    return activity


def _record_hours(change: WorkspaceChange, current: Activity, hours: Decimal | None) -> bool:
    """Record an activity's new hours if they differ; say whether they did."""
    was, now = hours_text(current.hours), hours_text(hours)
    if was != now:
        change.record(kind=Change.Kind.ACTIVITY, subject="hours per month", before=was, after=now, activity=current)
    return was != now


def _checked(model, field_name: str, value):
    """`value` as `model`'s field stores it, within the field's limits (the model is the one
    source of them), else a ServiceError that says what is wrong: a form checks the same limits
    before, and this keeps a caller without a form (a command, a test) from a database error."""
    field = model._meta.get_field(field_name)
    try:
        if isinstance(value, (Decimal, float)) and not Decimal(value).is_finite():
            raise ValidationError("Enter a number.")  # NaN would break the limits' comparisons
        return field.clean(value, None)
    except ValidationError as error:
        raise ServiceError(f"{field.verbose_name.capitalize()}: {' '.join(error.messages)}") from None


def activity_delete(*, activity: Activity, by=None, version: int | None = None):
    """Delete an activity with its letters and mappings; the history row keeps all of it, so
    it can be restored (restore_deleted) and its history stays readable."""
    with workspace_change(activity.workspace, by=by, stale_since=version, targets=[activity_target(activity)]) as change:
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise Gone("activity")
        letters = list(Assignment.objects.filter(activity=current).values_list("role__public_id", "letters"))
        mapped = [element.reference for element in current.elements.select_related("framework")]
        snapshot = {
            "name": current.name, "description": current.description, "group": current.group,
            "hours": hours_text(current.hours), "position": current.position, "public_id": str(current.public_id),
            "letters": [[str(role_id), held] for role_id, held in letters], "elements": mapped,
        }
        current.delete()  # its earlier history rows keep its id and name (SET_NULL)
        change.record(
            kind=Change.Kind.ACTIVITY, subject="activity", before=current.name, after="deleted",
            activity=current, snapshot=snapshot,
        )


def deletion_summary(*, activity: Activity | None = None, role: Role | None = None) -> str:
    """What a deletion takes with it, for the confirmation ("12 letters, 3 mappings")."""
    if activity is not None:
        letters, mappings = activity.assignments.count(), activity.elements.count()
        return f"{_plural(letters, 'letter')}, {_plural(mappings, 'mapping')}"
    letters, people = role.assignments.count(), role.people.count()
    return f"{_plural(letters, 'letter')} in its column, held by {_plural(people, 'person', 'people')}"


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def restorable(change: Change) -> bool:
    """A deletion that can still be restored: it kept what went with it and is recent enough."""
    return change.after == "deleted" and bool(change.snapshot) and change.at >= _restore_horizon()


def _restore_horizon():
    return timezone.now() - timedelta(days=RESTORE_DAYS)


def restore_deleted(*, workspace: Workspace, change_id: int, by) -> Activity | Role:
    """Bring back a deleted activity or role (same id), with its letters, mappings and history."""
    with workspace_change(workspace, by=by) as change:
        deletion = (
            Change.objects.select_for_update()
            .filter(workspace=workspace, pk=change_id, after="deleted", snapshot__isnull=False,
                    at__gte=_restore_horizon())
            .first()
        )
        if deletion is None:
            raise ServiceError(f"Nothing to restore there: deletions can be restored for {RESTORE_DAYS} days, once.")
        snapshot = deletion.snapshot
        if deletion.kind == Change.Kind.ACTIVITY:
            restored = _restore_activity(workspace, snapshot, change)
        else:
            restored = _restore_role(workspace, snapshot, change)
        deletion.snapshot = None  # restored once; a second restore finds nothing
        deletion.save(update_fields=["snapshot"])
    return restored


def _restore_activity(workspace: Workspace, snapshot: dict, change: WorkspaceChange) -> Activity:
    if _name_taken(workspace.activities, snapshot["name"]):
        raise ServiceError(f"There is an activity called {snapshot['name']!r} again; rename it first.")
    activity = Activity.objects.create(
        workspace=workspace, public_id=uuid.UUID(snapshot["public_id"]), name=snapshot["name"],
        description=snapshot["description"], group=snapshot["group"], position=snapshot["position"],
        hours=Decimal(snapshot["hours"]) if snapshot.get("hours") else None,  # deletions before hours existed have none
    )
    roles = {str(role.public_id): role for role in workspace.roles.all()}
    Assignment.objects.bulk_create(
        Assignment(activity=activity, role=roles[role_id], letters=held)
        for role_id, held in snapshot["letters"] if role_id in roles
    )
    element_ids = _element_ids(snapshot["elements"])
    activity.elements.set([element_ids[ref] for ref in snapshot["elements"] if ref in element_ids])
    Change.objects.filter(workspace=workspace, activity_public_id=activity.public_id).update(activity=activity)
    change.record(kind=Change.Kind.ACTIVITY, subject="activity", before="deleted", after="restored", activity=activity)
    return activity


def _restore_role(workspace: Workspace, snapshot: dict, change: WorkspaceChange) -> Role:
    if _name_taken(workspace.roles, snapshot["name"]):
        raise ServiceError(f"There is a role called {snapshot['name']!r} again; rename it first.")
    role = Role.objects.create(
        workspace=workspace, public_id=uuid.UUID(snapshot["public_id"]), name=snapshot["name"],
        archetype=Archetype.objects.get(slug=snapshot["archetype"]), position=snapshot["position"],
    )
    activities = {str(activity.public_id): activity for activity in workspace.activities.all()}
    Assignment.objects.bulk_create(
        Assignment(activity=activities[activity_id], role=role, letters=held)
        for activity_id, held in snapshot["letters"] if activity_id in activities
    )
    role.people.set(workspace.people.filter(public_id__in=snapshot["people"]))
    change.record(kind=Change.Kind.ROLE, target=role_target(role), subject=role.name, before="deleted", after="restored", role=role)
    return role


def move(*, item: Activity | Role, offset: int, by=None):
    """Move an activity or role up (-1) or down (+1) among its siblings."""
    with workspace_change(item.workspace, by=by) as change:
        siblings = list(type(item).objects.select_for_update().filter(workspace=item.workspace).order_by("position", "id"))
        index = next((i for i, sibling in enumerate(siblings) if sibling.pk == item.pk), None)
        if index is None:
            raise Gone("activity" if isinstance(item, Activity) else "role")
        target = max(0, min(len(siblings) - 1, index + offset))
        if target == index:
            return
        siblings.insert(target, siblings.pop(index))
        for position, sibling in enumerate(siblings):
            sibling.position = position
        type(item).objects.bulk_update(siblings, ["position"])
        kind = Change.Kind.ACTIVITY if isinstance(item, Activity) else Change.Kind.ROLE
        about = {"activity": item} if isinstance(item, Activity) else {"role": item, "target": role_target(item)}
        change.record(kind=kind, subject="position", before=str(index + 1), after=str(target + 1), **about)


def activity_map(*, activity: Activity, elements: list[Element], by, version: int | None = None) -> Activity:
    """Set an activity's mappings to exactly `elements`. `version`: refuse if its mappings
    changed since the form was loaded."""
    with workspace_change(
        activity.workspace, by=by, stale_since=version, targets=[activity_target(activity)],
        kinds=[Change.Kind.MAPPING, Change.Kind.ACTIVITY],
    ) as change:
        if not Activity.objects.select_for_update().filter(pk=activity.pk).exists():
            raise Gone("activity")
        before = {element.pk: element for element in activity.elements.select_related("framework")}
        after = {element.pk: element for element in elements}
        activity.elements.set(elements)
        for pk, element in after.items():
            if pk not in before:
                change.record(kind=Change.Kind.MAPPING, subject=str(element), after="mapped", activity=activity)
        for pk, element in before.items():
            if pk not in after:
                change.record(kind=Change.Kind.MAPPING, subject=str(element), before="mapped", activity=activity)
    return activity


def assignment_set(*, activity: Activity, role: Role, letters: str, expected: str | None, by) -> str:
    """Set one matrix cell to `letters` ("" clears it) and return the letters now held.

    `expected` is what the client last saw in the cell; if someone changed it since, the
    write is refused with StaleCell instead of silently overwriting their change. The
    activity row is locked so two writers of one row take turns.
    """
    with workspace_change(activity.workspace, by=by) as change:
        if not Activity.objects.select_for_update().filter(pk=activity.pk).exists():
            raise Gone("activity")
        current = Assignment.objects.filter(activity=activity, role=role).values_list("letters", flat=True).first()
        return _cell_write(change, activity=activity, role=role, letters=letters, expected=expected, current=current or "")


@dataclass(frozen=True)
class CellWritten:
    activity: Activity
    row: dict[int, str]  # role pk -> letters, the whole row after the write


def cell_set(*, workspace: Workspace, activity_id, role: Role, letters: str, expected: str | None, by) -> CellWritten:
    """A matrix edit: assignment_set for an activity named by its public id.

    The matrix's hottest write, so the activity is found and locked in one query and the row
    is read once, both for the stale check and for the answer the matrix shows.
    Raises Activity.DoesNotExist for an activity that is not in the workspace.
    """
    with workspace_change(workspace, by=by) as change:
        # The role was read before the workspace lock: whether it still exists is asked in the
        # same statement that locks the activity (the subquery's row is not locked).
        activity = (
            workspace.activities.select_for_update(of=("self",))
            .annotate(role_exists=Exists(Role.objects.filter(pk=role.pk)))
            .get(public_id=activity_id)
        )
        if not activity.role_exists:
            raise Gone("role")
        row = dict(Assignment.objects.filter(activity=activity).values_list("role_id", "letters"))
        held = _cell_write(change, activity=activity, role=role, letters=letters, expected=expected, current=row.get(role.pk, ""))
    if held:
        row[role.pk] = held
    else:
        row.pop(role.pk, None)
    return CellWritten(activity=activity, row=row)


def _cell_write(change: WorkspaceChange, *, activity: Activity, role: Role, letters: str, expected: str | None, current: str) -> str:
    """The write itself; the caller holds the workspace and activity locks and read `current` under them."""
    canonical = raci.parse_letters(letters)
    if canonical is None:
        raise ServiceError(f"{letters!r} is not a RACI letter; use {raci.ACCEPTED_SPELLINGS}.")
    if role.workspace_id != activity.workspace_id:
        raise ServiceError("That role belongs to another workspace.")
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
    change.record(kind=Change.Kind.ASSIGNMENT, role=role, subject=role.name, before=current, after=canonical, activity=activity)
    return canonical


# Import


@dataclass(frozen=True)
class Imported:
    workspace: Workspace
    mapped: int = 0  # activities mapped to their top suggestion
    batch: uuid.UUID | None = None  # the batch of those mappings, for undo
    replaced: bool = False  # an existing workspace was updated in place


def workspace_import(
    *, data: WorkspaceData, name: str, owner, replace: bool = False, by=None, map_suggestions: bool = False
) -> Imported:
    """Create a workspace from validated data, or with `replace` update the one of that name in
    place (workspace_replace): all of it, or nothing.

    With `map_suggestions`, each activity with no mapping in the primary framework is also
    mapped to its top suggestion there when that is probably right, in the same transaction,
    as one batch of mapping changes (undone together from the mapping page).
    """
    by = by or owner
    with transaction.atomic():
        existing = Workspace.objects.filter(name__iexact=name).first()
        if existing is not None and not replace:
            raise ServiceError(f"A workspace called {name!r} exists already (use replace to update it).")
        if existing is None:
            frameworks = {f.slug: f for f in Framework.objects.all()}
            workspace = workspace_create(
                name=name, owner=owner, size=data.size, market=data.market,
                primary_framework=frameworks.get(data.framework),
            )
        else:
            workspace = existing
        # One change: the replace or the fill, a new owner, and the mappings suggested.
        with workspace_change(workspace, by=by) as change:
            if existing is not None:
                workspace_replace(workspace=workspace, data=data, by=by)
                if owner is not None and not workspace.memberships.filter(user=owner).exists():
                    member_set(workspace=workspace, user=owner, level=Membership.Level.OWNER, by=by)
            else:
                fill_workspace(change=change, data=data)
                change.record(
                    kind=Change.Kind.IMPORT, target=SETTINGS_TARGET, subject="import",
                    after=f"{_plural(len(data.activities), 'activity', 'activities')}, {_plural(len(data.roles), 'role')}",
                )
            if not map_suggestions:
                return Imported(workspace, replaced=existing is not None)
            choices = import_mapping_choices(data)
            activities = {activity.name: activity for activity in workspace.activities.filter(name__in=choices)}
            batch = mappings_accept(
                workspace=workspace,
                choices=[(activities[name], element) for name, element in choices.items() if name in activities], by=by,
            )
        return Imported(workspace, mapped=len(choices) if batch else 0, batch=batch, replaced=existing is not None)


def _hours(value: float | None) -> Decimal | None:
    """Hours as the models keep them (the formats have checked there are at most two decimals)."""
    return None if value is None else Decimal(repr(value)).quantize(Decimal("0.01"))


def fill_workspace(*, change: WorkspaceChange, data: WorkspaceData):
    """Write a new workspace's roles, people, activities (with hours), mappings, letters,
    hours per person and assessment (inside a change)."""
    workspace = change.workspace
    if data.fte_hours is not None:
        workspace.fte_hours = _hours(data.fte_hours)
        Workspace.objects.filter(pk=workspace.pk).update(fte_hours=workspace.fte_hours)
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
        Activity(workspace=workspace, name=a.name, description=a.description, group=a.group, position=i, hours=_hours(a.hours))
        for i, a in enumerate(data.activities)
    )
    element_ids = _element_ids({ref for a in data.activities for ref in a.elements} | _assessed(data))
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
    Assessment.objects.bulk_create(
        Assessment(workspace=workspace, element_id=element_ids[a.element], importance=a.importance, performance=a.performance)
        for a in data.assessment or ()
    )


def _assessed(data: WorkspaceData) -> set[str]:
    return {a.element for a in data.assessment or ()}


def _element_ids(references) -> dict[str, int]:
    """"slug:code" -> element id for every element of the frameworks `references` name (1 query)."""
    return {
        f"{slug}:{code}": pk
        for pk, slug, code in Element.objects.filter(framework__slug__in={r.split(":")[0] for r in references})
        .values_list("pk", "framework__slug", "code")
    }


def workspace_replace(*, workspace: Workspace, data: WorkspaceData, by) -> Workspace:
    """Make an existing workspace say what `data` says, in place.

    Same workspace id, members, invitations and workshops; roles, people and activities
    matched by name (case-insensitive) keep their ids and history; the rest are added or
    removed. The differences are one import change, which keeps the previous document so the
    replace can be undone (import_undo); a snapshot of the workspace as it was is taken first.
    """
    from responsibilities.formats import export
    from responsibilities.selectors import workspace_data

    with workspace_change(workspace, by=by) as change:
        previous = workspace_data(workspace)
        snapshot_keep(change, snapshot_content(workspace, previous), reason=Snapshot.Reason.IMPORT)
        summary = _apply_document(workspace, data)
        change.record(
            kind=Change.Kind.IMPORT, target=SETTINGS_TARGET, subject="replace", after=summary or "no differences",
            snapshot={"document": export.to_json(previous)},
        )
    workspace.refresh_from_db()
    return workspace


def _apply_document(workspace: Workspace, data: WorkspaceData) -> str:
    """Write `data` over `workspace` by name; what changed, in words."""
    frameworks = {f.slug: f for f in Framework.objects.all()}
    said = []
    settings = {"size": data.size, "market": data.market, "primary_framework": frameworks.get(data.framework)}
    # The value the locked row holds, not this object's: another owner may have changed it since.
    current_fte = Workspace.objects.values_list("fte_hours", flat=True).get(pk=workspace.pk)
    if data.fte_hours is not None and _hours(data.fte_hours) != current_fte:
        settings["fte_hours"] = _hours(data.fte_hours)
        said.append(f"hours per person per month {current_fte.normalize():f} → {settings['fte_hours'].normalize():f}")
    Workspace.objects.filter(pk=workspace.pk).update(**settings)
    archetypes = {a.slug: a for a in Archetype.objects.all()}

    roles = {role.name.casefold(): role for role in workspace.roles.select_for_update()}
    wanted_roles = {role.name.casefold(): (i, role) for i, role in enumerate(data.roles)}
    gone = [role.pk for key, role in roles.items() if key not in wanted_roles]
    Role.objects.filter(pk__in=gone).delete()
    for key, (position, role_data) in wanted_roles.items():
        role = roles.get(key)
        if role is None:
            roles[key] = Role.objects.create(
                workspace=workspace, name=role_data.name, archetype=archetypes[role_data.archetype], position=position
            )
        else:
            role.name, role.archetype, role.position = role_data.name, archetypes[role_data.archetype], position
            role.save(update_fields=["name", "archetype", "position"])
    said += [f"{_plural(len(gone), 'role')} removed"] if gone else []

    activities = {activity.name.casefold(): activity for activity in workspace.activities.select_for_update()}
    wanted = {activity.name.casefold(): (i, activity) for i, activity in enumerate(data.activities)}
    removed = [activity.pk for key, activity in activities.items() if key not in wanted]
    Activity.objects.filter(pk__in=removed).delete()
    added = resized = 0
    for key, (position, activity_data) in wanted.items():
        activity = activities.get(key)
        if activity is None:
            added += 1
            activities[key] = Activity.objects.create(
                workspace=workspace, name=activity_data.name, description=activity_data.description,
                group=activity_data.group, position=position, hours=_hours(activity_data.hours),
            )
        else:
            resized += activity.hours != _hours(activity_data.hours)
            activity.name, activity.description = activity_data.name, activity_data.description
            activity.group, activity.position, activity.hours = activity_data.group, position, _hours(activity_data.hours)
            activity.save(update_fields=["name", "description", "group", "position", "hours"])
    kept = [activities[key] for key in wanted]
    element_ids = _element_ids({ref for a in data.activities for ref in a.elements} | _assessed(data))
    Mapping = Activity.elements.through
    before_mappings = set(Mapping.objects.filter(activity__in=kept).values_list("activity_id", "element_id"))
    after_mappings = {
        (activities[key].pk, element_ids[ref]) for key, (_, a) in wanted.items() for ref in a.elements
    }
    Mapping.objects.filter(activity__in=kept).delete()
    Mapping.objects.bulk_create(Mapping(activity_id=a, element_id=e) for a, e in sorted(after_mappings))
    before_letters = set(Assignment.objects.filter(activity__in=kept).values_list("activity_id", "role_id", "letters"))
    after_letters = {
        (activities[key].pk, roles[role_name.casefold()].pk, held)
        for key, (_, a) in wanted.items() for role_name, held in a.raci
    }
    Assignment.objects.filter(activity__in=kept).delete()
    Assignment.objects.bulk_create(
        Assignment(activity_id=a, role_id=r, letters=held) for a, r, held in sorted(after_letters)
    )

    people = {person.name.casefold(): person for person in workspace.people.all()}
    wanted_people = {person.name.casefold(): person for person in data.people}
    Person.objects.filter(pk__in=[p.pk for key, p in people.items() if key not in wanted_people]).delete()
    for key, person_data in wanted_people.items():
        person = people.get(key) or Person.objects.create(workspace=workspace, name=person_data.name)
        person.roles.set([roles[name.casefold()] for name in person_data.roles])

    said += [f"{added} activities added"] if added else []
    said += [f"{len(removed)} activities removed"] if removed else []
    letters_changed = len(before_letters ^ after_letters)
    said += [f"{letters_changed} letters changed"] if letters_changed else []
    mappings_changed = len(before_mappings ^ after_mappings)
    said += [f"{mappings_changed} mappings changed"] if mappings_changed else []
    said += [f"hours changed on {_plural(resized, 'activity', 'activities')}"] if resized else []
    if data.assessment is not None:  # a document without one keeps the workspace's
        before = set(workspace.assessments.values_list("element_id", "importance", "performance"))
        after = {(element_ids[a.element], a.importance, a.performance) for a in data.assessment}
        workspace.assessments.all().delete()
        Assessment.objects.bulk_create(
            Assessment(workspace=workspace, element_id=e, importance=i, performance=p) for e, i, p in sorted(after)
        )
        reassessed = len({element for element, _, _ in before ^ after})
        said += [f"{_plural(reassessed, 'assessment')} changed"] if reassessed else []
    return ", ".join(said)


def import_undo(*, workspace: Workspace, change_id: int, by) -> Workspace:
    """Put back the document a replace overwrote (itself a replace, so it can be undone too)."""
    from responsibilities.formats.document import parse_document
    from responsibilities.selectors import element_index

    previous = Change.objects.filter(workspace=workspace, pk=change_id, kind=Change.Kind.IMPORT, snapshot__isnull=False).first()
    if previous is None:
        raise ServiceError("That import kept no earlier version to go back to.")
    archetypes = set(Archetype.objects.values_list("slug", flat=True))
    data, errors = parse_document(previous.snapshot["document"].encode(), "previous.json", element_index(), archetypes)
    if errors:
        raise ServiceError(f"The earlier version cannot be read back: {errors[0]}")
    return workspace_replace(workspace=workspace, data=data, by=by)


def unique_workspace_name(base: str) -> str:
    """`base`, or `base (2)`, `base (3)`… whichever is free."""
    name, n = base, 1
    while Workspace.objects.filter(name__iexact=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name


# Mapping suggestions accepted in bulk, and undone as a batch


def mappings_accept(*, workspace: Workspace, choices: list[tuple[Activity, Element]], by) -> uuid.UUID | None:
    """Add these mappings (never removes any) as one batch of history; its id, or None if nothing was new.

    One transaction and one version bump whatever the number of choices. A choice already
    mapped, or repeated, is skipped; so is an activity deleted in the meantime. An activity of
    another workspace is refused.
    """
    if any(activity.workspace_id != workspace.pk for activity, _ in choices):
        raise ServiceError("That activity belongs to another workspace.")
    wanted = list(dict.fromkeys((activity.pk, element.pk) for activity, element in choices))
    if not wanted:
        return None
    with workspace_change(workspace, by=by) as change:
        activities = Activity.objects.select_for_update().in_bulk({activity_id for activity_id, _ in wanted})
        elements = Element.objects.select_related("framework").in_bulk({element_id for _, element_id in wanted})
        Mapping = Activity.elements.through
        present = set(
            Mapping.objects.filter(activity_id__in=activities, element_id__in=elements).values_list("activity_id", "element_id")
        )
        added = [(a, e) for a, e in wanted if a in activities and e in elements and (a, e) not in present]
        if not added:
            return None
        batch = uuid.uuid4()
        Mapping.objects.bulk_create(Mapping(activity_id=a, element_id=e) for a, e in added)
        for a, e in added:
            change.record(kind=Change.Kind.MAPPING, subject=str(elements[e]), after="mapped", activity=activities[a], batch=batch)
    return batch


def mapping_batch_undo(*, workspace: Workspace, batch: uuid.UUID, by) -> int:
    """Remove the mappings `batch` added that are still there; each removal is recorded. How many were removed."""
    with workspace_change(workspace, by=by) as change:
        added = list(
            Change.objects.filter(batch=batch, kind=Change.Kind.MAPPING, after="mapped", workspace=workspace)
            .exclude(activity=None)
            .select_related("activity")
            .select_for_update(of=("self",))
        )
        if not added:
            return 0
        # History keeps the element as text, "slug:code Name"; codes are stable across library versions.
        references = {row.pk: row.subject.split(" ", 1)[0] for row in added}
        slugs = {reference.split(":", 1)[0] for reference in references.values()}
        elements = {
            element.reference: element
            for element in Element.objects.select_related("framework").filter(framework__slug__in=slugs)
        }
        pairs = {
            (row.activity_id, elements[references[row.pk]].pk): row
            for row in added if references[row.pk] in elements
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
        for _, row in removed:
            change.record(kind=Change.Kind.MAPPING, subject=row.subject, before="mapped", activity=row.activity, batch=undo)
    return len(removed)


# Snapshots: frozen copies of a workspace, compared over time (responsibilities.comparison)

SNAPSHOTS_TARGET = "snapshots"
LABEL_LIMIT = Snapshot._meta.get_field("label").max_length
AUTOMATIC_LABELS = {
    Snapshot.Reason.MANUAL: "{stamp}",
    Snapshot.Reason.IMPORT: "Before import {stamp}",
    Snapshot.Reason.WORKSHOP: "Before workshop {title} {stamp}",
}


def snapshot_take(*, workspace: Workspace, by, label: str = "") -> Snapshot:
    """A snapshot of the workspace as it is, labelled `label` or, by default, with the date and
    time. A label the workspace already uses is refused (case-insensitive); a default label
    taken a moment ago gets " (2)"."""
    label = " ".join(label.split())
    if len(label) > LABEL_LIMIT:
        raise ServiceError(f"The label is {len(label)} characters long; the limit is {LABEL_LIMIT}.")
    with workspace_change(workspace, by=by) as change:
        if label and _label_taken(workspace, label):
            raise ServiceError(f"This workspace already has a snapshot labelled {label!r}; choose another label.")
        return snapshot_keep(change, snapshot_content(workspace), reason=Snapshot.Reason.MANUAL, label=label)


def snapshot_keep(change: WorkspaceChange, content: dict, *, reason: str, label: str = "", title: str = "") -> Snapshot:
    """Keep `content` (selectors.snapshot_content, read inside `change`) as a snapshot: the
    automatic ones (before a replace import or a workshop commit) and the hand-taken one."""
    workspace = change.workspace
    if not label:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        label = _free_label(workspace, AUTOMATIC_LABELS[reason].format(stamp=stamp, title=f"“{title[:40]}”"))
    document = content["document"]
    snapshot = Snapshot.objects.create(
        workspace_id=workspace.pk, label=label, reason=reason, version=change.version - 1,
        taken_by=change.by if getattr(change.by, "is_authenticated", False) else None,
        activity_count=len(document.get("activities", ())), role_count=len(document.get("roles", ())),
        coverage={slug: coverage_percent(content, slug) for slug in content["frameworks"]},
        content=content,
    )
    change.record(
        kind=Change.Kind.SNAPSHOT, target=SNAPSHOTS_TARGET, subject=label,
        after="taken" if reason == Snapshot.Reason.MANUAL else f"taken {Snapshot.Reason(reason).label.lower()}",
    )
    return snapshot


def _label_taken(workspace: Workspace, label: str) -> bool:
    # Folded as the unique index folds, so a label that passes here never breaks the index.
    return snapshots_labelled(workspace, label).exists()


def _free_label(workspace: Workspace, label: str) -> str:
    candidate, n = label, 1
    while _label_taken(workspace, candidate):
        n += 1
        suffix = f" ({n})"
        candidate = label[: LABEL_LIMIT - len(suffix)] + suffix
    return candidate


def snapshot_delete(*, snapshot: Snapshot, by) -> None:
    with workspace_change(snapshot.workspace, by=by) as change:
        deleted, _ = Snapshot.objects.filter(pk=snapshot.pk).delete()
        if not deleted:
            raise Gone("snapshot")
        change.record(kind=Change.Kind.SNAPSHOT, target=SNAPSHOTS_TARGET, subject=snapshot.label, after="deleted")


@dataclass(frozen=True)
class Restored:
    workspace: Workspace
    dropped: tuple[str, ...]  # mappings to elements the library no longer has ("slug:code")


def snapshot_restore(*, snapshot: Snapshot, name: str, owner) -> Restored:
    """A new workspace (owned by `owner`) holding what the snapshot holds; the snapshot's own
    workspace is not touched. Mappings and assessments of elements the library has lost since
    are left out and named; a primary framework the library has lost becomes Read's."""
    document = dict(snapshot.content["document"])
    known = {f"{slug}:{code}" for slug, code in Element.objects.values_list("framework__slug", "code")}
    dropped = []
    activities = []
    for activity in document.get("activities", ()):
        elements = activity.get("elements", ())
        dropped += [ref for ref in elements if ref not in known]
        activities.append({**activity, "elements": [ref for ref in elements if ref in known]})
    document["activities"] = activities
    if document.get("assessment"):
        dropped += [a["element"] for a in document["assessment"] if a["element"] not in known]
        document["assessment"] = [a for a in document["assessment"] if a["element"] in known]
    if not Framework.objects.filter(slug=document.get("framework", "")).exists():
        document.pop("framework", None)
    data, errors = read_workspace_document(document)
    if errors:
        raise ServiceError(f"This snapshot cannot be read back with today's library: {errors[0]}")
    with transaction.atomic():
        frameworks = {f.slug: f for f in Framework.objects.all()}
        workspace = workspace_create(
            name=name, owner=owner, size=data.size, market=data.market, primary_framework=frameworks.get(data.framework)
        )
        with workspace_change(workspace, by=owner) as change:
            fill_workspace(change=change, data=data)
            change.record(
                kind=Change.Kind.IMPORT, target=SETTINGS_TARGET, subject="restore",
                after=f"from snapshot “{snapshot.label}” of {snapshot.workspace.name}: "
                f"{_plural(len(data.activities), 'activity', 'activities')}, {_plural(len(data.roles), 'role')}",
            )
    return Restored(workspace=workspace, dropped=tuple(dict.fromkeys(dropped)))


# Assessments: how much an element matters to the team and how well it is done now


def _assessment_target(element: Element) -> str:
    return f"assessment:{element.pk}"


def _assessment_subject(element: Element) -> str:
    return f"assessment of {element.name} ({element.framework.title})"


def _assessment_text(assessment: Assessment | None) -> str:
    return "" if assessment is None else f"importance {assessment.importance}, performance {assessment.performance}"


def assessment_set(
    *, workspace: Workspace, element: Element, importance: int, performance: int, by, version: int | None = None
) -> Assessment:
    """Assess an element (1–5 each). `version`: refuse if its assessment changed since the form was loaded."""
    importance = _checked(Assessment, "importance", importance)
    performance = _checked(Assessment, "performance", performance)
    with workspace_change(workspace, by=by, stale_since=version, targets=[_assessment_target(element)]) as change:
        if not Element.objects.filter(pk=element.pk).exists():
            raise Gone("element")
        current = Assessment.objects.select_for_update().filter(workspace=workspace, element=element).first()
        before = _assessment_text(current)
        assessment, _ = Assessment.objects.update_or_create(
            workspace=workspace, element=element, defaults={"importance": importance, "performance": performance}
        )
        if before != _assessment_text(assessment):
            change.record(
                kind=Change.Kind.ASSESSMENT, target=_assessment_target(element), subject=_assessment_subject(element),
                before=before, after=_assessment_text(assessment),
            )
    return assessment


def assessment_clear(*, workspace: Workspace, element: Element, by, version: int | None = None) -> None:
    """Forget an element's assessment (staffing no longer ranks it)."""
    with workspace_change(workspace, by=by, stale_since=version, targets=[_assessment_target(element)]) as change:
        current = Assessment.objects.select_for_update().filter(workspace=workspace, element=element).first()
        if current is not None:
            current.delete()
            change.record(
                kind=Change.Kind.ASSESSMENT, target=_assessment_target(element), subject=_assessment_subject(element),
                before=_assessment_text(current),
            )
