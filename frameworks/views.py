from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from frameworks.models import Archetype, Framework
from frameworks.selectors import crosswalk_between, element_tree, framework_by_slug_or_alias, framework_list as list_frameworks

# The guidance grid shows these archetypes always, others only when a framework uses them.
GRID_ARCHETYPES = ("pm", "pmm", "marcom")


@require_GET
def framework_list(request):
    return render(request, "frameworks/list.html", {"frameworks": list_frameworks()})


@require_GET
def framework_detail(request, slug):
    framework = framework_by_slug_or_alias(slug)
    if framework is None:
        raise Http404("No such framework")
    if framework.slug != slug:
        return redirect(framework, permanent=True)
    tree = element_tree(framework)
    used = {slug for node in _walk(tree) for slug in node.guidance}
    columns = [a for a in Archetype.objects.all() if a.slug in GRID_ARCHETYPES or a.slug in used]
    for node in _walk(tree):
        node.grid = [node.guidance.get(archetype.slug, "") for archetype in columns]
    return render(
        request,
        "frameworks/detail.html",
        {"framework": framework, "tree": tree, "columns": columns},
    )


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


@require_GET
def crosswalk(request):
    frameworks = list(Framework.objects.order_by("position", "title"))
    by_slug = {f.slug: f for f in frameworks}
    default_left, default_right = ("read", "pragmatic")
    left = by_slug.get(request.GET.get("left") or default_left)
    right = by_slug.get(request.GET.get("right") or default_right)
    error = ""
    if left is None or right is None:
        error = "Choose two frameworks from the lists."
    elif left == right:
        error = "Choose two different frameworks to compare."
    groups = crosswalk_between(left, right) if not error else []
    template = "frameworks/crosswalk.html"
    if request.htmx:
        template += "#comparison"
    return render(
        request,
        template,
        {"frameworks": frameworks, "left": left, "right": right, "groups": groups, "error": error},
    )
