"""Reads of the framework library, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from frameworks.models import Crosswalk, Element, Framework


def framework_named(frameworks, name: str) -> Framework | None:
    """The framework among `frameworks` whose slug is `name`, else one with `name` among its
    aliases (`kemp`). Aliases are few and JSON lookups differ between SQLite and PostgreSQL,
    so this scans in Python."""
    frameworks = list(frameworks)
    return next((f for f in frameworks if f.slug == name), None) or next((f for f in frameworks if name in f.aliases), None)


def framework_by_slug_or_alias(slug: str) -> Framework | None:
    return framework_named(Framework.objects.all(), slug)


def framework_list():
    return Framework.objects.annotate(
        categories=Count("elements", filter=Q(elements__parent__isnull=True)),
        items=Count("elements", filter=Q(elements__parent__isnull=False)),
    ).order_by("position", "title")


@dataclass
class ElementNode:
    element: Element
    guidance: dict[str, str]
    children: list["ElementNode"] = field(default_factory=list)
    crosswalks: list[tuple[str, Element]] = field(default_factory=list)
    grid: list[str] = field(default_factory=list)  # letters per displayed archetype column


def element_tree(framework: Framework) -> list[ElementNode]:
    """The framework's elements as a tree, with guidance and crosswalks (3 queries)."""
    elements = list(framework.elements.prefetch_related("guidance__archetype").order_by("position", "id"))
    nodes = {
        element.pk: ElementNode(
            element=element, guidance={g.archetype.slug: g.letters for g in element.guidance.all()}
        )
        for element in elements
    }
    links = Crosswalk.objects.filter(
        Q(source__framework=framework) | Q(target__framework=framework)
    ).select_related("source__framework", "target__framework")
    for link in links:
        if link.source.framework_id == framework.pk:
            nodes[link.source_id].crosswalks.append((link.get_relation_display(), link.target))
        if link.target.framework_id == framework.pk:
            reverse = "Contains" if link.relation == Crosswalk.Relation.PART_OF else link.get_relation_display()
            nodes[link.target_id].crosswalks.append((reverse, link.source))
    roots = []
    for element in elements:
        node = nodes[element.pk]
        if element.parent_id is None:
            roots.append(node)
        else:
            nodes[element.parent_id].children.append(node)
    return roots


def tree_as_data(roots: list[ElementNode]) -> list[dict]:
    """The JSON shape of `manage.py frameworks SLUG --format json`."""
    return [
        {
            "code": node.element.code,
            "name": node.element.name,
            "aliases": list(node.element.aliases),
            "essential": node.element.essential,
            "orientation": node.element.orientation,
            "excluded": node.element.excluded,
            "guidance": node.guidance,
            "children": tree_as_data(node.children),
        }
        for node in roots
    ]


@dataclass
class CrosswalkRow:
    element: Element
    matches: list[tuple[str, Element, Element | None]]  # (relation, right element, via)


def crosswalk_between(left: Framework, right: Framework) -> list[tuple[Element, list[CrosswalkRow]]]:
    """For each left category, its elements and what they correspond to in `right`.

    Direct links count either way; where none exists, one hop through a third framework's
    element is shown "via" that element. Three queries whatever the sizes.
    """
    elements = {
        element.pk: element
        for element in Element.objects.select_related("framework").filter(framework__in=[left, right])
    }
    links = list(Crosswalk.objects.select_related("source__framework", "target__framework"))
    neighbours: dict[int, list[tuple[str, Element]]] = {}
    for link in links:
        forward = link.get_relation_display()
        backward = "Contains" if link.relation == Crosswalk.Relation.PART_OF else forward
        neighbours.setdefault(link.source_id, []).append((forward, link.target))
        neighbours.setdefault(link.target_id, []).append((backward, link.source))

    def matches_for(element):
        direct = [
            (relation, other, None)
            for relation, other in neighbours.get(element.pk, [])
            if other.framework_id == right.pk
        ]
        if direct:
            return direct
        seen = set()
        via = []
        for _, middle in neighbours.get(element.pk, []):
            if middle.framework_id in (left.pk, right.pk):
                continue
            for relation, other in neighbours.get(middle.pk, []):
                if other.framework_id == right.pk and other.pk not in seen:
                    seen.add(other.pk)
                    via.append(("Related", other, middle))
        return via

    left_elements = sorted(
        (e for e in elements.values() if e.framework_id == left.pk), key=lambda e: (e.position, e.pk)
    )
    groups: dict[int, list[CrosswalkRow]] = {}
    categories = []
    for element in left_elements:
        if element.parent_id is None:
            categories.append(element)
            groups[element.pk] = [CrosswalkRow(element, matches_for(element))]
        else:
            groups[element.parent_id].append(CrosswalkRow(element, matches_for(element)))
    return [(category, groups[category.pk]) for category in categories]
