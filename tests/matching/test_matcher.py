"""The matcher on small hand-made targets (no database)."""

from responsibilities.matching import PROBABLY_RIGHT, Candidate, Matcher, Target

TARGETS = [
    Target("fw:competitive", "Competitive intelligence", aliases=("battlecards", "competitor analysis"), context="Market"),
    Target("fw:pricing", "Pricing", aliases=("pricing and packaging", "price list"), description="Setting prices and editions."),
    Target("fw:win-loss", "Win/Loss Analysis", aliases=("win/loss interviews", "deal reviews")),
    Target("fw:analyst", "Analyst relations", aliases=("analyst briefings", "Gartner", "Forrester")),
    Target("fw:content", "Content", description="Blog posts, whitepapers and other content."),
    Target("fw:launch", "Launch", aliases=("go-live", "GTM launch"), description="Making the market aware of a release."),
    Target("fw:personas", "Buyer personas", aliases=("buying committee",)),
    Target("fw:roadmap", "Roadmap", aliases=("feature prioritization",)),
    Target("fw:events", "Events", aliases=("trade shows", "webinars")),
    Target("fw:advocacy", "Advocacy", aliases=("customer references", "case studies")),
    Target("fw:measurement", "Measurement", aliases=("marketing analytics", "attribution")),
    Target("fw:segmentation", "Segmentation", aliases=("ICP", "ideal customer profile")),
]


def test_an_alias_ranks_its_element_first_and_says_why():
    [best, *_] = Matcher(TARGETS).rank("Battlecards refresh")
    assert best.ref == "fw:competitive" and best.name == "Competitive intelligence"
    assert best.score >= PROBABLY_RIGHT
    assert "battlecards" in best.why


def test_stemming_and_symbols_meet_the_same_words():
    assert Matcher(TARGETS).rank("Pricing & packaging review")[0].ref == "fw:pricing"
    assert Matcher(TARGETS).rank("win-loss interview programme")[0].ref == "fw:win-loss"
    assert Matcher(TARGETS).rank("Briefing the analysts")[0].ref == "fw:analyst"


def test_a_typo_still_matches_but_scores_below_the_exact_word():
    matcher = Matcher(TARGETS)
    [typo] = matcher.rank("Battelcards", limit=1)
    [exact] = matcher.rank("Battlecards", limit=1)
    assert typo.ref == exact.ref == "fw:competitive"
    assert 0 < typo.score < exact.score


def test_joined_and_split_words_match():
    assert Matcher(TARGETS).rank("battle cards")[0].ref == "fw:competitive"


def test_scores_are_between_0_and_1_best_first_within_the_limit():
    candidates = Matcher(TARGETS).rank("Launch content: pricing page, analyst briefings, battlecards", limit=4)
    assert 1 <= len(candidates) <= 4
    assert all(isinstance(c, Candidate) and 0 < c.score <= 1 for c in candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_min_score_filters():
    matcher = Matcher(TARGETS)
    assert all(c.score >= 0.6 for c in matcher.rank("Launch content", min_score=0.6))
    assert matcher.rank("Battlecards", min_score=1.01) == []


def test_unrelated_work_gets_nothing_probably_right():
    matcher = Matcher(TARGETS, expect_unrelated_text=True)
    for text in ("Payroll", "Office move", "Server patching", "Expense reports", "Hiring a receptionist"):
        assert all(c.score < PROBABLY_RIGHT for c in matcher.rank(text, limit=10)), text


def test_empty_hostile_and_odd_text_is_harmless():
    matcher = Matcher(TARGETS)
    for text in ("", "   ", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\x00\x00", "ｂａｔｔｌｅｃａｒｄｓ", "x" * 5000):
        assert isinstance(matcher.rank(text), list)
    # Full-width letters are the same word once normalised.
    assert matcher.rank("ｂａｔｔｌｅｃａｒｄｓ")[0].ref == "fw:competitive"


def test_no_targets_no_candidates():
    assert Matcher([]).rank("Battlecards") == []


def test_words_no_target_knows_count_against_a_match_when_unrelated_text_is_expected():
    targets = [*TARGETS, Target("fw:awareness", "Awareness", aliases=("sponsorships", "brand awareness"))]
    # A role header: "Head of" says nothing about the role, so it neither helps nor hurts.
    [lenient] = Matcher(targets).rank("Head of sponsorships", limit=1)
    # An activity: "visa" and "paperwork" say what the work is, and no target knows them.
    [strict] = Matcher(targets, expect_unrelated_text=True).rank("Visa sponsorship paperwork", limit=1)
    assert lenient.ref == strict.ref == "fw:awareness"
    assert strict.score < PROBABLY_RIGHT <= lenient.score
    # The words the targets do know still make a strong match.
    [known] = Matcher(targets, expect_unrelated_text=True).rank("Sponsorships", limit=1)
    assert known.ref == "fw:awareness" and known.score >= PROBABLY_RIGHT
