"""The commit preview's form: per note, where it goes; per conflict, whose letters stand."""

from dataclasses import dataclass

from django import forms

from workshops import commit_rules
from workshops.services import NEW_ACTIVITY, Pairing, PlannedNote


@dataclass
class Option:
    value: str
    pairing: Pairing | None  # None: a new activity


@dataclass
class Decision:
    conflict: commit_rules.Conflict
    name: str  # the form field's name
    value: str


@dataclass
class Row:
    """One note of the preview, with what its radios show and hold."""

    item: PlannedNote
    name: str
    value: str
    options: list[Option]
    decisions: list[Decision]


def _choice_name(item: PlannedNote) -> str:
    return f"note-{item.note.public_id}"


def _decision_name(item: PlannedNote, key: str) -> str:
    return f"decide-{item.note.public_id}-{key}"


def _conflict_keys(item: PlannedNote) -> list[str]:
    """Every conflict a note could have, whichever activity is chosen for it."""
    return [commit_rules.ACCOUNTABLE_KEY, *(commit_rules.letters_key(str(role.pk)) for role, _ in item.raci)]


class CommitForm(forms.Form):
    """Built on the plan with its default choices; a posted choice must be one it offered
    (a new activity or one of the note's pairings), so a forged activity id is refused."""

    def __init__(self, plan: list[PlannedNote], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for item in plan:
            self.fields[_choice_name(item)] = forms.ChoiceField(
                choices=[(value, value) for value in item.choice_values()], initial=item.choice,
                required=item.follows is None,  # a note worded like an earlier one goes where that one goes
                error_messages=dict.fromkeys(
                    ("required", "invalid_choice"), f"Choose where “{item.name}” goes: a new activity or one of those offered."
                ),
            )
            for key in _conflict_keys(item):
                self.fields[_decision_name(item, key)] = forms.ChoiceField(
                    choices=[(decision, decision) for decision in commit_rules.DECISIONS], required=False,
                )

    def choices(self) -> dict[str, str]:
        return {str(item.note.public_id): self.cleaned_data[_choice_name(item)] for item in self.plan}

    def decisions(self) -> dict[str, dict[str, str]]:
        return {
            str(item.note.public_id): {
                key: self.cleaned_data[_decision_name(item, key)]
                for key in _conflict_keys(item) if self.cleaned_data.get(_decision_name(item, key))
            }
            for item in self.plan
        }

    def rows(self, plan: list[PlannedNote]) -> list[Row]:
        """The preview's rows for `plan` (the plan as chosen), radios holding what was posted."""
        rows = []
        for item in plan:
            name = _choice_name(item)
            rows.append(
                Row(
                    item=item, name=name, value=item.choice,
                    options=[Option(NEW_ACTIVITY, None)] + [Option(str(p.activity.pk), p) for p in item.pairings],
                    decisions=[
                        Decision(conflict=conflict, name=_decision_name(item, conflict.key), value=conflict.decision or "")
                        for conflict in item.merge.conflicts
                    ],
                )
            )
        return rows
