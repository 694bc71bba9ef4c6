"""How the mapping page words a suggestion's score."""

from django import template

from responsibilities.matching import PROBABLY_RIGHT

register = template.Library()

STRONG = 0.75


@register.filter
def match_strength(score: float) -> str:
    """0.82 -> "strong match, 82%"; 0.5 and above is "probably right", as the matcher calibrates it."""
    if score >= STRONG:
        word = "strong match"
    elif score >= PROBABLY_RIGHT:
        word = "probably right"
    else:
        word = "possible"
    return f"{word}, {round(score * 100)}%"


@register.simple_tag
def why_suggested(suggestion) -> str:
    """Where the element sits, how sure the match is and which words matched, in one line."""
    element = suggestion.element
    place = f"in {element.parent.name}" if element.parent_id else "whole category"
    parts = [place, match_strength(suggestion.score)]
    if suggestion.why:
        parts.append("matched: " + ", ".join(suggestion.why))
    if element.excluded:
        parts.append("outside product marketing")
    return " · ".join(parts)
