import json

from django.core.management.base import BaseCommand

from frameworks.models import Framework
from frameworks.selectors import element_tree, framework_by_slug_or_alias, framework_list, tree_as_data


class Command(BaseCommand):
    help = "List the frameworks, or show one framework's element tree."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="a framework's slug or alias")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, slug, format, **options):
        if slug is None:
            self._list(format)
            return
        framework = framework_by_slug_or_alias(slug)
        if framework is None:
            known = ", ".join(Framework.objects.values_list("slug", flat=True)) or "none loaded"
            self.stderr.write(f"Unknown framework {slug!r}. Known: {known}")
            raise SystemExit(2)
        roots = element_tree(framework)
        if format == "json":
            data = {
                "slug": framework.slug,
                "title": framework.title,
                "source": _source(framework),
                "elements": tree_as_data(roots),
            }
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{framework.title} ({framework.slug})")
        self.stdout.write(f"Source: {_citation(framework)}")
        self.stdout.write("")
        for node in roots:
            self._write_node(node, depth=0)

    def _list(self, format):
        frameworks = list(framework_list())
        if format == "json":
            data = [
                {
                    "slug": f.slug,
                    "title": f.title,
                    "aliases": f.aliases,
                    "source": _source(f),
                    "categories": f.categories,
                    "items": f.items,
                }
                for f in frameworks
            ]
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        width = max((len(f.slug) for f in frameworks), default=0)
        for f in frameworks:
            aliases = f" (also: {', '.join(f.aliases)})" if f.aliases else ""
            self.stdout.write(
                f"{f.slug.ljust(width)}  {f.title}{aliases} — {f.categories} categories, {f.items} items"
            )

    def _write_node(self, node, depth):
        element = node.element
        marks = "".join(
            [
                " *" if element.essential else "",
                f" [{element.orientation}]" if element.orientation != "both" else "",
                " (excluded)" if element.excluded else "",
            ]
        )
        guidance = ", ".join(f"{slug} {letters}" for slug, letters in node.guidance.items())
        guidance = f" — {guidance}" if guidance else ""
        self.stdout.write(f"{'  ' * depth}{element.code}: {element.name}{marks}{guidance}")
        for child in node.children:
            self._write_node(child, depth + 1)


def _source(framework):
    return {
        "author": framework.source_author,
        "title": framework.source_title,
        "publisher": framework.source_publisher,
        "date": framework.source_date,
        "url": framework.source_url,
    }


def _citation(framework):
    """Author, title, publisher and date as far as the source gives them, then the link."""
    parts = [framework.source_author, f"“{framework.source_title}”", framework.source_publisher, framework.source_date]
    citation = ", ".join(part for part in parts if part)
    return f"{citation}. {framework.source_url}" if framework.source_url else f"{citation}."
