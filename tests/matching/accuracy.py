"""Accuracy of mapping suggestions on the labelled set, against the shipped library files.

    .venv/bin/python -m tests.matching.accuracy            # the figures per framework
    .venv/bin/python -m tests.matching.accuracy --misses   # and every activity whose top choice is wrong

Two parts: the labelled set the matcher was tuned on, and a holdout written afterwards.

No database: the library's YAML is parsed as the loader parses it.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path

from frameworks.library import FrameworkSpec, library_files, parse_framework
from pmmhub.safeyaml import load_yaml
from responsibilities.matching import PROBABLY_RIGHT, Matcher, Target

LABELLED = Path(__file__).resolve().parent.parent / "data" / "mapping_labelled.yaml"
FRAMEWORKS = ("read", "five-categories", "pragmatic")


@dataclass(frozen=True)
class Labelled:
    name: str
    description: str
    accept: frozenset[str]  # slug:code


@dataclass
class Figures:
    slug: str
    total: int = 0
    top1: int = 0
    top3: int = 0
    confident: int = 0  # top choice scores PROBABLY_RIGHT or above
    confident_right: int = 0
    misses: list[str] = field(default_factory=list)

    def percent(self, n: int) -> float:
        return round(100 * n / self.total, 1) if self.total else 0.0


def library() -> dict[str, FrameworkSpec]:
    specs = {}
    for path in library_files():
        spec, problems = parse_framework(path.read_bytes(), path.name)
        assert not problems, problems
        specs[spec.slug] = spec
    return specs


def targets(spec: FrameworkSpec) -> list[Target]:
    """The framework's elements as the app builds them: items carry their category as context."""
    names = {element.code: element.name for element, _ in spec.walk()}
    return [
        Target(
            ref=f"{spec.slug}:{element.code}", name=element.name, aliases=element.aliases,
            description=element.description, context=names[parent] if parent else "",
        )
        for element, parent in spec.walk()
    ]


def labelled_set(part: str = "activities") -> tuple[list[Labelled], list[str]]:
    """The labelled activities and unrelated work of `part`: "activities" (the set the matcher
    was tuned on) or "holdout" (written afterwards)."""
    document = load_yaml(LABELLED.read_text(encoding="utf-8"))
    activities = [
        Labelled(item["name"], item.get("description", ""), frozenset(item["accept"]))
        for item in document[part]
    ]
    unrelated = document["unrelated" if part == "activities" else "holdout_unrelated"]
    return activities, list(unrelated)


def measure(specs: dict[str, FrameworkSpec] | None = None, part: str = "activities") -> dict[str, Figures]:
    specs = specs or library()
    activities, _ = labelled_set(part)
    result = {}
    for slug in FRAMEWORKS:
        matcher = Matcher(targets(specs[slug]), expect_unrelated_text=True)
        figures = Figures(slug)
        for activity in activities:
            accepted = {ref for ref in activity.accept if ref.startswith(f"{slug}:")}
            if not accepted:
                continue
            ranked = matcher.rank(activity.name, description=activity.description, limit=3)
            figures.total += 1
            refs = [c.ref for c in ranked]
            right = bool(refs) and refs[0] in accepted
            figures.top1 += right
            figures.top3 += bool(accepted.intersection(refs))
            if ranked and ranked[0].score >= PROBABLY_RIGHT:
                figures.confident += 1
                figures.confident_right += right
            if not right:
                shown = ", ".join(f"{c.ref} {c.score}" for c in ranked) or "nothing"
                figures.misses.append(f"{activity.name!r}: {shown} (want {', '.join(sorted(accepted))})")
        result[slug] = figures
    return result


def unrelated_hits(specs: dict[str, FrameworkSpec] | None = None, part: str = "activities") -> list[str]:
    """Every (unrelated activity, framework) that gets a candidate at PROBABLY_RIGHT or above."""
    specs = specs or library()
    _, unrelated = labelled_set(part)
    hits = []
    for slug, spec in specs.items():
        matcher = Matcher(targets(spec), expect_unrelated_text=True)
        for text in unrelated:
            for candidate in matcher.rank(text, limit=3, min_score=PROBABLY_RIGHT):
                hits.append(f"{text!r} -> {candidate.ref} {candidate.score} {candidate.why}")
    return hits


def main(argv: list[str]) -> None:
    specs = library()
    for part in ("activities", "holdout"):
        figures = measure(specs, part)
        hits = unrelated_hits(specs, part)
        print(f"{'labelled set' if part == 'activities' else 'holdout (written after tuning)'}:")
        print(f"  {'framework':<16} {'n':>4} {'top-1':>7} {'top-3':>7} {'>=0.5':>6} {'right at >=0.5':>15}")
        for f in figures.values():
            right = round(100 * f.confident_right / f.confident, 1) if f.confident else 0
            print(
                f"  {f.slug:<16} {f.total:>4} {f.percent(f.top1):>6}% {f.percent(f.top3):>6}% "
                f"{f.percent(f.confident):>5}% {right:>14}%"
            )
        print(f"  unrelated work with a candidate at >= {PROBABLY_RIGHT}: {len(hits)} of {len(labelled_set(part)[1])}")
        if "--misses" in argv:
            for f in figures.values():
                for miss in f.misses:
                    print(f"    {f.slug}: {miss}")
            for hit in hits:
                print(f"    unrelated: {hit}")


if __name__ == "__main__":
    main(sys.argv[1:])
