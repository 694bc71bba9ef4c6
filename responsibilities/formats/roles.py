"""Which kind of role (archetype) a sheet's column header names: plain data and the Matcher.

Teams head their columns with abbreviations and titles (`Mktg`, `Dir PMM`, `VP Product`,
`Head of Sales`, `CSM`, `SE`). Each archetype lists here the names practitioners use for it.
A header is read so: a note in parentheses (`PMM (Dana)`, `Field Marketing (EMEA)`) and the
words that say only how senior someone is (VP, head of, director, senior, lead, manager…)
are set aside; then a header that is one of the names (ignoring case, spaces and dots) gets
that archetype, and any other is ranked against them by the same Matcher that suggests
mappings (stems, near matches, words weighted by rarity), so `Brand & Comms` or
`Growth Marketing Lead` still find theirs. A header nothing matches well enough is `other`; the
import preview shows every choice and lets the user change it.

Chief officers (CEO, CMO, CPO, CRO, CTO) and founders are Leadership (`exec`); vice
presidents, heads, directors and leads belong to their function (`VP Product` is pm,
`Head of Sales` is sales). A sales engineer (`SE`, `Sales Eng`) is sales: pre-sales work.
"Product" appears only in product management's and product marketing's names, so that it
stays a telling word.
"""

import re
from functools import cache

from responsibilities.matching import Matcher, Target

ARCHETYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "pm": (
        "Product Management", "Product Manager", "Product Managers", "PM", "PMs", "Product",
        "Product Owner", "PO", "Group Product Manager", "GPM", "Product team", "Prod Mgmt",
        "Product Ops", "Product Operations",
    ),
    "pmm": (
        "Product Marketing", "Product Marketing Manager", "Product Marketer", "Product Marketers",
        "PMM", "PMMs", "Product Mktg", "Prod Mktg", "Solutions Marketing", "Solution Marketing",
        "Portfolio Marketing", "Industry Marketing",
    ),
    "marcom": (
        "Marketing", "Mktg", "Marcom", "Marcomms", "Marketing Communications", "MarComms",
        "Corporate Marketing", "Corp Marketing", "Corp Mktg", "Brand", "Brand Marketing",
        "Demand Gen", "Demand Generation", "Growth Marketing", "Field Marketing", "Content Marketing",
        "Digital Marketing", "Performance Marketing", "Marketing Ops", "Marketing Operations", "MOps",
        "Communications", "Comms", "PR", "Public Relations", "Analyst Relations", "Events", "Web team",
        "Creative", "Growth", "Mkt", "DevRel", "Dev Rel", "Developer Relations",
    ),
    "sales": (
        "Sales", "Sales team", "Account Executive", "Account Executives", "AE", "AEs", "SDR", "BDR",
        "Sales Development", "Business Development", "BD", "BizDev", "Sales Engineer", "Sales Engineers",
        "Sales Engineering", "Sales Eng", "SE", "SEs", "Solutions Engineer", "Solutions Engineering",
        "Pre-sales", "Presales", "Solutions Consulting", "Channel", "Channel Sales", "Partnerships",
        "Alliances", "Sales Ops", "Sales Operations", "RevOps", "Sales Enablement", "Deal Desk",
    ),
    "engineering": (
        "Engineering", "Eng", "Engg", "Engineers", "Engineer", "Dev", "Devs", "Developers",
        "Development", "R&D", "Tech", "Technology", "QA", "DevOps", "Architecture", "Architect",
        "Platform team",
    ),
    "cs": (
        "Customer Success", "CS", "CSM", "CSMs", "Customer Success Manager", "Customer Success Managers",
        "Support", "Customer Support", "Customer Care", "Customer Service", "Customer Experience", "CX",
        "Onboarding", "Professional Services", "Services", "Implementation", "Account Management",
    ),
    "design": (
        "Design", "Designer", "Designers", "UX", "UI", "UX/UI", "UI/UX", "User Experience",
        "UX Research", "User Research",
    ),
    "exec": (
        "Leadership", "Leadership team", "Exec", "Execs", "Executive", "Executives", "Executive team",
        "ELT", "SLT", "Senior Leadership", "CEO", "CMO", "CPO", "CRO", "CTO", "COO", "CFO",
        "Chief Executive Officer", "Chief Marketing Officer", "Chief Product Officer",
        "Chief Revenue Officer", "Chief Technology Officer", "C-suite", "C-level", "Founder", "Founders",
        "Co-founder", "President", "General Manager", "GM", "Board",
    ),
}

# Lower than for mapping suggestions: a header is a few words, and a wrong guess costs one
# click in the preview, where every choice is shown.
HEADER_MATCH_MIN = 0.35


# Words of a title that say how senior someone is, not what they do. ("President" alone is a
# name of Leadership, found before these are set aside; in "Vice President, Sales" it is rank.)
SENIORITY_WORDS = frozenset(
    """vp svp evp avp vice president head of director dir sr senior jr junior lead leads principal staff associate
    assistant global regional interim acting deputy manager mgr team""".split()
)
_NOTE = re.compile(r"\([^)]*\)")  # "(EMEA)", "(Dana)"


def _key(text: str) -> str:
    return " ".join(re.sub(r"[.,;:]", " ", text).split()).casefold()


def _function(header: str) -> str:
    """The header without a note in parentheses and without seniority words ("Head of Sales" -> "sales")."""
    words = _key(_NOTE.sub(" ", header)).split()
    return " ".join(word for word in words if word not in SENIORITY_WORDS)


_EXACT = {_key(alias): slug for slug, aliases in ARCHETYPE_ALIASES.items() for alias in aliases}


@cache
def _matcher() -> Matcher:
    return Matcher(Target(ref=slug, name=aliases[0], aliases=aliases[1:]) for slug, aliases in ARCHETYPE_ALIASES.items())


def archetype_for_header(header: str) -> str:
    """The archetype slug a column header names, or "other"."""
    function = _function(header)
    exact = _EXACT.get(_key(header)) or _EXACT.get(function)
    if exact is not None:
        return exact
    ranked = _matcher().rank(function or header, limit=1, min_score=HEADER_MATCH_MIN)
    return ranked[0].ref if ranked else "other"
