"""The Snapshots tab: take, list, read, restore and delete snapshots, and compare two states.

Members read and compare; editors take; owners delete. Any member may restore a snapshot as a
new workspace of their own (a viewer can already export the workspace and import it).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from frameworks.models import Archetype, Framework
from responsibilities import services
from responsibilities.access import workspace_for
from responsibilities.analysis import LABELS, SEVERITY_RANK
from responsibilities.formats import comparison as comparison_formats
from responsibilities.forms import CompareForm, FrameworkInViewForm, SnapshotDeleteForm, SnapshotForm, SnapshotRestoreForm
from responsibilities.selectors import (
    CoveragePoint,
    analysis_for,
    coverage_series,
    snapshot_comparison,
    snapshot_holding,
    snapshots_for,
)

DOWNLOADS = {
    "md": (comparison_formats.to_markdown, "text/markdown; charset=utf-8"),
    "csv": (comparison_formats.to_csv, "text/csv; charset=utf-8"),
}


def _frameworks() -> list[Framework]:
    return list(Framework.objects.order_by("position", "title"))


# The list, with the coverage chart, and taking a snapshot


@login_required
@require_GET
def snapshots(request, workspace_id):
    access = workspace_for(request, workspace_id)
    return _snapshots_page(request, access, SnapshotForm())


@login_required
@require_POST
def snapshot_take(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = SnapshotForm(request.POST)
    if form.is_valid():
        try:
            taken = services.snapshot_take(workspace=access.workspace, by=request.user, label=form.cleaned_data["label"])
        except services.ServiceError as error:
            form.add_error("label", str(error))
        else:
            messages.success(request, f"Took the snapshot “{taken.label}”: compare it with later states here.")
            return redirect(access.urls["snapshots"])
    return _snapshots_page(request, access, form)


def _snapshots_page(request, access, form):
    workspace = access.workspace
    view = FrameworkInViewForm(request.GET, frameworks=_frameworks(), primary=workspace.primary_framework)
    if view.is_valid():
        framework = view.cleaned_data["framework"]
    else:
        framework = view.default
        messages.error(request, f"{' '.join(view.errors['framework'])} Showing {framework.title}.")
    kept = snapshots_for(workspace)
    series = coverage_series(kept, framework, analysis_for(workspace, framework).coverage.percent)
    return render(
        request,
        "responsibilities/snapshots.html",
        {
            "access": access, "workspace": workspace, "form": form, "view": view, "framework": framework,
            "snapshots": list(zip(kept, series)), "chart": coverage_chart(series),
        },
    )


# The coverage-over-time chart, in its SVG's own units (a column is 1 unit per percent).
CHART_SLOT, CHART_BAR = 100, 44  # per column: the bar, and room for its label
CHART_TOP = 18  # room for the percent above a full column
CHART_BASELINE = CHART_TOP + 100
CHART_HEIGHT = CHART_BASELINE + 34  # and the labels below
CHART_LABEL = 16  # characters of a label shown under its column; the chart's figures hold the whole


@dataclass(frozen=True)
class ChartColumn:
    point: CoveragePoint
    x: int
    middle: int
    top: int  # where the filled part starts
    height: int
    short_label: str


@dataclass(frozen=True)
class CoverageChart:
    columns: tuple[ChartColumn, ...]
    width: int
    top: int = CHART_TOP
    bar: int = CHART_BAR
    baseline: int = CHART_BASELINE
    height: int = CHART_HEIGHT
    label_y: int = CHART_BASELINE + 16


def coverage_chart(series: list[CoveragePoint]) -> CoverageChart:
    columns = []
    for index, point in enumerate(series):
        x = index * CHART_SLOT + (CHART_SLOT - CHART_BAR) // 2
        label = point.label if len(point.label) <= CHART_LABEL else point.label[: CHART_LABEL - 1] + "…"
        percent = point.percent or 0
        columns.append(ChartColumn(point, x, x + CHART_BAR // 2, CHART_BASELINE - percent, percent, label))
    return CoverageChart(columns=tuple(columns), width=len(columns) * CHART_SLOT)


# One snapshot: what it holds, restoring it, deleting it


def _snapshot_or_404(access, snapshot_id, *, content: bool = True):
    found = access.workspace.snapshots.select_related("taken_by")
    return get_object_or_404(found if content else found.defer("content"), public_id=snapshot_id)


@login_required
@require_GET
def snapshot(request, workspace_id, snapshot_id):
    access = workspace_for(request, workspace_id)
    kept = _snapshot_or_404(access, snapshot_id)
    suggested = services.unique_workspace_name(f"{access.workspace.name[:60]} as of {kept.label[:40]}")
    return _snapshot_page(request, access, kept, SnapshotRestoreForm(initial={"name": suggested}))


@login_required
@require_POST
def snapshot_restore(request, workspace_id, snapshot_id):
    access = workspace_for(request, workspace_id)  # any member: the new workspace is theirs
    kept = _snapshot_or_404(access, snapshot_id)
    form = SnapshotRestoreForm(request.POST)
    if form.is_valid():
        try:
            restored = services.snapshot_restore(snapshot=kept, name=form.cleaned_data["name"], owner=request.user)
        except services.ServiceError as error:
            form.add_error("name", str(error))
        else:
            messages.success(
                request, f"Restored “{kept.label}” as this new workspace; {access.workspace.name} is unchanged."
            )
            if restored.dropped:
                messages.warning(
                    request,
                    "Left out mappings to elements the framework library no longer has: " + ", ".join(restored.dropped) + ".",
                )
            return redirect(restored.workspace)
    return _snapshot_page(request, access, kept, form)


def _snapshot_page(request, access, kept, restore_form):
    holding = snapshot_holding(kept)
    archetypes = dict(Archetype.objects.values_list("slug", "name"))
    return render(
        request,
        "responsibilities/snapshot.html",
        {
            "access": access, "workspace": access.workspace, "snapshot": kept, "holding": holding,
            "roles": [(role, archetypes.get(role["archetype"], role["archetype"])) for role in holding.roles],
            "restore_form": restore_form, "delete_form": SnapshotDeleteForm(),
        },
    )


@login_required
@require_POST
def snapshot_delete(request, workspace_id, snapshot_id):
    access = workspace_for(request, workspace_id, manage=True)
    kept = _snapshot_or_404(access, snapshot_id, content=False)
    if not SnapshotDeleteForm(request.POST).is_valid():
        messages.error(request, "Tick “Yes, delete this snapshot” to delete it; nothing was deleted.")
        return redirect("workspaces:snapshot", workspace_id=workspace_id, snapshot_id=kept.public_id)
    services.snapshot_delete(snapshot=kept, by=request.user)  # Gone (deleted meanwhile) is a 404
    messages.success(request, f"Deleted the snapshot “{kept.label}”.")
    return redirect(access.urls["snapshots"])


# Comparing two states


@login_required
@require_GET
def compare(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    kept = snapshots_for(workspace)
    form = _compare_form(request, workspace, kept)
    context = {"access": access, "workspace": workspace, "form": form, "snapshots": kept}
    if not kept:
        return render(request, "responsibilities/compare.html", context)
    if not form.is_valid():
        return render(request, "responsibilities/compare.html", context, status=400)
    compared = _comparison(workspace, form)
    result = compared.comparison
    query = urlencode({
        "from": compared.before.public_id, "to": compared.after.public_id if compared.after else "now",
        "framework": compared.framework.slug,
    })
    return render(
        request,
        "responsibilities/compare.html",
        {
            **context,
            "compared": compared,
            "result": result,
            "resolved": _labelled(result.resolved),
            "new": _labelled(result.new),
            "downloads": {fmt: f"{reverse('workspaces:compare_download', args=[workspace.public_id, fmt])}?{query}" for fmt in DOWNLOADS},
        },
    )


@login_required
@require_GET
def compare_download(request, workspace_id, fmt):
    access = workspace_for(request, workspace_id)
    if fmt not in DOWNLOADS:
        raise Http404("No such format")
    workspace = access.workspace
    form = _compare_form(request, workspace, snapshots_for(workspace))
    if not form.is_valid():
        raise BadRequest(" ".join(problem for problems in form.errors.values() for problem in problems))
    compared = _comparison(workspace, form)
    write, content_type = DOWNLOADS[fmt]
    body = write(compared.comparison, workspace=workspace.name, before=compared.before_label, after=compared.after_label)
    response = HttpResponse(body, content_type=content_type)
    filename = f"{workspace.name} {compared.before_label} to {compared.after_label}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _compare_form(request, workspace, kept) -> CompareForm:
    return CompareForm(request.GET, snapshots=kept, frameworks=_frameworks(), primary=workspace.primary_framework)


def _labelled(findings) -> list[tuple[str, dict]]:
    """Findings with the dashboard's label for their kind, most severe first."""
    ordered = sorted(findings, key=lambda finding: SEVERITY_RANK[finding["severity"]])
    return [(LABELS.get(finding["kind"], finding["kind"]), finding) for finding in ordered]


def _comparison(workspace, form):
    """The comparison the form asks for. The form chose among snapshots listed without their
    content: they are read again, with it, so one deleted meanwhile is a 404 (Gone)."""
    wanted = form.cleaned_data
    chosen = [snapshot.pk for snapshot in (wanted["from"], wanted["to"]) if snapshot is not None]
    loaded = workspace.snapshots.select_related("taken_by").in_bulk(chosen)
    if len(loaded) < len(set(chosen)):
        raise services.Gone("snapshot")
    after = loaded[wanted["to"].pk] if wanted["to"] is not None else None
    return snapshot_comparison(workspace, loaded[wanted["from"].pk], after, wanted["framework"])
