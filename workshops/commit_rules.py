"""How a workshop note's letters join an existing activity's row: plain data in, plain data out.

A role with no letter in the matrix takes the note's; the same letter changes nothing. Two
things are never decided silently, because the matrix may be right and the room wrong:
a role whose letter would change (the matrix says C, the room says R), and a second
accountable (the matrix says the Product Manager is accountable, the room says Product
Marketing is). Each is a Conflict, shown for a decision: keep the matrix's letters, or take
the workshop's.
"""

from collections.abc import Mapping
from dataclasses import dataclass

ACCOUNTABLE_LETTERS = ("A", "A/R")
KEEP_MATRIX, TAKE_WORKSHOP = "matrix", "workshop"
DECISIONS = (KEEP_MATRIX, TAKE_WORKSHOP)
ACCOUNTABLE_KEY = "accountable"


def is_accountable(letters: str) -> bool:
    return letters in ACCOUNTABLE_LETTERS


def without_accountable(letters: str) -> str:
    """The letters less the A: "A/R" keeps its R, "A" leaves nothing."""
    return {"A/R": "R", "A": ""}.get(letters, letters)


@dataclass(frozen=True)
class Conflict:
    key: str  # "accountable", or "letters:<role>"
    roles: tuple[str, ...]  # the roles it is about, matrix's first
    matrix: str  # what the matrix holds, in words ("Product Manager A")
    workshop: str  # what the workshop says
    decision: str | None  # KEEP_MATRIX, TAKE_WORKSHOP, or None while undecided


@dataclass(frozen=True)
class Merge:
    row: dict[str, str]  # role -> letters after the merge (roles with no letter left out)
    writes: dict[str, str]  # role -> the letters to write ("" clears), only where they change
    conflicts: tuple[Conflict, ...]

    @property
    def undecided(self) -> tuple[Conflict, ...]:
        return tuple(conflict for conflict in self.conflicts if conflict.decision is None)


def letters_key(role: str) -> str:
    return f"letters:{role}"


def merge_letters(
    current: Mapping[str, str], proposed: Mapping[str, str], decisions: Mapping[str, str] | None = None,
    *, names: Mapping[str, str] | None = None,
) -> Merge:
    """Merge a note's `proposed` letters (role -> letters) into an activity's `current` row.

    `decisions` maps a conflict's key to KEEP_MATRIX or TAKE_WORKSHOP; anything else counts as
    undecided, and an undecided conflict keeps the matrix's letters. `names` (role -> name)
    only words the conflicts. Merging the result again with the same decisions writes nothing.
    """
    decisions = decisions or {}
    names = names or {}

    def decided(key: str) -> str | None:
        decision = decisions.get(key)
        return decision if decision in DECISIONS else None

    def said(roles, row) -> str:
        return ", ".join(f"{names.get(role, role)} {row[role]}" for role in roles)

    current = {role: held for role, held in current.items() if held}
    proposed = {role: held for role, held in proposed.items() if held}
    conflicts = []
    matrix_accountable = [role for role, held in current.items() if is_accountable(held)]
    workshop_accountable = [role for role, held in proposed.items() if is_accountable(held)]
    new_accountable = [role for role in workshop_accountable if role not in matrix_accountable]
    accountable_decision = None
    if matrix_accountable and new_accountable:
        accountable_decision = decided(ACCOUNTABLE_KEY)
        conflicts.append(
            Conflict(
                key=ACCOUNTABLE_KEY, roles=(*matrix_accountable, *new_accountable),
                matrix=said(matrix_accountable, current), workshop=said(workshop_accountable, proposed),
                decision=accountable_decision,
            )
        )
    row = dict(current)
    for role, held in proposed.items():
        # A new accountable's A is the accountable conflict's to decide; the rest of its letters are not.
        rest = without_accountable(held) if role in new_accountable and matrix_accountable else held
        if accountable_decision != TAKE_WORKSHOP:
            held = rest
        before = current.get(role, "")
        if before and rest and rest != before:
            decision = decided(letters_key(role))
            conflicts.append(
                Conflict(
                    key=letters_key(role), roles=(role,), matrix=said([role], current),
                    workshop=said([role], {role: held}), decision=decision,
                )
            )
            if decision != TAKE_WORKSHOP:
                continue
        if held:
            row[role] = held
    if accountable_decision == TAKE_WORKSHOP:
        # The room's accountable replaces the matrix's: the others keep what they do, less the A.
        for role in matrix_accountable:
            if role not in workshop_accountable:
                row[role] = without_accountable(row[role])
    row = {role: held for role, held in row.items() if held}
    writes = {role: row.get(role, "") for role in {*current, *row} if row.get(role, "") != current.get(role, "")}
    return Merge(row=row, writes=dict(sorted(writes.items())), conflicts=tuple(conflicts))
