"""RACI letters: the one place that knows how they are written.

Canonical values are "R", "A", "C", "I" and "A/R" (A and R held together). Spreadsheets
and documents may also write A/R as "AR", "RA" or "R/A", in any case.
"""

RESPONSIBLE = "R"
ACCOUNTABLE = "A"
CONSULTED = "C"
INFORMED = "I"
ACCOUNTABLE_RESPONSIBLE = "A/R"

CANONICAL = (RESPONSIBLE, ACCOUNTABLE, ACCOUNTABLE_RESPONSIBLE, CONSULTED, INFORMED)
CHOICES = [
    (RESPONSIBLE, "R — Responsible"),
    (ACCOUNTABLE, "A — Accountable"),
    (ACCOUNTABLE_RESPONSIBLE, "A/R — Accountable and responsible"),
    (CONSULTED, "C — Consulted"),
    (INFORMED, "I — Informed"),
]

_SPELLINGS = {
    "R": RESPONSIBLE,
    "A": ACCOUNTABLE,
    "C": CONSULTED,
    "I": INFORMED,
    "A/R": ACCOUNTABLE_RESPONSIBLE,
    "AR": ACCOUNTABLE_RESPONSIBLE,
    "RA": ACCOUNTABLE_RESPONSIBLE,
    "R/A": ACCOUNTABLE_RESPONSIBLE,
}

ACCEPTED_SPELLINGS = "R, A, C, I or A/R (also AR, RA, R/A)"


def parse_letters(text: str) -> str | None:
    """The canonical letters for `text`, "" for blank, or None when it is not RACI."""
    cleaned = text.strip().upper().replace(" ", "")
    if not cleaned:
        return ""
    return _SPELLINGS.get(cleaned)


def is_accountable(letters: str) -> bool:
    return letters in (ACCOUNTABLE, ACCOUNTABLE_RESPONSIBLE)


def is_responsible(letters: str) -> bool:
    return letters in (RESPONSIBLE, ACCOUNTABLE_RESPONSIBLE)
