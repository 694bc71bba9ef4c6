from django import template

from responsibilities.formats import hours_text

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours as people write them: 12.50 -> "12.5", 140.00 -> "140", None -> ""."""
    return hours_text(value)
