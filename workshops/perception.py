"""How each role sees itself against how others see it: plain data in, plain data out.

Participants write "I do X" (a self note, about their own role) and "I think <role> does Y"
(an other note). Per role and category, the gap is where the two views do not meet: work a
role claims that nobody else sees, or work others expect that the role does not name.
"""

from dataclasses import dataclass

SELF, OTHER = "self", "other"


@dataclass(frozen=True)
class NoteView:
    role: str  # the role the note is about
    kind: str  # "self" or "other"
    category: str  # the lane's name ("Unsorted" before it is sorted)


@dataclass(frozen=True)
class Perception:
    role: str
    category: str
    self_notes: int
    other_notes: int

    @property
    def verdict(self) -> str:
        if self.self_notes and self.other_notes:
            return "seen alike"
        return "only the role sees it" if self.self_notes else "only others see it"

    @property
    def is_gap(self) -> bool:
        return not (self.self_notes and self.other_notes)


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
    return [role for role in roles if all(row.is_gap for row in rows if row.role == role)]
