"""Reads of a workshop in a fixed number of queries, whatever the number of notes."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F
from django.utils import timezone

from frameworks.models import Element
from responsibilities.analysis import ActivityIn, Finding, activity_findings
from responsibilities.selectors import role_inputs
from workshops.models import JoinAttempt, Note, NoteOwner, Participant, Workshop, sorted_by_facilitator
from workshops.perception import (
    ActivityView,
    NoteView,
    Perception,
    RoleTally,
    by_activity,
    perceptions,
    roles_seen_differently,
    same_work,
    tallies,
)
from workshops.services import ATTEMPT_WINDOW, WRONG_CODES_WORTH_SHOWING, committed_activities

UNSORTED = "Unsorted"


def workshop_version(public_id) -> int | None:
    """The version of a workshop, or None if there is none with that id.

    Every open board asks this every few seconds, and for one column by primary key the
    ORM's query building costs twice the database's answer; hence plain SQL.
    """
    key = Workshop._meta.get_field("public_id").get_db_prep_value(public_id, connection)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Workshop._meta.db_table)
        cursor.execute(f"SELECT version FROM {table} WHERE public_id = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def wrong_codes_worth_showing(workshop: Workshop) -> int:
    """Wrong codes for this workshop in the limits' window, when there are enough that the
    facilitator should hear of them (else 0): someone may be guessing, and a new code helps."""
    count = JoinAttempt.objects.filter(workshop=workshop, at__gte=timezone.now() - ATTEMPT_WINDOW).count()
    return count if count >= WRONG_CODES_WORTH_SHOWING else 0


@dataclass
class NoteCard:
    note: Note
    authors: list[str]
    owners: dict[int, str]  # role id -> letters
    rows: list[tuple] = field(default_factory=list)  # (role, letters or "") in column order
    flags: list[Finding] = field(default_factory=list)

    def letters_for(self, role) -> str:
        return self.owners.get(role.pk, "")


@dataclass
class Lane:
    category: Element | None
    title: str
    cards: list[NoteCard]
    elements: list[Element]


@dataclass
class Board:
    workshop: Workshop
    roles: list
    lanes: list[Lane]
    participants: list[Participant]
    perception: list[Perception]
    seen_differently: list[str]

    @property
    def note_count(self) -> int:
        return sum(len(lane.cards) for lane in self.lanes)


def board_for(workshop: Workshop) -> Board:
    roles = list(workshop.roles.select_related("archetype").order_by("position", "id"))
    elements = list(workshop.framework.elements.order_by("position"))
    categories = [e for e in elements if e.parent_id is None]
    notes = list(
        workshop.notes.select_related("author", "role", "category", "element").order_by("position", "id")
    )
    owners: dict[int, dict[int, str]] = {}
    for note_id, role_id, letters in NoteOwner.objects.filter(note__workshop=workshop).values_list(
        "note_id", "role_id", "letters"
    ):
        owners.setdefault(note_id, {})[role_id] = letters
    authors: dict[int, list[str]] = {}
    for note in notes:
        top = note.merged_into_id or note.pk
        names = authors.setdefault(top, [])
        if note.author.name not in names:
            names.append(note.author.name)
    roles_in = role_inputs(roles)
    cards: dict[int | None, list[NoteCard]] = {}
    for note in notes:
        if note.merged_into_id:
            continue
        held = owners.get(note.pk, {})
        card = NoteCard(
            note=note, authors=authors.get(note.pk, []), owners=held,
            rows=[(role, held.get(role.pk, "")) for role in roles],
        )
        if card.owners:
            card.flags = [
                finding for finding in activity_findings(
                    ActivityIn(key=str(note.public_id), name=note.text, elements=("sorted",),
                               raci=tuple((str(role_id), held) for role_id, held in card.owners.items())),
                    roles_in,
                )
                if finding.kind in ("no_accountable", "multiple_accountable")
            ]
        cards.setdefault(note.category_id, []).append(card)
    lanes = [Lane(category=None, title=UNSORTED, cards=cards.get(None, []), elements=[])]
    for category in categories:
        lanes.append(
            Lane(
                category=category, title=category.name, cards=cards.get(category.pk, []),
                elements=[category] + [e for e in elements if e.parent_id == category.pk],
            )
        )
    role_names = {role.pk: role.name for role in roles}
    category_names = {category.pk: category.name for category in categories}
    by_pk = {note.pk: note for note in notes}
    # A merged duplicate still counts as its author's view, in the lane its note went to.
    views = [
        NoteView(
            role=role_names.get(note.role_id, "?"),
            kind=note.kind,
            category=category_names.get(by_pk.get(note.merged_into_id, note).category_id, UNSORTED),
        )
        for note in notes
    ]
    rows = perceptions(views, [role.name for role in roles], [UNSORTED, *category_names.values()])
    return Board(
        workshop=workshop,
        roles=roles,
        lanes=lanes,
        participants=list(workshop.participants.select_related("role")),
        perception=rows,
        seen_differently=roles_seen_differently(rows),
    )


@dataclass
class Results:
    """How each role's view of its work meets others', per activity (results page and downloads)."""

    activities: list[ActivityView]  # per role and activity
    tallies: list[RoleTally]  # per role
    committed: dict[int, str]  # note pk -> the activity it was committed into

    @property
    def never_agreed(self) -> list[str]:
        return [tally.role for tally in self.tallies if not tally.agreed]


def results_for(workshop: Workshop) -> Results:
    """In three queries: the workshop's roles, its notes, and which activity each went into.

    Every note counts, merged duplicates too (each is its author's view), as a view of its
    surviving note's work: the activity it was committed into, or else the note's text.
    """
    roles = list(workshop.roles.order_by("position", "id").values_list("name", flat=True))
    notes = list(
        workshop.notes.select_related("category", "role").order_by(F("category__position").asc(nulls_last=True), "position", "id")
    )
    links = committed_activities(workshop)
    by_pk = {note.pk: note for note in notes}
    committed = {note.pk: links[str(note.public_id)][1] for note in notes if str(note.public_id) in links}
    # A note left out of the commit (unsorted, say) that says what a committed one said is about that activity.
    committed_texts = {same_work(by_pk[pk].text): activity for pk, activity in committed.items()}
    views = []
    for note in notes:
        top = by_pk.get(note.merged_into_id, note)
        views.append(
            NoteView(
                role=note.role.name, kind=note.kind,
                category=top.category.name if top.category else UNSORTED,
                activity=committed.get(top.pk) or committed_texts.get(same_work(top.text), top.text),
            )
        )
    rows = by_activity(views, roles, unsorted=UNSORTED)
    return Results(activities=rows, tallies=tallies(rows, roles), committed=committed)


@dataclass(frozen=True)
class Counts:
    participants: int
    notes: int


def workshop_counts(workshop: Workshop) -> Counts:
    """What the presenter view shows the room: who joined and how many notes (a merged
    duplicate counts once, as on the board)."""
    return Counts(
        participants=workshop.participants.count(), notes=workshop.notes.filter(merged_into=None).count()
    )


def participant_notes(participant: Participant) -> list[Note]:
    """The participant's notes, newest first, each knowing whether the facilitator has sorted it."""
    return list(
        participant.notes.select_related("role", "category")
        .annotate(is_sorted=sorted_by_facilitator())
        .order_by("-created_at")
    )
