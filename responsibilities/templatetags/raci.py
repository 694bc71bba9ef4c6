"""Matrix cells, rendered in one call per row.

A 300 x 12 matrix has 3,600 cells; as template markup each costs a dozen variable
lookups, which made the page several times slower than this. The markup lives here once
and serves both the page and the one-cell answer to an edit.
"""

import re
from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_C1_CONTROLS = re.compile("[\x80-\x9f]")

_EDITABLE = (
    '<td id="c-{activity}-{role}"{oob} class="cell{css}"><button form="cell-form" name="cell" '
    'value="{activity}:{role}:next:{held}" data-held="{held}" aria-label="{name}: {label}">{held}</button></td>'
)
_READ_ONLY = '<td id="c-{activity}-{role}"{oob} class="cell{css}">{held}</td>'


def _escaped(instance) -> tuple[str, str]:
    """(public id, escaped name), worked out once per instance: rows share their roles."""
    parts = instance.__dict__.get("_cell_parts")
    if parts is None:
        parts = instance.__dict__["_cell_parts"] = (str(instance.public_id), escape(instance.name))
    return parts


def cell_html(activity, role, held: str, *, can_edit: bool, oob: bool = False) -> str:
    # Plain str.format with every text value escaped: format_html's lazy-aware escaping
    # costs several times more, 3,600 times per page.
    role_id, role_name = _escaped(role)
    held = escape(held)
    return (_EDITABLE if can_edit else _READ_ONLY).format(
        activity=_escaped(activity)[0],
        role=role_id,
        held=held,
        name=role_name,
        label=held or "not involved",
        css=f" letters-{held.replace('/', '')}" if held else "",
        oob=' hx-swap-oob="true"' if oob else "",
    )


@register.simple_tag
def raci_cells(row, can_edit: bool):
    """Every cell of one matrix row."""
    return mark_safe("".join(cell_html(row.activity, role, held, can_edit=can_edit) for role, held in row.cells))


@register.simple_tag
def raci_cell(row, role, can_edit: bool, oob: bool = False):
    """One cell of a matrix row, for the answer to an edit (swapped in out of band)."""
    held = next((letters for cell_role, letters in row.cells if cell_role == role), "")
    return mark_safe(cell_html(row.activity, role, held, can_edit=can_edit, oob=oob))


@register.filter
def ascii_html(html) -> str:
    """Markup with every non-ASCII character as a character reference.

    For a large cached fragment: Python keeps a string with any character beyond Latin-1 at
    two bytes a character, and every request then unpickles it from the cache and transcodes
    the page to UTF-8 (0.35 ms of a 100-activity matrix); an all-ASCII page is only copied.
    Text that is not yet safe is escaped first. The C1 controls (U+0080-U+009F) stay as they
    are: browsers read &#128;-&#159; as Windows-1252 characters, not as what was written.
    """
    html = conditional_escape(html)
    if _C1_CONTROLS.search(html):
        return mark_safe(html)
    return mark_safe(html.encode("ascii", "xmlcharrefreplace").decode("ascii"))
