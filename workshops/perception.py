"""How each role sees itself against how others see it: plain data in, plain data out.

Participants write "I do X" (a self note, about their own role) and "I think <role> does Y"
(an other note). Per role and category, the gap is where the two views do not meet: work a
role claims that nobody else sees, or work others expect that the role does not name.

The results compare the views per activity rather than per category: notes about the same
work (merged, committed into the same activity, or simply worded alike) are one activity,
so an unsorted "Pricing decisions" and a sorted one agree instead of making two gaps.
"""

from dataclasses import dataclass

SELF, OTHER = "self", "other"


@dataclass(frozen=True)
class NoteView:
    role: str  # the role the note is about
    kind: str  # "self" or "other"
    category: str  # the lane's name ("Unsorted" before it is sorted)
    activity: str = ""  # the work it is about: its activity once committed, else its (merged) note's text


SEEN_ALIKE, ONLY_THE_ROLE, ONLY_OTHERS = "seen alike", "only the role sees it", "only others see it"


@dataclass(frozen=True, kw_only=True)
class Views:
    """How many notes say a role does some work: its own, and others'."""

    self_notes: int
    other_notes: int

    @property
    def agrees(self) -> bool:
        return bool(self.self_notes and self.other_notes)

    @property
    def verdict(self) -> str:
        if self.agrees:
            return SEEN_ALIKE
        return ONLY_THE_ROLE if self.self_notes else ONLY_OTHERS


@dataclass(frozen=True, kw_only=True)
class Perception(Views):
    role: str
    category: str


def perceptions(notes: list[NoteView], roles: list[str], categories: list[str]) -> list[Perception]:
    """One row per role and category that any note mentions, in role then category order."""
    counts: dict[tuple[str, str], list[int]] = {}
    for note in notes:
        pair = counts.setdefault((note.role, note.category), [0, 0])
        pair[0 if note.kind == SELF else 1] += 1
    order = {name: i for i, name in enumerate(categories)}
    role_order = {name: i for i, name in enumerate(roles)}
    return [
        Perception(role=role, category=category, self_notes=mine, other_notes=theirs)
        for (role, category), (mine, theirs) in sorted(
            counts.items(), key=lambda item: (role_order.get(item[0][0], 999), order.get(item[0][1], 999))
        )
    ]


def roles_seen_differently(rows: list[Perception]) -> list[str]:
    """Roles whose self-view and others' view meet in no category at all."""
    roles = dict.fromkeys(row.role for row in rows)
    return [role for role in roles if not any(row.agrees for row in rows if row.role == role)]


@dataclass(frozen=True, kw_only=True)
class ActivityView(Views):
    """What one role says it does on one activity, against what others say it does."""

    role: str
    activity: str
    category: str


@dataclass(frozen=True)
class RoleTally:
    """Per role, on how many activities its own view and others' views meet, and do not."""

    role: str
    agreed: int
    only_the_role: int
    only_others: int

    @property
    def disagreed(self) -> int:
        return self.only_the_role + self.only_others


def same_work(text: str) -> str:
    """What tells two notes' work apart: their words, whatever the case and spacing."""
    return " ".join(text.split()).casefold()


def by_activity(notes: list[NoteView], roles: list[str], *, unsorted: str) -> list[ActivityView]:
    """One row per role and activity any note mentions, in role order, then activities in the
    order their first note comes. Activities are told apart by name, whatever the case; an
    activity's category is the first sorted one among its notes (else `unsorted`)."""
    names: dict[str, str] = {}
    categories: dict[str, str] = {}
    counts: dict[tuple[str, str], list[int]] = {}
    for note in notes:
        key = same_work(note.activity)
        names.setdefault(key, note.activity)
        if categories.get(key, unsorted) == unsorted:
            categories[key] = note.category
        pair = counts.setdefault((note.role, key), [0, 0])
        pair[0 if note.kind == SELF else 1] += 1
    activity_order = {key: i for i, key in enumerate(names)}
    role_order = {name: i for i, name in enumerate(roles)}
    return [
        ActivityView(role=role, activity=names[key], category=categories[key], self_notes=mine, other_notes=theirs)
        for (role, key), (mine, theirs) in sorted(
            counts.items(), key=lambda item: (role_order.get(item[0][0], len(roles)), item[0][0], activity_order[item[0][1]])
        )
    ]


def tallies(rows: list[ActivityView], roles: list[str]) -> list[RoleTally]:
    """Per role that any row is about, in `roles` order: activities agreed and not."""
    found = dict.fromkeys(row.role for row in rows)
    ordered = [role for role in roles if role in found] + [role for role in found if role not in roles]
    return [
        RoleTally(
            role=role,
            agreed=sum(1 for row in rows if row.role == role and row.agrees),
            only_the_role=sum(1 for row in rows if row.role == role and row.verdict == ONLY_THE_ROLE),
            only_others=sum(1 for row in rows if row.role == role and row.verdict == ONLY_OTHERS),
        )
        for role in ordered
    ]
