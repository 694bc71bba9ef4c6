"""Findings: plain data in, plain data out. No Django import, no database.

The rules are SPEC "Findings"; each message says what is wrong in a PMM lead's words and
cites the source it rests on.
"""

from dataclasses import dataclass

ACCOUNTABLE = {"A", "A/R"}
RESPONSIBLE = {"R", "A/R"}

SEVERITIES = ("high", "medium", "low", "info")

LABELS = {
    "no_accountable": "No A",
    "multiple_accountable": "Several A",
    "no_responsible": "No R",
    "unmapped_activity": "Unmapped",
}

RACI_SOURCE = "RACI practice: every activity needs exactly one accountable owner"
SEED_000 = "Crispin Read, What Is Product Marketing Exactly? (seed 000)"


@dataclass(frozen=True)
class RoleIn:
    key: str
    name: str
    archetype: str


@dataclass(frozen=True)
class ActivityIn:
    key: str
    name: str
    elements: tuple[str, ...] = ()  # "slug:code"
    raci: tuple[tuple[str, str], ...] = ()  # (role key, letters)


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    message: str
    source: str
    activity: str | None = None  # activity key
    activity_name: str | None = None
    element: str | None = None  # "slug:code"
    element_name: str | None = None
    roles: tuple[str, ...] = ()  # role names
    person: str | None = None

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind.replace("_", " "))


def activity_findings(activity: ActivityIn, roles: dict[str, RoleIn]) -> list[Finding]:
    """The rules that concern one matrix row on its own."""
    accountable = [roles[key].name for key, held in activity.raci if held in ACCOUNTABLE and key in roles]
    responsible = [roles[key].name for key, held in activity.raci if held in RESPONSIBLE and key in roles]
    about = {"activity": activity.key, "activity_name": activity.name}
    findings = []
    if not accountable:
        findings.append(
            Finding(
                kind="no_accountable", severity="high", source=RACI_SOURCE,
                message=f"Nobody is accountable for {activity.name}: name one A, or it will slip between teams.",
                **about,
            )
        )
    elif len(accountable) > 1:
        findings.append(
            Finding(
                kind="multiple_accountable", severity="high", source=RACI_SOURCE,
                message=(
                    f"{activity.name} has {_count_word(len(accountable))} accountable owners "
                    f"({', '.join(accountable)}): a RACI row needs exactly one A."
                ),
                roles=tuple(accountable), **about,
            )
        )
    if not responsible:
        findings.append(
            Finding(
                kind="no_responsible", severity="medium", source=RACI_SOURCE,
                message=f"Nobody does the work of {activity.name}: mark who is responsible (R).",
                **about,
            )
        )
    if not activity.elements:
        findings.append(
            Finding(
                kind="unmapped_activity", severity="low", source=SEED_000,
                message=(
                    f"{activity.name} is not mapped to any framework element, so it cannot be "
                    "benchmarked against the standard."
                ),
                **about,
            )
        )
    return findings


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))
