"""RACI letters: the one place that knows how they are written.

Canonical values are "R", "A", "C", "I" and "A/R" (A and R held together). Spreadsheets
and documents may also write A/R as "AR", "RA" or "R/A", in any case, and "not involved" as
a blank, a dash (`-`, `–`, `—`) or `n/a` / `na`, as real sheets do. An `x` (or a tick) is
refused: some teams mean "involved" by it, others "not applicable", and guessing either
would put a wrong letter in the matrix.
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

# Written for "not involved" (parsed as blank). Dashes: hyphen-minus, hyphen, non-breaking
# hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
_NOT_INVOLVED = {"-", "--", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "N/A", "NA", "N.A."}
# Written for "involved", but without saying how.
_INVOLVED_SOMEHOW = {"X", "\u2713", "\u2714", "\u2705", "Y", "YES"}

ACCEPTED_SPELLINGS = "R, A, C, I or A/R (also AR, RA, R/A)"
NOT_INVOLVED_SPELLINGS = "blank, - or n/a"


def parse_letters(text: str) -> str | None:
    """The canonical letters for `text`, "" for blank, or None when it is not RACI."""
    cleaned = _cleaned(text)
    if not cleaned or cleaned in _NOT_INVOLVED:
        return ""
    return _SPELLINGS.get(cleaned)


def refusal(text: object) -> str:
    """Why `text` (which parse_letters refused) is not a cell value, and what to write instead."""
    if isinstance(text, str) and _cleaned(text) in _INVOLVED_SOMEHOW:
        return (
            f"{text!r} says someone is involved but not how: write {ACCEPTED_SPELLINGS}, "
            f"or {NOT_INVOLVED_SPELLINGS} for not involved"
        )
    return f"{text!r} is not a RACI letter; use {ACCEPTED_SPELLINGS}, or {NOT_INVOLVED_SPELLINGS} for not involved"


def _cleaned(text: str) -> str:
    return text.strip().upper().replace(" ", "").replace("\u00a0", "")


def is_accountable(letters: str) -> bool:
    return letters in (ACCOUNTABLE, ACCOUNTABLE_RESPONSIBLE)


def is_responsible(letters: str) -> bool:
    return letters in (RESPONSIBLE, ACCOUNTABLE_RESPONSIBLE)
