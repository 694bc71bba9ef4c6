"""Mapping suggestions: rank framework elements (or any named targets) for a piece of text.

Plain Python, no Django. A team's activity ("Battlecards refresh", "Win/loss interviews")
is matched against each target's name, aliases (the words practitioners use), description
and context (an element's category). Words are reduced to English stems by the Snowball
stemmer and compared with rapidfuzz, so "briefings" meets "analyst briefing" and a typo
("competitve") still counts; words are weighted by how few targets use them (inverse
document frequency), so "content" or "sales" alone say little and "battlecards" says a lot.

Scores run from 0 to 1. They are calibrated on the labelled set in
`tests/data/mapping_labelled.yaml` (and checked on its holdout): at PROBABLY_RIGHT (0.5)
and above the top candidate is nearly always one a practitioner would accept, and, with
`expect_unrelated_text`, work that is not product marketing (payroll, office moves, server
patching) stays below it. `python -m tests.matching.accuracy` prints the figures.
"""

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer
from rapidfuzz import fuzz, process

PROBABLY_RIGHT = 0.5

# Words that carry no meaning for matching. Kept short on purpose: weighting by rarity does
# the rest, and a word like "plan" or "market" is evidence, if weak.
STOPWORDS = frozenset(
    """a an and are as at be by for from in into is it its of on or our per the their them
    this that these those to with within via vs versus we us you your all any each every
    etc eg ie incl including own""".split()
)

# Words every RACI sheet uses for any kind of work ("Launch plan", "Payroll process review",
# "Holiday party planning"): they count, but far less than the words that say what the work is.
GENERIC_WORDS = frozenset(
    """plan planning program programme process review report update meeting management manage
    definition define document doc project initiative team work weekly monthly quarterly annual
    yearly refresh ongoing owner owners list run running new""".split()
)
GENERIC_WEIGHT = 0.3

# How close two stems must be (rapidfuzz ratio, 0..100) to count as the same word, and how
# much such a near match is worth next to an exact one.
FUZZY_CUTOFF = 88
FUZZY_WEIGHT = 0.85
# Stems shorter than this only ever match exactly ("ar", "pr", "icp", "roi").
FUZZY_MIN_LENGTH = 5

# Words of an activity's description count less than words of its name.
QUERY_DESCRIPTION_WEIGHT = 0.5
# Evidence from a target's name or alias is worth more than the same word found in its
# description or its category's name.
DESCRIPTION_WEIGHT = 0.3
CONTEXT_WEIGHT = 0.15
# A matched phrase is fully specific when its matched words weigh this much (about a word
# used by two or three targets of a framework).
SPECIFIC_ENOUGH = 2.4
PHRASE_BONUS = 0.1
# The share of a match's value that stands however little of the text it explains.
EXPLAINED_FLOOR = 0.6
# When the text may be about something no target covers (a team's activity may not be
# product marketing at all): a one-word match weighs less, and what the text leaves
# unexplained, words no target knows included, counts for more.
UNRELATED_SINGLE_WORD_FACTOR = 0.85
UNRELATED_EXPLAINED_FLOOR = 0.35

_WORD_RE = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Target:
    """Something text can be matched to."""

    ref: str  # "slug:code" for an element, an archetype slug for a role header
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    context: str = ""  # e.g. the element's category name


@dataclass(frozen=True)
class Candidate:
    ref: str
    name: str
    score: float  # 0..1; >= PROBABLY_RIGHT means "probably right"
    why: tuple[str, ...]  # the words / phrases that matched, for "why this?"


def words(text: str) -> list[str]:
    """Lower-case ASCII words of `text` ("Win/Loss" -> win, loss; "Pricing & packaging" -> pricing, and, packaging)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    return _WORD_RE.findall(text)


# Stems the Snowball stemmer merges that this domain keeps apart: marketing is not the market.
_OWN_STEMS = {"marketing": "marketing", "marketer": "marketer", "marketers": "marketer"}


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _OWN_STEMS.get(word) or _stemmer.stemWord(word)


@dataclass(frozen=True)
class _Phrase:
    text: str  # as written, for "why"
    stems: tuple[str, ...]


def _phrase(text: str) -> _Phrase | None:
    stems = tuple(dict.fromkeys(stem(w) for w in words(text) if w not in STOPWORDS))
    return _Phrase(text, stems) if stems else None


@dataclass(frozen=True)
class _Indexed:
    target: Target
    phrases: tuple[_Phrase, ...]  # name and aliases, also their joined forms
    description: frozenset[str]
    context: tuple[_Phrase, ...]


class Matcher:
    """Ranks targets for a text. Build once per set of targets; `rank` is cheap.

    With `expect_unrelated_text`, texts may be about something none of the targets covers
    (a team's activity list holds payroll as well as battlecards), and scores are calibrated
    for that: words of the text no target knows count against a match, so "Visa sponsorship
    paperwork" is not probably "sponsorships". Without it (a sheet's role header, where
    "Head of" or "VP" say nothing about the role) such words are left out.
    """

    def __init__(self, targets: Iterable[Target], *, expect_unrelated_text: bool = False):
        self._expect_unrelated_text = expect_unrelated_text
        self._single_word_factor = UNRELATED_SINGLE_WORD_FACTOR if expect_unrelated_text else 1.0
        self._explained_floor = UNRELATED_EXPLAINED_FLOOR if expect_unrelated_text else EXPLAINED_FLOOR
        indexed = []
        for target in targets:
            phrases = [p for p in map(_phrase, (target.name, *target.aliases)) if p]
            # "battle cards" should also meet "battlecards": each multi-word phrase also as one word.
            phrases += [_Phrase(p.text, (stem("".join(words(p.text))),)) for p in list(phrases) if len(p.stems) > 1]
            description = frozenset(s for p in [_phrase(target.description)] if p for s in p.stems)
            context = tuple(p for p in [_phrase(target.context)] if p)
            indexed.append(_Indexed(target, tuple(phrases), description, context))
        self._targets = tuple(indexed)
        document_frequency: dict[str, int] = {}
        for item in self._targets:
            seen = {s for p in item.phrases for s in p.stems} | item.description
            for s in seen:
                document_frequency[s] = document_frequency.get(s, 0) + 1
        count = len(self._targets)
        self._idf = {
            s: math.log((count + 1) / (df + 0.5)) * (GENERIC_WEIGHT if s in _GENERIC_STEMS else 1.0)
            for s, df in document_frequency.items()
        }
        self._vocabulary = tuple(self._idf)
        # A word no target uses is as rare as a word can be.
        self._unseen_idf = math.log((count + 1) / 0.5)
        self._near_cache: dict[str, list[tuple[str, float]]] = {}
        # Which targets mention a stem anywhere: only those are scored for a text.
        self._mentions: dict[str, set[int]] = {}
        for index, item in enumerate(self._targets):
            stems = {s for p in (*item.phrases, *item.context) for s in p.stems} | item.description
            for s in stems:
                self._mentions.setdefault(s, set()).add(index)

    def rank(self, text: str, *, limit: int = 3, min_score: float = 0.0, description: str = "") -> list[Candidate]:
        """The best `limit` targets for `text` scoring at least `min_score` (and above 0), best first.

        `description` is more text about the same thing (an activity's description): its words
        count, but less than those of `text`.
        """
        found, used = self._query(text, 1.0)
        for vocabulary_stem, hit in self._query(description, QUERY_DESCRIPTION_WEIGHT)[0].items():
            if hit[0] > found.get(vocabulary_stem, (0.0, ""))[0]:
                found[vocabulary_stem] = hit
        if not found:
            return []
        # Words of the name no target knows ("visa" in "Visa sponsorship paperwork") are part of
        # what the text is about: a match that leaves them unexplained is a weaker one.
        unknown = 0.0
        if self._expect_unrelated_text:
            unknown = sum(
                self._unseen_idf * (GENERIC_WEIGHT if stem(w) in _GENERIC_STEMS else 1.0)
                for w in words(text)
                if w not in STOPWORDS and w not in used and len(w) > 2 and not any(c.isdigit() for c in w)
            )
        query = _Query(found, " ".join(stem(w) for w in words(text) if w not in STOPWORDS), self._idf, unknown)
        candidates = []
        for index in sorted(set().union(*(self._mentions.get(s, ()) for s in found))):
            item = self._targets[index]
            score, why = self._score(item, query)
            if score > 0 and score >= min_score:
                candidates.append(Candidate(item.target.ref, item.target.name, round(score, 3), why))
        candidates.sort(key=lambda c: (-c.score, c.name.casefold(), c.ref))
        return candidates[:limit]

    def _query(self, text: str, weight: float) -> tuple[dict[str, tuple[float, str]], set[str]]:
        """Vocabulary stem -> (weight of the match, the text's word) for every target word the text
        meets, and the text's words that met one."""
        raw = [w for w in words(text) if w not in STOPWORDS]
        # Adjacent words also as one ("battle cards" -> "battlecards", "road map" -> "roadmap").
        # Only exactly: a near match of two words run together is too loose ("product p" is not "product pages").
        joined = [(stem(a + b), f"{a} {b}") for a, b in zip(raw, raw[1:])]
        found: dict[str, tuple[float, str]] = {}
        used: set[str] = set()

        def keep(vocabulary_stem, similarity, word):
            used.update(word.split())
            if weight * similarity > found.get(vocabulary_stem, (0.0, ""))[0]:
                found[vocabulary_stem] = (weight * similarity, word)

        for query_stem, word in joined:
            if query_stem in self._idf:
                keep(query_stem, 1.0, word)
        for query_stem, word in ((stem(w), w) for w in raw):
            if query_stem in self._idf:
                keep(query_stem, 1.0, word)
            for near, similarity in self._near(query_stem):
                keep(near, similarity, word)
        return found, used

    def _near(self, query_stem: str) -> list[tuple[str, float]]:
        """Vocabulary stems close to `query_stem` but not it, with their similarity (remembered: sheets repeat words)."""
        if query_stem not in self._near_cache:
            near = []
            if len(query_stem) >= FUZZY_MIN_LENGTH:
                near = [
                    (match, FUZZY_WEIGHT * ratio / 100)
                    for match, ratio, _ in process.extract(
                        query_stem, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
                    )
                    if match != query_stem and len(match) >= FUZZY_MIN_LENGTH
                ]
            self._near_cache[query_stem] = near
        return self._near_cache[query_stem]

    def _score(self, item: _Indexed, query: "_Query") -> tuple[float, tuple[str, ...]]:
        idf, found = self._idf, query.found
        best, best_phrase, matched = 0.0, None, frozenset()
        for phrase in item.phrases:
            hits = [s for s in phrase.stems if s in found]
            if not hits:
                continue
            total = sum(idf.get(s, 0.0) for s in phrase.stems)
            evidence = query.evidence(hits)
            # How much of the phrase the text says, by weight and by word count: a rare word
            # alone does not make "product team hiring" a match for "hiring".
            coverage = (evidence / total + len(hits) / len(phrase.stems)) / 2
            specificity = min(1.0, evidence / SPECIFIC_ENOUGH)  # how telling those words are
            # A phrase whose words stand together in the text, in its order, is a better match.
            order = fuzz.partial_ratio(" ".join(phrase.stems), query.name_stems) / 100 if len(hits) > 1 else 1.0
            # Each further word matched makes a phrase stronger evidence ("GTM plan" over "expansion").
            # One word is weaker evidence than several ("sponsorships" alone may be a visa's).
            value = coverage**2 * specificity * (0.6 + 0.4 * order) * (
                self._single_word_factor if len(hits) == 1 else 1 + PHRASE_BONUS * (len(hits) - 1)
            )
            if value > best:
                best, best_phrase, matched = value, phrase, frozenset(hits)
        # What the name or alias left unexplained may still be in the description or context:
        # supporting evidence, weighted like a phrase by how telling the words are.
        rest = [s for s in found if s not in matched]
        described = [s for s in rest if s in item.description]
        description_evidence = query.evidence(described)
        context_evidence = max((query.evidence([s for s in p.stems if s in rest]) for p in item.context), default=0.0)
        # A phrase explaining one side word of a long activity name is weaker than one explaining all of it.
        explained = query.evidence(matched) / query.total
        score = (
            best * (self._explained_floor + (1 - self._explained_floor) * explained)
            + DESCRIPTION_WEIGHT * query.share(description_evidence) * min(1.0, description_evidence / SPECIFIC_ENOUGH)
            + CONTEXT_WEIGHT * query.share(context_evidence) * min(1.0, context_evidence / SPECIFIC_ENOUGH)
        )
        why = [best_phrase.text] if best_phrase is not None else []
        why += [found[s][1] for s in sorted(described, key=lambda s: -idf[s])]
        return min(1.0, score), tuple(dict.fromkeys(why))[:5]


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)


class _Query:
    """A text as the scorer reads it: the target words it meets and how much each weighs."""

    def __init__(self, found: dict[str, tuple[float, str]], name_stems: str, idf: dict[str, float], unknown: float):
        self.found = found
        self.name_stems = name_stems  # the text's stems in order, for phrase order
        self.weight = {s: idf[s] * similarity for s, (similarity, _) in found.items()}
        self.total = sum(self.weight.values()) + unknown

    def evidence(self, stems) -> float:
        return sum(self.weight[s] for s in stems)

    def share(self, evidence: float) -> float:
        return evidence / self.total if self.total else 0.0
