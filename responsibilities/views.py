from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from frameworks import letters as raci
from frameworks.models import Archetype, Element, Framework
from frameworks.selectors import framework_by_slug_or_alias
from responsibilities import services
from responsibilities.access import uuid_or_404, workspace_for
from responsibilities.formats import export
from responsibilities.forms import (
    ActivityFilterForm,
    ActivityForm,
    InvitationForm,
    MemberForm,
    NewWorkspaceForm,
    PersonForm,
    RoleForm,
    UploadForm,
    WorkspaceForm,
    role_queryset,
)
from responsibilities.models import Activity, Invitation, Membership, Workspace
from responsibilities.analysis import SEVERITIES
from responsibilities.documents import role_definitions, role_document_markdown
from responsibilities.selectors import (
    EXPORT_FORMATS,
    analysis_for,
    coverage_overview,
    lens_columns,
    activities_csv,
    activity_history,
    activity_rows,
    element_search,
    matrix_for,
    matrix_row,
    people_for,
    read_workspace_file,
    workspace_export,
    workspaces_for_user,
)
from responsibilities.tables import ActivityTable

# Clicking a cell steps through the letters in this order; keys set a letter directly.
CYCLE = ["", raci.RESPONSIBLE, raci.ACCOUNTABLE, raci.ACCOUNTABLE_RESPONSIBLE, raci.CONSULTED, raci.INFORMED]


MAX_MAPPINGS = 50


def next_letters(current: str) -> str:
    return CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)] if current in CYCLE else raci.RESPONSIBLE


def _matrix_url(workspace, anchor=""):
    url = reverse("workspaces:matrix", args=[workspace.public_id])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_http_methods(["GET", "POST"])
def workspace_list(request):
    form = NewWorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.workspace_create_from_starter(owner=request.user, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Workspace {workspace.name} created.")
            return redirect(workspace)
    return render(
        request,
        "responsibilities/workspace_list.html",
        {"memberships": workspaces_for_user(request.user), "form": form},
    )


@login_required
@require_GET
def matrix(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    lens_slug = request.GET.get("lens", "")
    lens = framework_by_slug_or_alias(lens_slug) if lens_slug else workspace.primary_framework
    if lens_slug and lens is None:
        messages.error(request, f"There is no framework {lens_slug!r}; showing the primary framework.")
        lens = workspace.primary_framework
    # The analysis and the matrix are worked out only if the template's cached fragments
    # (keyed on the workspace's version) miss.
    context = {
        "access": access,
        "workspace": workspace,
        "lens": lens,
        "analysis": SimpleLazyObject(lambda: analysis_for(workspace, lens)),
        "cache_key": _cache_key(workspace, lens.slug if lens else "", int(access.can_edit)),
    }
    if request.htmx and request.GET.get("panel") == "summary":
        return render(request, "responsibilities/matrix.html#summary", context)
    return render(
        request,
        "responsibilities/matrix.html",
        {
            **context,
            "matrix": SimpleLazyObject(lambda: matrix_for(workspace, lens)),
            "frameworks": Framework.objects.order_by("position", "title"),
            "activity_form": ActivityForm(),
            "role_form": RoleForm(),
        },
    )


def _cache_key(workspace, *parts) -> str:
    """Changes whenever the workspace does: every write bumps its version in the database."""
    return ":".join(str(part) for part in (workspace.public_id, workspace.version, *parts))


@login_required
@require_POST
def cell_set(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    workspace = access.workspace
    try:
        activity_id, role_id, wanted, expected = request.POST.get("cell", "").split(":", 3)
    except ValueError:
        return HttpResponse("Malformed cell.", status=400)
    activity_id, role_id = uuid_or_404(activity_id), uuid_or_404(role_id)
    # The row's answer needs every role anyway: one query finds the target among them.
    roles = list(workspace.roles.select_related("archetype"))
    role = next((r for r in roles if r.public_id == role_id), None)
    if role is None:
        raise Http404("No such cell")
    if wanted == "next":
        wanted = next_letters(raci.parse_letters(expected) or "")
    status, error, letters = 200, "", None
    try:
        written = services.cell_set(
            workspace=workspace, activity_id=activity_id, role=role, letters=wanted, expected=expected, by=request.user
        )
    except (Activity.DoesNotExist, services.Gone):  # its row or column was deleted meanwhile
        raise Http404("No such cell") from None
    except services.ServiceError as refused:
        status, error = (409 if isinstance(refused, services.StaleCell) else 400), str(refused)
        activity = get_object_or_404(workspace.activities, public_id=activity_id)
    else:
        activity, letters = written.activity, written.row
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_matrix_url(workspace, f"row-{activity.public_id}"))
    row = matrix_row(workspace, activity, roles=roles, letters=letters)
    response = render(
        request,
        "responsibilities/matrix.html#cell-update",
        {"access": access, "workspace": workspace, "row": row, "target_role": role, "error": error},
        status=status,
    )
    response["HX-Trigger"] = "raci-changed"  # the summary strip and other panels refresh on it
    return response


@login_required
@require_POST
def activity_add(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = services.activity_add(workspace=access.workspace, **form.cleaned_data)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            return redirect(_matrix_url(access.workspace, f"row-{activity.public_id}"))
    else:
        messages.error(request, _form_errors(form))
    return redirect(_matrix_url(access.workspace))


@login_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, workspace_id, activity_id):
    access = workspace_for(request, workspace_id)
    activity = get_object_or_404(access.workspace.activities, public_id=activity_id)
    form = ActivityForm(request.POST or None, initial={"name": activity.name, "description": activity.description})
    if request.method == "POST":
        access = workspace_for(request, workspace_id, write=True)
        if form.is_valid():
            try:
                services.activity_update(activity=activity, **form.cleaned_data)
            except services.Gone as error:
                messages.error(request, str(error))
                return redirect(_matrix_url(access.workspace))
            except services.ServiceError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, "Activity saved.")
                return redirect(request.path)
    return render(
        request,
        "responsibilities/activity.html",
        {
            "access": access,
            "workspace": access.workspace,
            "activity": activity,
            "form": form,
            "row": matrix_row(access.workspace, activity),
            "history": activity_history(activity),
        },
    )


@login_required
@require_POST
def activity_delete(request, workspace_id, activity_id):
    access = workspace_for(request, workspace_id, write=True)
    activity = get_object_or_404(access.workspace.activities, public_id=activity_id)
    services.activity_delete(activity=activity)
    messages.success(request, f"Deleted the activity {activity.name}.")
    return redirect(_matrix_url(access.workspace))


@login_required
@require_POST
def activity_move(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    activity_id, _, direction = request.POST.get("move", "").partition(":")
    activity = get_object_or_404(access.workspace.activities, public_id=uuid_or_404(activity_id))
    services.move(item=activity, offset=-1 if direction == "up" else 1)
    return redirect(_matrix_url(access.workspace, f"row-{activity.public_id}"))


@login_required
@require_POST
def role_add(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_add(workspace=access.workspace, **form.cleaned_data)
        except services.ServiceError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _form_errors(form))
    if request.POST.get("next") == "team":
        return redirect(_team_url(access.workspace))
    return redirect(_matrix_url(access.workspace))


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request, workspace_id):
    access = workspace_for(request, workspace_id, manage=True)
    workspace = access.workspace
    form = WorkspaceForm(
        request.POST or None,
        initial={
            "name": workspace.name, "size": workspace.size, "market": workspace.market,
            "primary_framework": workspace.primary_framework.slug if workspace.primary_framework else "read",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_update(workspace=workspace, **form.cleaned_data)
        except services.ServiceError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "Workspace settings saved.")
            return redirect(request.path)
    return render(request, "responsibilities/settings.html", {"access": access, "workspace": workspace, "form": form})


@login_required
@require_POST
def workspace_delete(request, workspace_id):
    access = workspace_for(request, workspace_id, manage=True)
    if request.POST.get("confirm_name", "").strip() != access.workspace.name:
        messages.error(request, "Type the workspace's name exactly to delete it.")
        return redirect("workspaces:settings", workspace_id=workspace_id)
    services.workspace_delete(workspace=access.workspace)
    messages.success(request, f"Deleted the workspace {access.workspace.name}.")
    return redirect("workspaces:list")


# Roles and people ("Team" page)


@login_required
@require_GET
def team(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    roles = list(role_queryset(workspace).select_related("archetype").prefetch_related("people"))
    return render(
        request,
        "responsibilities/team.html",
        {
            "access": access,
            "workspace": workspace,
            "roles": roles,
            "people": people_for(workspace),
            "role_form": RoleForm(),
            "person_form": PersonForm(roles=role_queryset(workspace)),
            "archetypes": Archetype.objects.all(),
        },
    )


def _team_url(workspace, anchor=""):
    url = reverse("workspaces:team", args=[workspace.public_id])
    return f"{url}#{anchor}" if anchor else url


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def role_edit(request, workspace_id, role_id):
    access = workspace_for(request, workspace_id, write=True)
    role = get_object_or_404(access.workspace.roles, public_id=role_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.role_update(role=role, **form.cleaned_data)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Saved the role {role.name}.")
    return redirect(_team_url(access.workspace, f"role-{role.public_id}"))


@login_required
@require_POST
def role_delete(request, workspace_id, role_id):
    access = workspace_for(request, workspace_id, write=True)
    role = get_object_or_404(access.workspace.roles, public_id=role_id)
    services.role_delete(role=role)
    messages.success(request, f"Deleted the role {role.name} and its column of the matrix.")
    return redirect(_team_url(access.workspace))


@login_required
@require_POST
def role_move(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    role_id, _, direction = request.POST.get("move", "").partition(":")
    role = get_object_or_404(access.workspace.roles, public_id=uuid_or_404(role_id))
    services.move(item=role, offset=-1 if direction == "up" else 1)
    return redirect(_team_url(access.workspace, f"role-{role.public_id}"))


@login_required
@require_POST
def person_add(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    return _person_save(request, access, person=None)


@login_required
@require_POST
def person_edit(request, workspace_id, person_id):
    access = workspace_for(request, workspace_id, write=True)
    person = get_object_or_404(access.workspace.people, public_id=person_id)
    if request.POST.get("delete"):
        services.person_delete(person=person)
        messages.success(request, f"Removed {person.name}.")
        return redirect(_team_url(access.workspace))
    return _person_save(request, access, person=person)


def _person_save(request, access, person):
    form = PersonForm(request.POST, roles=role_queryset(access.workspace))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_team_url(access.workspace))
    try:
        person = services.person_save(
            workspace=access.workspace, name=form.cleaned_data["name"], roles=list(form.cleaned_data["roles"]),
            person=person,
        )
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(_team_url(access.workspace))
    if person.roles.filter(archetype__slug="pm").exists() and person.roles.filter(archetype__slug="pmm").exists():
        messages.warning(
            request,
            f"{person.name} now holds both a product management and a product marketing role: "
            "a known cause of overload and burnout.",
        )
    else:
        messages.success(request, f"Saved {person.name}.")
    return redirect(_team_url(access.workspace, f"person-{person.public_id}"))


# Members and invitations


@login_required
@require_http_methods(["GET", "POST"])
def members(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    member_form = MemberForm(request.POST if request.POST.get("action") == "add" else None)
    invitation_form = InvitationForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method == "POST":
        access = workspace_for(request, workspace_id, manage=True)
        action = request.POST.get("action")
        try:
            if action == "add" and member_form.is_valid():
                services.member_set(
                    workspace=workspace, user=member_form.cleaned_data["user"],
                    level=member_form.cleaned_data["level"], by=request.user,
                )
                messages.success(request, f"{member_form.cleaned_data['username']} is now a member.")
                return redirect(request.path)
            if action == "invite" and invitation_form.is_valid():
                invitation = services.invitation_create(
                    workspace=workspace, level=invitation_form.cleaned_data["level"], by=request.user
                )
                link = request.build_absolute_uri(reverse("workspaces:invitation", args=[invitation.token]))
                messages.success(request, f"Invitation link, valid for 7 days and for one person: {link}")
                return redirect(request.path)
            if action in ("level", "remove"):
                membership = get_object_or_404(workspace.memberships, pk=_int_or_404(request.POST.get("membership")))
                if action == "remove":
                    services.member_remove(workspace=workspace, membership=membership)
                    messages.success(request, f"Removed {membership.user.get_username()}.")
                else:
                    level = request.POST.get("level", "")
                    if level not in Membership.Level.values:
                        return HttpResponse("Unknown access level.", status=400)
                    services.member_set(workspace=workspace, user=membership.user, level=level, by=request.user)
                    messages.success(request, f"{membership.user.get_username()} is now {level}.")
                return redirect(request.path)
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect(request.path)
    return render(
        request,
        "responsibilities/members.html",
        {
            "access": access,
            "workspace": workspace,
            "memberships": workspace.memberships.select_related("user").order_by("user__username"),
            "levels": Membership.Level.choices,
            "member_form": member_form,
            "invitation_form": invitation_form,
        },
    )


def _int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such member") from None


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = Invitation.objects.select_related("workspace", "created_by").filter(token=token[:64]).first()
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token[:64], user=request.user)
        except services.ServiceError as error:
            messages.error(request, str(error))
            return redirect("workspaces:list")
        messages.success(request, f"You joined {membership.workspace.name} as {membership.get_level_display().lower()}.")
        return redirect(membership.workspace)
    return render(request, "responsibilities/invitation.html", {"invitation": found, "valid": found and found.is_valid})


# Mapping activities onto framework elements


@login_required
@require_http_methods(["GET", "POST"])
def activity_mapping(request, workspace_id, activity_id):
    access = workspace_for(request, workspace_id, write=True)
    activity = get_object_or_404(access.workspace.activities, public_id=activity_id)
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("element") if value.isdigit()]
        if len(ids) > MAX_MAPPINGS:
            messages.error(request, f"Map an activity to at most {MAX_MAPPINGS} elements.")
            return redirect(request.path)
        elements = list(Element.objects.filter(pk__in=ids))
        try:
            services.activity_map(activity=activity, elements=elements, by=request.user)
        except services.Gone as error:
            messages.error(request, str(error))
            return redirect(_matrix_url(access.workspace))
        messages.success(request, f"Mapped {activity.name} to {len(elements)} element{'s' if len(elements) != 1 else ''}.")
        if request.POST.get("next") == "matrix":
            return redirect(_matrix_url(access.workspace, f"row-{activity.public_id}"))
        return redirect("workspaces:activity", workspace_id=workspace_id, activity_id=activity_id)
    query = request.GET.get("q", "")[:100]
    template = "responsibilities/mapping.html"
    if request.htmx and request.GET.get("panel") == "results":
        template += "#results"
    return render(
        request,
        template,
        {
            "access": access,
            "workspace": access.workspace,
            "activity": activity,
            "query": query,
            "mapped": list(activity.elements.select_related("framework", "parent")),
            "results": element_search(query, exclude=activity.elements.all()),
        },
    )


# Activity list (django-tables2)


@login_required
@require_GET
def activity_list(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    filters = ActivityFilterForm(request.GET or None, workspace=workspace)
    activities = activity_rows(workspace, **(filters.cleaned_data if filters.is_valid() else {}))
    if request.GET.get("export") == "csv":
        exported = activities_csv(workspace, activities)
        response = HttpResponse(exported, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _attachment(f"{workspace.name} activities.csv")
        return response
    table = ActivityTable(activities, workspace=workspace, roles=filters.roles)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "responsibilities/activity_list.html",
        {"access": access, "workspace": workspace, "table": table, "filters": filters},
    )


# Import and export


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)


@login_required
@require_GET
def workspace_export_view(request, workspace_id, fmt):
    access = workspace_for(request, workspace_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format")
    exported = workspace_export(access.workspace, fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = _attachment(f"{access.workspace.name}.{exported.suffix}")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def workspace_import_view(request):
    """Upload -> preview (parsed, nothing written) -> confirm (parsed again, then written).

    The preview carries the parsed workspace as a JSON document in the form, so the confirm
    step needs no server-side state and is validated again like any upload.
    """
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "preview": None, "errors": []}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        data, errors = read_workspace_file(request.POST.get("document", "").encode(), "preview.json")
        name = " ".join(request.POST.get("name", "").split())
        if not errors:
            try:
                workspace = services.workspace_import(data=data, name=name, owner=request.user)
            except services.ServiceError as error:
                errors = [str(error)]
            else:
                messages.success(request, f"Imported {workspace.name}: {len(data.activities)} activities.")
                return redirect(workspace)
        context.update(errors=errors, preview=data, name=name, document=request.POST.get("document", ""))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, errors = read_workspace_file(upload.read(), upload.name)
        context["errors"] = errors
        if data is not None:
            stem = upload.name.rsplit(".", 1)[0]
            name = form.cleaned_data["name"] or data.name or stem
            if Workspace.objects.filter(name__iexact=name).exists():
                context["name_taken"] = name
                name = services.unique_workspace_name(name)
            context.update(preview=data, name=name, document=export.to_json(data))
    return render(request, "responsibilities/import.html", context)


# Judgement: dashboard, lens, role-definition document


def _framework_in_view(request, workspace) -> Framework:
    """?framework=slug (or an alias), else the workspace's primary framework, else Read's."""
    slug = request.GET.get("framework", "")
    framework = framework_by_slug_or_alias(slug) if slug else None
    if slug and framework is None:
        messages.error(request, f"There is no framework {slug[:60]!r}; showing the primary framework.")
    return framework or workspace.primary_framework or get_object_or_404(Framework, slug="read")


@login_required
@require_GET
def dashboard(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    severity = request.GET.get("severity", "")[:10]
    kind = request.GET.get("kind", "")[:30]
    return render(
        request,
        "responsibilities/dashboard.html",
        {
            "access": access,
            "workspace": workspace,
            "framework": framework,
            "severity": severity,
            "kind": kind,
            "severities": SEVERITIES,
            "dash": SimpleLazyObject(lambda: _dashboard_data(workspace, framework, severity, kind)),
            "cache_key": _cache_key(workspace, framework.slug, severity, kind),
        },
    )


@dataclass
class _Dashboard:
    overview: list
    analysis: object
    groups: list
    kinds: list


def _dashboard_data(workspace, framework, severity, kind) -> _Dashboard:
    overview = coverage_overview(workspace)
    analysis = next(a for a in overview if a.framework.slug == framework.slug)
    groups = []
    for group in analysis.groups:
        if kind and group.kind != kind:
            continue
        problems = [p for p in group.problems if not severity or p.finding.severity == severity]
        if problems:
            groups.append((group, problems))
    return _Dashboard(
        overview=overview, analysis=analysis, groups=groups, kinds=[group.kind for group in analysis.groups]
    )


@login_required
@require_GET
def lens(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    analysis = analysis_for(workspace, framework)
    return render(
        request,
        "responsibilities/lens.html",
        {
            "access": access,
            "workspace": workspace,
            "framework": framework,
            "analysis": analysis,
            "columns": lens_columns(analysis),
            "frameworks": Framework.objects.order_by("position", "title"),
            "activity_names": {str(k): v for k, v in workspace.activities.values_list("public_id", "name")},
        },
    )


@login_required
@require_GET
def role_document(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    document = role_definitions(workspace, framework)
    if request.GET.get("format") == "md":
        response = HttpResponse(role_document_markdown(document), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = _attachment(f"{workspace.name} roles.md")
        return response
    return render(
        request,
        "responsibilities/role_document.html",
        {
            "access": access,
            "workspace": workspace,
            "framework": framework,
            "document": document,
            "frameworks": Framework.objects.order_by("position", "title"),
        },
    )
