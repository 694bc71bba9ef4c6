"""Writes to a workshop. Each runs in one transaction and bumps the workshop's version,
which is what the board's and participants' polling compare."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from frameworks import letters as raci
from frameworks.models import Element
from responsibilities import services as workspace_services
from responsibilities.matching import PROBABLY_RIGHT, STOPWORDS, Matcher, Target, stem, words
from responsibilities.models import Activity, Assignment, Change, Role, Snapshot
from responsibilities.selectors import snapshot_content
from workshops import commit_rules
from workshops.models import (
    CODE_ALPHABET,
    KEY_LENGTH,
    NOTE_LIMIT,
    SECRET_LENGTH,
    JoinAttempt,
    Note,
    NoteOwner,
    Participant,
    Workshop,
    sorted_by_facilitator,
)

ServiceError = workspace_services.ServiceError
Gone = workspace_services.Gone

# A right code always gets in: nothing locks a workshop (a lock would let anyone who can
# read the key on the projector keep everyone out). Guessing is bounded per address and
# made hopeless by the secret's length; README "Workshops" has the arithmetic.
ATTEMPT_WINDOW = timedelta(minutes=10)
WRONG_CODES_PER_ADDRESS = 10
WRONG_CODES_WORTH_SHOWING = 10  # per workshop in the window: the board tells the facilitator
NOTES_PER_PARTICIPANT = 100
PARTICIPANTS_PER_WORKSHOP = 200
JOINS_PER_ADDRESS = 30  # per workshop: a team behind one office connection fits


class RateLimited(ServiceError):
    pass


def _bump(workshop: Workshop):
    Workshop.objects.filter(pk=workshop.pk).update(version=F("version") + 1)


def _code_part(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """What people type ("k7q 4mx2pr", "K7Q-4MX2PR") as the canonical KEY-SECRET."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{cleaned[:KEY_LENGTH]}-{cleaned[KEY_LENGTH:]}"


@transaction.atomic
def workshop_start(*, workspace, title: str, framework, roles: list[Role], by) -> Workshop:
    title = " ".join(title.split())
    if not title:
        raise ServiceError("The workshop needs a title.")
    if not roles:
        raise ServiceError("Choose the roles taking part (add roles to the workspace first).")
    if any(role.workspace_id != workspace.pk for role in roles):
        raise ServiceError("Those roles belong to another workspace.")
    for _ in range(20):
        key = _code_part(KEY_LENGTH)
        if not Workshop.objects.filter(key=key).exists():
            break
    else:
        raise ServiceError("Could not find a free join code; try again.")
    workshop = Workshop.objects.create(
        workspace=workspace, title=title[:120], framework=framework, key=key,
        secret=_code_part(SECRET_LENGTH), created_by=by,
    )
    workshop.roles.set(roles)
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED, version=F("version") + 1)


# Participants


def _recent_failures(**where) -> int:
    return JoinAttempt.objects.filter(at__gte=timezone.now() - ATTEMPT_WINDOW, **where).count()


def _same_secret(a: str, b: str) -> bool:
    # As bytes: compare_digest refuses str with characters beyond ASCII.
    return secrets.compare_digest(a.encode(), b.encode())


def workshop_for_code(*, code: str, ip: str) -> Workshop:
    """The open workshop a code opens. A wrong code counts against the address (limited)
    and the workshop (shown to the facilitator), whether it comes to join or to look first:
    the join page asks for the code before it shows the workshop's roles."""
    key, _, secret = normalise_code(code).partition("-")
    workshop = Workshop.objects.filter(key=key).first()
    # Recorded as wrong before the code is compared, then counted: codes sent at the same
    # moment each count those recorded before them, so at most the limit get compared.
    attempt = JoinAttempt.objects.create(ip=ip, workshop=workshop)
    if _recent_failures(ip=ip) > WRONG_CODES_PER_ADDRESS:
        attempt.delete()
        raise RateLimited("Too many wrong codes from this connection. Wait ten minutes, or ask the facilitator.")
    if workshop is None or not _same_secret(workshop.secret, secret):
        _wrong_code_noticed(workshop)
        raise ServiceError("That code does not open a workshop. Check it with the facilitator.")
    attempt.delete()
    if not workshop.is_open:
        raise ServiceError("This workshop is closed: it no longer takes notes.")
    return workshop


def join(*, code: str, name: str, ip: str, role: Role | None = None) -> Participant:
    """A participant for a valid code, holding `role` (None: none of the workshop's roles,
    or rather not say). Joins are limited per address and workshop. `ip` is the address the
    limits count (pmmhub.addresses.client_address)."""
    if _recent_failures(ip=ip) >= WRONG_CODES_PER_ADDRESS:
        raise RateLimited("Too many wrong codes from this connection. Wait ten minutes, or ask the facilitator.")
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Say what name the group should see on your notes.")
    if len(name) > 40:
        raise ServiceError("Use a name of at most 40 characters.")
    workshop = workshop_for_code(code=code, ip=ip)
    with transaction.atomic():
        # The workshop's row lock makes the counts below hold until this join is written.
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if not workshop.is_open:
            raise ServiceError("This workshop is closed: it no longer takes notes.")
        if role is not None and not workshop.roles.filter(pk=role.pk).exists():
            raise ServiceError("That role is not taking part in this workshop.")
        if workshop.participants.count() >= PARTICIPANTS_PER_WORKSHOP:
            raise ServiceError("This workshop is full.")
        if workshop.participants.filter(address=ip).count() >= JOINS_PER_ADDRESS:
            raise RateLimited(
                f"{JOINS_PER_ADDRESS} people have joined this workshop from this connection, the most one "
                "connection may add. Join from another network (your phone's mobile data, say)."
            )
        participant = Participant.objects.create(workshop=workshop, name=name, address=ip, role=role)
        _bump(workshop)
    return participant


def _wrong_code_noticed(workshop: Workshop | None):
    # Only the window counts: older attempts go, so guessing cannot grow the table for ever.
    JoinAttempt.objects.filter(at__lt=timezone.now() - ATTEMPT_WINDOW).delete()
    if workshop is not None and _recent_failures(workshop=workshop) >= WRONG_CODES_WORTH_SHOWING:
        _bump(workshop)  # the board's count of wrong codes changed, and is worth showing


@transaction.atomic
def workshop_new_code(*, workshop: Workshop) -> Workshop:
    """A new secret for the workshop's code (the key stays): the old code stops working, and
    everyone who joined keeps their place. The version bump shows the new code on every board."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not workshop.is_open:
        raise ServiceError("This workshop is closed: its code no longer works, so there is nothing to replace.")
    secret = workshop.secret
    while secret == workshop.secret:
        secret = _code_part(SECRET_LENGTH)
    workshop.secret = secret
    workshop.version = F("version") + 1
    workshop.save(update_fields=["secret", "version"])
    workshop.refresh_from_db()
    return workshop


@transaction.atomic
def participant_set_role(*, participant: Participant, role: Role | None):
    workshop = Workshop.objects.select_for_update().get(pk=participant.workshop_id)
    if not workshop.is_open:
        raise ServiceError("This workshop is closed: roles can no longer change.")
    if role is not None and not workshop.roles.filter(pk=role.pk).exists():
        raise ServiceError("That role is not taking part in this workshop.")
    participant.role = role
    participant.save(update_fields=["role"])
    _bump(workshop)


# Notes


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ServiceError("Write what the note says.")
    if len(text) > NOTE_LIMIT:
        raise ServiceError(f"Keep a note to {NOTE_LIMIT} characters (this one has {len(text)}).")
    return text


@transaction.atomic
def note_add(*, participant: Participant, text: str, kind: str, role: Role | None, share: str = "") -> Note:
    workshop = Workshop.objects.select_for_update().get(pk=participant.workshop_id)
    if not workshop.is_open:
        raise ServiceError("This workshop is closed: it no longer takes notes.")
    text = _clean_text(text)
    if kind == Note.Kind.SELF:
        role = participant.role
        if role is None:
            raise ServiceError("Say which role you hold first.")
        if share not in Note.Share.values:
            share = Note.Share.OWN
    elif kind == Note.Kind.OTHER:
        if role is None or not workshop.roles.filter(pk=role.pk).exists():
            raise ServiceError("Choose which role you think does it.")
        share = ""
    else:
        raise ServiceError("Unknown kind of note.")
    if participant.notes.count() >= NOTES_PER_PARTICIPANT:
        raise ServiceError(f"That is {NOTES_PER_PARTICIPANT} notes from you: merge or edit some first.")
    note = Note.objects.create(
        workshop=workshop, author=participant, text=text, kind=kind, role=role, share=share,
        position=(workshop.notes.filter(category=None).aggregate(top=Max("position"))["top"] or 0) + 1,
    )
    _bump(workshop)
    return note


def _own_note_to_change(*, participant: Participant, note: Note) -> Note:
    """The author's note, locked, while the workshop is open and the facilitator has not sorted it."""
    workshop = Workshop.objects.select_for_update().get(pk=participant.workshop_id)
    if not workshop.is_open:
        raise ServiceError("This workshop is closed: notes can no longer change.")
    note = (
        Note.objects.select_for_update().filter(pk=note.pk, author=participant)
        .annotate(is_sorted=sorted_by_facilitator()).first()
    )
    if note is None:
        raise ServiceError("This note was removed meanwhile.")
    if note.is_sorted:
        raise ServiceError("The facilitator has sorted this note, so it can no longer change; ask them if it should.")
    return note


@transaction.atomic
def participant_note_edit(*, participant: Participant, note: Note, text: str) -> Note:
    note = _own_note_to_change(participant=participant, note=note)
    note.text = _clean_text(text)
    note.save(update_fields=["text"])
    _bump(note.workshop)
    return note


@transaction.atomic
def participant_note_withdraw(*, participant: Participant, note: Note):
    note = _own_note_to_change(participant=participant, note=note)
    note.delete()
    _bump(participant.workshop)


def _top_category(element: Element) -> Element:
    return element.parent or element


def _note_to_sort(note: Note) -> Note:
    """The facilitator's note as it is now, locked: the workshop's row first (the order the
    participants' writes lock in), then the note. Refused if it was withdrawn (Gone: a 404 if
    uncaught) or merged into another note meanwhile, so two facilitators' clash is a refusal."""
    workshop = Workshop.objects.select_for_update().get(pk=note.workshop_id)
    current = Note.objects.select_for_update().filter(pk=note.pk, workshop=workshop).first()
    if current is None:
        raise Gone("note")
    if current.merged_into_id:
        raise ServiceError("This note was merged into another one meanwhile. Reload to see the board.")
    current.workshop = workshop
    return current


def _copy_back(note: Note, current: Note, fields: list[str]):
    """The caller's note object says what was written."""
    for name in fields:
        setattr(note, name, getattr(current, name))


@transaction.atomic
def note_move(*, note: Note, category: Element | None, position: int | None = None):
    """Put a note in a lane (None: unsorted), at a position among the lane's notes."""
    given, note = note, _note_to_sort(note)
    workshop = note.workshop
    if category is not None and (category.framework_id != workshop.framework_id or category.parent_id is not None):
        raise ServiceError("That lane is not a category of the workshop's framework.")
    lane = list(workshop.notes.select_for_update().filter(category=category, merged_into=None).exclude(pk=note.pk))
    position = len(lane) if position is None else max(0, min(len(lane), position))
    lane.insert(position, note)
    if note.element_id and (category is None or _top_category(note.element).pk != category.pk):
        note.element = None
    note.category = category
    for index, item in enumerate(lane):
        item.position = index
    Note.objects.bulk_update(lane, ["position"])
    note.save(update_fields=["category", "element", "position"])
    _copy_back(given, note, ["category", "element", "position"])
    _bump(workshop)


@transaction.atomic
def note_map(*, note: Note, element: Element | None):
    given, note = note, _note_to_sort(note)
    if element is not None and element.framework_id != note.workshop.framework_id:
        raise ServiceError("That element is not in the workshop's framework.")
    note.element = element
    if element is not None:
        note.category = _top_category(element)
    note.save(update_fields=["element", "category"])
    _copy_back(given, note, ["element", "category"])
    _bump(note.workshop)


class StaleNote(ServiceError):
    """The note was reworded by someone else since the editor's form was loaded."""

    def __init__(self, current: str):
        self.current = current
        super().__init__(f"Someone else reworded this note meanwhile; it now says “{current}”. Nothing was saved.")


@transaction.atomic
def note_edit(*, note: Note, text: str, original: str | None = None):
    """Reword a note. `original` is the text the editor's form showed: if the note says
    something else now, the edit is refused (StaleNote) instead of overwriting that change."""
    given, note = note, _note_to_sort(note)
    if original is not None and note.text != original:
        raise StaleNote(note.text)
    note.text = _clean_text(text)
    note.save(update_fields=["text"])
    given.text = note.text
    _bump(note.workshop)


@transaction.atomic
def note_merge(*, target: Note, others: list[Note]) -> list[str]:
    """Fold duplicates into the note the facilitator keeps (`target`): it keeps its lane,
    mapping and letters; every author stays on it, and every owner statement the others
    carry joins it: a role it has no letters for takes theirs, an R and an A make A/R.
    Returns the roles whose letters differed otherwise (the kept note's letters stand; the
    facilitator hears of them).

    The workshop's row is locked first and every note read again under it: a merge that
    crossed another (A into B while B went into A) or met a note changed meanwhile is refused."""
    for other in others:
        if other.pk == target.pk or other.workshop_id != target.workshop_id or other.merged_into_id:
            raise ServiceError("Merge notes of this workshop into another one of its notes.")
    workshop = Workshop.objects.select_for_update().get(pk=target.workshop_id)
    stale = {other.pk: other for other in others}
    current = {
        note.pk: note
        for note in Note.objects.select_for_update().filter(pk__in=[target.pk, *stale], workshop=workshop, merged_into=None)
    }
    if target.pk not in current:
        raise ServiceError("The note to keep was merged or removed meanwhile: nothing was merged. Reload to see the board.")
    if any(pk not in current or current[pk].text != other.text for pk, other in stale.items()):
        raise ServiceError("Some of these notes were merged, removed or reworded meanwhile: nothing was merged. Reload and merge again.")
    target, others = current[target.pk], [current[pk] for pk in stale]
    kept = {owner.role_id: owner for owner in NoteOwner.objects.select_for_update().filter(note=target)}
    differing: list[str] = []
    for owner in NoteOwner.objects.filter(note__in=others).select_related("role").order_by("note__position", "id"):
        mine = kept.get(owner.role_id)
        if mine is None:
            kept[owner.role_id] = NoteOwner.objects.create(note=target, role=owner.role, letters=owner.letters)
        elif mine.letters != owner.letters:
            joined = _joined_letters(mine.letters, owner.letters)
            if joined is None:
                differing.append(owner.role.name)
            else:
                mine.letters = joined
                mine.save(update_fields=["letters"])
    Note.objects.filter(merged_into__in=others).update(merged_into=target)
    Note.objects.filter(pk__in=[other.pk for other in others]).update(merged_into=target)
    _bump(workshop)
    return list(dict.fromkeys(differing))


def _joined_letters(kept: str, other: str) -> str | None:
    """Two statements for one role that add up (R and A, or either with A/R): A/R; else None."""
    if {kept, other} <= {raci.RESPONSIBLE, raci.ACCOUNTABLE, raci.ACCOUNTABLE_RESPONSIBLE}:
        return raci.ACCOUNTABLE_RESPONSIBLE
    return None


@transaction.atomic
def note_set_owner(*, note: Note, role: Role, letters: str):
    canonical = raci.parse_letters(letters)
    if canonical is None:
        raise ServiceError(f"{letters!r} is not a RACI letter; use {raci.ACCEPTED_SPELLINGS}.")
    note = _note_to_sort(note)
    if not note.workshop.roles.filter(pk=role.pk).exists():
        raise ServiceError("That role is not taking part in this workshop.")
    if canonical:
        NoteOwner.objects.update_or_create(note=note, role=role, defaults={"letters": canonical})
    else:
        NoteOwner.objects.filter(note=note, role=role).delete()
    _bump(note.workshop)


# Commit: the board becomes the workspace's activities, mappings and letters

NEW_ACTIVITY = "new"
PAIRINGS_SHOWN = 3


class UndecidedConflicts(ServiceError):
    pass


@dataclass(frozen=True)
class Pairing:
    """An existing activity a note may be added to, as the matcher ranks it."""

    activity: Activity
    score: float
    why: tuple[str, ...]

    @property
    def probably_right(self) -> bool:
        return self.score >= PROBABLY_RIGHT


@dataclass
class PlannedNote:
    """One sorted note and what committing does with it."""

    note: Note
    element: Element | None
    raci: list[tuple[Role, str]]  # the letters the room agreed
    pairings: list[Pairing]  # best first
    choice: str  # NEW_ACTIVITY or an activity's pk, as the form posts it
    activity: Activity | None  # the existing activity it goes into; None: a new one
    merge: commit_rules.Merge = field(default_factory=lambda: commit_rules.merge_letters({}, {}))
    # An earlier sorted note of the same wording: this one goes where that one goes, its
    # letters joining that activity's row (and what the earlier note brings) for a decision.
    follows: "PlannedNote | None" = None

    @property
    def name(self) -> str:
        return self.note.text

    @property
    def exists(self) -> bool:
        return self.activity is not None

    def choice_values(self) -> list[str]:
        return [NEW_ACTIVITY, *(str(pairing.activity.pk) for pairing in self.pairings)]


def _activity_matcher(activities: list[Activity]) -> Matcher:
    """The mapping suggestions' matcher, over the workspace's activities (their group as context)."""
    return Matcher(
        (
            Target(ref=str(activity.pk), name=activity.name, description=activity.description, context=activity.group)
            for activity in activities
        ),
        expect_unrelated_text=True,
    )


def _shared_words(text: str, name: str) -> tuple[str, ...]:
    """The words of `text` that `name` also uses (as stems: "pricing" meets "price")."""
    stems = {stem(word) for word in words(name) if word not in STOPWORDS}
    return tuple(dict.fromkeys(word for word in words(text) if word not in STOPWORDS and stem(word) in stems))


def commit_plan(
    workshop: Workshop, *, choices: dict[str, str] | None = None, decisions: dict[str, dict[str, str]] | None = None
) -> list[PlannedNote]:
    """What committing would do (nothing written): each sorted note, paired with the closest
    existing activities, goes into the one chosen (or a new activity), its letters merged.

    `choices` maps a note's public id to NEW_ACTIVITY or one of its pairings' activity pks;
    without one, the best pairing is chosen when it is probably right, else a new activity.
    `decisions` maps a note's public id to its conflicts' decisions (commit_rules).
    """
    choices, decisions = choices or {}, decisions or {}
    notes = list(
        workshop.notes.filter(merged_into=None)
        .exclude(category=None, element=None)
        .select_related("category", "element")
        .prefetch_related("owners__role")
        .order_by("category__position", "position", "id")
    )
    workspace = workshop.workspace
    activities = list(workspace.activities.all())
    by_name = {activity.name.casefold(): activity for activity in activities}
    rows: dict[object, dict[str, str]] = {}  # activity pk, or ("new", wording), -> its letters
    for activity_id, role_id, letters in Assignment.objects.filter(activity__workspace=workspace).values_list(
        "activity_id", "role_id", "letters"
    ):
        rows.setdefault(activity_id, {})[str(role_id)] = letters
    role_names = {str(pk): name for pk, name in workspace.roles.values_list("pk", "name")}
    matcher = _activity_matcher(activities)
    by_pk = {str(activity.pk): activity for activity in activities}
    plan: list[PlannedNote] = []
    first: dict[str, PlannedNote] = {}  # wording (casefold) -> its first sorted note
    for note in notes:
        wording = note.text.casefold()
        leader = first.get(wording)
        if leader is not None:
            # The same wording twice is one activity: this note goes where the first goes,
            # its owners and mapping kept (a second, different A shows as a conflict).
            item = PlannedNote(
                note=note, element=note.element or note.category,
                raci=[(owner.role, owner.letters) for owner in note.owners.all()],
                pairings=leader.pairings, choice=leader.choice, activity=leader.activity, follows=leader,
            )
            key = item.activity.pk if item.activity else ("new", wording)
            item.merge = commit_rules.merge_letters(
                rows.get(key, {}), {str(role.pk): letters for role, letters in item.raci},
                decisions.get(str(note.public_id)), names=role_names,
            )
            rows[key] = item.merge.row
            plan.append(item)
            continue
        pairings = [
            Pairing(
                activity=by_pk[candidate.ref], score=candidate.score,
                why=_shared_words(note.text, candidate.name) or candidate.why,  # a typo matches too
            )
            for candidate in matcher.rank(note.text, limit=PAIRINGS_SHOWN)
        ]
        same_name = by_name.get(note.text.casefold())
        if same_name is not None:
            # The activity of the same name is the pairing to offer first, whatever its score.
            pairings = [Pairing(activity=same_name, score=1.0, why=_shared_words(note.text, same_name.name))] + [
                pairing for pairing in pairings if pairing.activity.pk != same_name.pk
            ][: PAIRINGS_SHOWN - 1]
        item = PlannedNote(
            note=note, element=note.element or note.category,
            raci=[(owner.role, owner.letters) for owner in note.owners.all()],
            pairings=pairings, choice=NEW_ACTIVITY, activity=None,
        )
        choice = choices.get(str(note.public_id))
        if choice is None:
            best = pairings[0] if pairings else None
            choice = str(best.activity.pk) if best and (best.probably_right or best.activity is same_name) else NEW_ACTIVITY
        if choice not in item.choice_values():
            raise ServiceError(f"Choose where “{note.text}” goes: a new activity or one of those offered.")
        item.choice = choice
        # A new activity of a name the matrix already has would be a duplicate: it is that one.
        item.activity = same_name if choice == NEW_ACTIVITY else by_pk[choice]
        current = rows.get(item.activity.pk, {}) if item.activity else {}
        item.merge = commit_rules.merge_letters(
            current, {str(role.pk): letters for role, letters in item.raci},
            decisions.get(str(note.public_id)), names=role_names,
        )
        # A later note into the same activity (or of the same wording) meets these letters.
        rows[item.activity.pk if item.activity else ("new", wording)] = item.merge.row
        first[wording] = item
        plan.append(item)
    return plan


def committed_activities(workshop: Workshop) -> dict[str, tuple[int | None, str]]:
    """Note public id -> (activity pk, activity name) for each note committed into an activity,
    as the workspace's history recorded it (the latest commit of a note counts; the name is the
    activity's name now, or as it was when it is gone)."""
    links = {}
    for snapshot, activity_id, name, recorded_name in (
        Change.objects.filter(workspace_id=workshop.workspace_id, kind=Change.Kind.WORKSHOP, batch=workshop.public_id)
        .filter(snapshot__isnull=False)
        .order_by("version", "id")
        .values_list("snapshot", "activity_id", "activity__name", "activity_name")
    ):
        if isinstance(snapshot, dict) and "note" in snapshot:
            links[snapshot["note"]] = (activity_id, name or recorded_name)
    return links


def workshop_commit(
    *, workshop: Workshop, by, choices: dict[str, str] | None = None, decisions: dict[str, dict[str, str]] | None = None
) -> list[PlannedNote]:
    """Apply the plan through the workspace's services, as one change to the workspace (one
    transaction, one version bump, its history); committing again changes nothing more.
    Refused (UndecidedConflicts) while any conflict of letters is undecided."""
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        workspace = workshop.workspace
        with workspace_services.workspace_change(workspace, by=by) as change:
            plan = commit_plan(workshop, choices=choices, decisions=decisions)
            if not plan:
                raise ServiceError("Nothing to commit yet: sort notes into categories first.")
            if any(item.merge.undecided for item in plan):
                raise UndecidedConflicts(
                    "Some notes disagree with the matrix's letters: decide each conflict below, then commit."
                )
            before = snapshot_content(workspace)
            roles = {str(role.pk): role for role in workspace.roles.all()}
            linked = committed_activities(workshop)
            created, new_activities = 0, {}
            for item in plan:
                activity = item.activity
                if activity is None and item.follows is not None:
                    activity = new_activities[id(item.follows)]  # the same wording's new activity
                elif activity is None:
                    activity = workspace_services.activity_add(workspace=workspace, name=item.name, by=by)
                    new_activities[id(item)] = activity
                    created += 1
                if item.element is not None:
                    workspace_services.mappings_accept(workspace=workspace, choices=[(activity, item.element)], by=by)
                for role_key, letters in item.merge.writes.items():
                    workspace_services.assignment_set(activity=activity, role=roles[role_key], letters=letters, expected=None, by=by)
                if linked.get(str(item.note.public_id), (None, ""))[0] != activity.pk:
                    # History remembers which activity the note went into: the results compare views by it.
                    change.record(
                        kind=Change.Kind.WORKSHOP, subject=f"note “{item.name}” of workshop {workshop.title}", activity=activity,
                        after="added to this activity" if item.exists or item.follows else "became this activity",
                        batch=workshop.public_id, snapshot={"note": str(item.note.public_id)},
                    )
            if any(row.kind != Change.Kind.WORKSHOP for row in change.rows):  # the matrix changes
                workspace_services.snapshot_keep(change, before, reason=Snapshot.Reason.WORKSHOP, title=workshop.title)
            if change.rows:  # committing again, with nothing new, writes nothing
                change.record(
                    kind=Change.Kind.WORKSHOP, target=workspace_services.SETTINGS_TARGET, subject=f"workshop {workshop.title}",
                    after=f"committed: {created} new activities, {len(plan) - created} notes added to existing ones",
                )
        workshop.committed_at = timezone.now()
        workshop.status = Workshop.Status.CLOSED
        workshop.version = F("version") + 1
        workshop.save(update_fields=["committed_at", "status", "version"])
    return plan
