from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, urlencode
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget
from django_tables2 import RequestConfig

from frameworks import letters as raci
from frameworks.models import Archetype, Element, Framework
from frameworks.selectors import framework_by_slug_or_alias
from responsibilities import pending_imports, services
from responsibilities.access import row_id, uuid_or_404, uuid_or_none, workspace_for
from responsibilities.formats import hours_text, problem_count
from responsibilities.formats import staffing as staffing_formats
from responsibilities.forms import (
    AcceptAllForm,
    ActivityHoursForm,
    AssessmentForm,
    ElementReferenceForm,
    ActivityFilterForm,
    ChangeChoiceForm,
    HistoryFilterForm,
    ActivityForm,
    ImportConfirmForm,
    InvitationForm,
    MappingBatchForm,
    MappingChoiceForm,
    MemberForm,
    NewWorkspaceForm,
    PersonForm,
    RoleForm,
    UploadForm,
    WorkspaceForm,
    activity_hours_form,
    role_queryset,
)
from responsibilities.models import Activity, Change, Invitation, Membership, PendingImport, Workspace
from responsibilities.analysis import MANY_UNMAPPED, SEVERITIES
from responsibilities.matching import PROBABLY_RIGHT
from responsibilities.documents import role_definitions, role_document_markdown
from responsibilities.selectors import (
    EXPORT_FORMATS,
    assessments_for,
    analysis_for,
    coverage_overview,
    lens_columns,
    activities_csv,
    activity_history,
    activity_rows,
    element_search,
    workspace_history,
    import_mapping_choices,
    mapping_batch,
    mapping_suggestions,
    matrix_for,
    matrix_row,
    people_for,
    read_pasted_table,
    read_workspace_document,
    read_workspace_file,
    staffing_report_for,
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
        fields = {key: form.cleaned_data[key] for key in ("name", "description", "group")}
        try:
            activity = services.activity_add(workspace=access.workspace, by=request.user, **fields)
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
    form = ActivityForm(
        request.POST or None,
        initial={
            "name": activity.name, "description": activity.description, "group": activity.group,
            "hours": hours_text(activity.hours), "version": access.workspace.version,
        },
    )
    status = 200
    if request.method == "POST":
        access = workspace_for(request, workspace_id, write=True)
        if form.is_valid():
            try:
                services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
            except services.StaleEdit as stale:
                status = _refused_as_stale(form, stale, access.workspace)
                activity.refresh_from_db()
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
            "deletion": services.deletion_summary(activity=activity),
        },
        status=status,
    )


def _refused_as_stale(form, stale, workspace) -> int:
    """A stale save: say what changed and by whom, keep the user's input, and let the next
    save apply it over what is there now. The answer is 409 Conflict."""
    form.add_error(None, str(stale))
    data = form.data.copy()
    data["version"] = str(Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk))
    form.data = data
    return 409


@login_required
@require_POST
def activity_delete(request, workspace_id, activity_id):
    access = workspace_for(request, workspace_id, write=True)
    activity = get_object_or_404(access.workspace.activities, public_id=activity_id)
    try:
        services.activity_delete(activity=activity, by=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(_matrix_url(access.workspace))
    messages.success(request, f"Deleted the activity {activity.name}: restore it from History within {services.RESTORE_DAYS} days.")
    return redirect(_matrix_url(access.workspace))


@login_required
@require_POST
def activity_move(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    activity_id, _, direction = request.POST.get("move", "").partition(":")
    activity = get_object_or_404(access.workspace.activities, public_id=uuid_or_404(activity_id))
    try:
        services.move(item=activity, offset=-1 if direction == "up" else 1, by=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
    return redirect(_matrix_url(access.workspace, f"row-{activity.public_id}"))


@login_required
@require_POST
def role_add(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_add(
                workspace=access.workspace, name=form.cleaned_data["name"], archetype=form.cleaned_data["archetype"],
                by=request.user,
            )
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
            "fte_hours": hours_text(workspace.fte_hours), "version": workspace.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_update(workspace=workspace, by=request.user, **form.cleaned_data)
        except services.StaleEdit as stale:
            status = _refused_as_stale(form, stale, workspace)
        except services.ServiceError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "Workspace settings saved.")
            return redirect(request.path)
    return render(
        request, "responsibilities/settings.html", {"access": access, "workspace": workspace, "form": form}, status=status
    )


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
    roles = list(
        role_queryset(workspace).select_related("archetype").prefetch_related("people")
        .annotate(letter_count=Count("assignments"))
    )
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
            services.role_update(role=role, by=request.user, **form.cleaned_data)
        except services.StaleEdit as stale:
            return _conflict(request, access, form, stale, what=f"the role {role.name}", back=_team_url(access.workspace))
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Saved the role {role.name}.")
    return redirect(_team_url(access.workspace, f"role-{role.public_id}"))


def _conflict(request, access, form, stale, *, what: str, back: str):
    """409: the save was refused as stale; the user's input comes back, ready to apply again."""
    status = _refused_as_stale(form, stale, access.workspace)
    return render(
        request,
        "responsibilities/conflict.html",
        {
            "access": access, "workspace": access.workspace, "form": form, "what": what,
            "error": str(stale), "action": request.path, "back": back,
        },
        status=status,
    )


@login_required
@require_POST
def role_delete(request, workspace_id, role_id):
    access = workspace_for(request, workspace_id, write=True)
    role = get_object_or_404(access.workspace.roles, public_id=role_id)
    try:
        services.role_delete(role=role, by=request.user, version=_version(request))
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(_team_url(access.workspace))
    messages.success(
        request, f"Deleted the role {role.name} and its column of the matrix: restore it from History within {services.RESTORE_DAYS} days."
    )
    return redirect(_team_url(access.workspace))


@login_required
@require_POST
def role_move(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    role_id, _, direction = request.POST.get("move", "").partition(":")
    role = get_object_or_404(access.workspace.roles, public_id=uuid_or_404(role_id))
    try:
        services.move(item=role, offset=-1 if direction == "up" else 1, by=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
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
        services.person_delete(person=person, by=request.user)
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
            person=person, by=request.user, version=form.cleaned_data["version"],
        )
    except services.StaleEdit as stale:
        return _conflict(request, access, form, stale, what=person.name, back=_team_url(access.workspace))
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(_team_url(access.workspace))
    if person.roles.filter(archetype__slug="pm").exists() and person.roles.filter(archetype__slug="pmm").exists():
        messages.warning(
            request,
            f"{person.name} now holds both a product management and a product marketing role: "
            "a known cause of overload and burnout (comments on April Dunford’s “How Do CMOs Define "
            "Product Marketing?”; “Product Management vs. Product Marketing”).",
        )
    else:
        messages.success(request, f"Saved {person.name}.")
    return redirect(_team_url(access.workspace, f"person-{person.public_id}"))


# History


@login_required
@require_GET
def history(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    filters = HistoryFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    changes = workspace_history(workspace, **{key: value for key, value in wanted.items() if value})
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    return render(
        request,
        "responsibilities/history.html",
        {
            "access": access, "workspace": workspace, "filters": filters, "page": page,
            "filtered": any(wanted.values()), "restore_days": services.RESTORE_DAYS,
            "query": urlencode({key: value for key, value in wanted.items() if value}),
            "restorable": {change.pk for change in shown if services.restorable(change)},
            "undoable": {c.pk for c in shown if c.kind == Change.Kind.IMPORT and c.snapshot},
        },
    )


@login_required
@require_POST
def history_restore(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = ChangeChoiceForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose a deletion to restore.", status=400)
    try:
        restored = services.restore_deleted(workspace=access.workspace, change_id=form.cleaned_data["change"], by=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect(access.urls["history"])
    messages.success(request, f"Restored {restored.name} with its letters, mappings and history.")
    if isinstance(restored, Activity):
        return redirect("workspaces:activity", workspace_id=workspace_id, activity_id=restored.public_id)
    return redirect(_team_url(access.workspace, f"role-{restored.public_id}"))


@login_required
@require_POST
def history_import_undo(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = ChangeChoiceForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose an import to undo.", status=400)
    try:
        services.import_undo(workspace=access.workspace, change_id=form.cleaned_data["change"], by=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The workspace is back as it was before that import (and this undo can be undone too).")
    return redirect(access.urls["history"])


# Members and invitations


@login_required
@require_http_methods(["GET", "POST"])
def members(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    status = 200
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
                membership = get_object_or_404(workspace.memberships, pk=row_id(request.POST.get("membership")))
                if action == "remove":
                    services.member_remove(
                        workspace=workspace, membership=membership, by=request.user, version=_version(request)
                    )
                    messages.success(request, f"Removed {membership.user.get_username()}.")
                else:
                    level = request.POST.get("level", "")
                    if level not in Membership.Level.values:
                        return HttpResponse("Unknown access level.", status=400)
                    services.member_set(
                        workspace=workspace, user=membership.user, level=level, by=request.user, version=_version(request)
                    )
                    messages.success(request, f"{membership.user.get_username()} is now {level}.")
                return redirect(request.path)
        except services.StaleEdit as stale:
            # 409: the members page as it is now, saying who changed what meanwhile.
            messages.error(request, f"{stale.what_changed()} Nothing was saved; choose again.")
            status = 409
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
        status=status,
    )


def _version(request) -> int | None:
    """The workspace version a plain form (no Django form of its own) was loaded at, if it says."""
    return row_id(request.POST.get("version"))


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
        ids = [row_id(value) for value in request.POST.getlist("element")]
        if None in ids:
            raise BadRequest("An element must be given by its number.")
        if len(ids) > MAX_MAPPINGS:
            messages.error(request, f"Map an activity to at most {MAX_MAPPINGS} elements.")
            return redirect(request.path)
        elements = list(Element.objects.filter(pk__in=ids).select_related("framework", "parent"))
        try:
            services.activity_map(activity=activity, elements=elements, by=request.user, version=_version(request))
        except services.Gone as error:
            messages.error(request, str(error))
            return redirect(_matrix_url(access.workspace))
        except services.StaleEdit as stale:
            # The user's choice comes back ticked, over the current version: saving again applies it.
            access.workspace.refresh_from_db(fields=["version"])
            return render(
                request, "responsibilities/mapping.html",
                {
                    "access": access, "workspace": access.workspace, "activity": activity, "query": "",
                    "mapped": elements, "search": element_search("", exclude=()), "stale": str(stale),
                },
                status=409,
            )
        messages.success(request, f"Mapped {activity.name} to {len(elements)} element{'s' if len(elements) != 1 else ''}.")
        if request.POST.get("next") == "matrix":
            return redirect(_matrix_url(access.workspace, f"row-{activity.public_id}"))
        return redirect("workspaces:activity", workspace_id=workspace_id, activity_id=activity_id)
    query = request.GET.get("q", "")[:100]
    template = "responsibilities/mapping.html"
    if request.htmx and request.GET.get("panel") == "results":
        template += "#results"
    mapped = list(activity.elements.select_related("framework", "parent"))
    return render(
        request,
        template,
        {
            "access": access,
            "workspace": access.workspace,
            "activity": activity,
            "query": query,
            "mapped": mapped,
            "search": element_search(query, exclude=[element.pk for element in mapped]),
        },
    )


# The mapping page: every activity with its mappings in one framework and suggestions to accept

MAPPING_TEMPLATE = "responsibilities/workspace_mapping.html"
SHOW_UNMAPPED, SHOW_ALL = "unmapped", "all"
# Suggestions scoring below this matched one common word at most ("possible, 3%"): noise, not a choice.
SHOWN_FROM = 0.1


@dataclass
class _MappingPage:
    show: str
    rows: list  # the listed activities' ActivitySuggestions
    activities: int
    unmapped: int
    probable: list  # (activity, suggestion): unmapped activities' top suggestion at PROBABLY_RIGHT or above


def _mapping_page(workspace, framework, show: str) -> _MappingPage:
    every = _suggestions_shown(workspace, framework)
    unmapped = [entry for entry in every if not entry.mapped]
    if show not in (SHOW_UNMAPPED, SHOW_ALL):
        # While many are unmapped (the share at which the dashboard says "map first"), list only those.
        show = SHOW_UNMAPPED if len(unmapped) > MANY_UNMAPPED * len(every) else SHOW_ALL
    return _MappingPage(
        show=show,
        rows=unmapped if show == SHOW_UNMAPPED else every,
        activities=len(every),
        unmapped=len(unmapped),
        probable=[
            (entry.activity, entry.candidates[0])
            for entry in unmapped if entry.candidates and entry.candidates[0].score >= PROBABLY_RIGHT
        ],
    )


def _suggestions_shown(workspace, framework) -> list:
    """Every activity's suggestions, without the ones too weak to be worth a click."""
    every = mapping_suggestions(workspace, framework, include_mapped=True)
    for entry in every:
        entry.candidates = [candidate for candidate in entry.candidates if candidate.score >= SHOWN_FROM]
    return every


def _mapping_url(workspace, framework=None, show="", *, batch=None, anchor="", page="mapping") -> str:
    params = {"framework": framework.slug if framework else "", "show": show or "", "batch": str(batch or "")}
    query = urlencode({key: value for key, value in params.items() if value})
    url = reverse(f"workspaces:{page}", args=[workspace.public_id])
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _mapping_context(access, framework, page: _MappingPage, **extra) -> dict:
    return {
        "access": access,
        "workspace": access.workspace,
        "framework": framework,
        "frameworks": Framework.objects.order_by("position", "title"),
        "page": page,
        "threshold": PROBABLY_RIGHT,
        **extra,
    }


@login_required
@require_GET
def mapping(request, workspace_id):
    access = workspace_for(request, workspace_id)
    framework = _framework_in_view(request, access.workspace)
    page = _mapping_page(access.workspace, framework, request.GET.get("show", ""))
    batch = uuid_or_none(request.GET.get("batch", ""))
    template = MAPPING_TEMPLATE
    if request.htmx and request.htmx.target == "mapping-body":
        template += "#body"  # the framework or the filter changed: the part below the controls
    response = render(
        request,
        template,
        _mapping_context(access, framework, page, batch=mapping_batch(access.workspace, batch) if batch else None),
    )
    # One address, two answers (page or part): a browser must not show the part for the page.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_POST
def mapping_accept(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = MappingChoiceForm(request.POST, workspace=access.workspace)
    if not form.is_valid():
        return _mapping_refused(request, access, form)
    activity, element = form.cleaned_data["activity"], form.cleaned_data["element"]
    if services.mappings_accept(workspace=access.workspace, choices=[(activity, element)], by=request.user):
        note = f"Mapped {activity.name} to {element.name}."
    else:
        note = f"{activity.name} was already mapped to {element.name}; nothing changed."
    return _mapping_done(request, access, form, note, focus=element.pk)


@login_required
@require_POST
def mapping_remove(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = MappingChoiceForm(request.POST, workspace=access.workspace)
    if not form.is_valid():
        return _mapping_refused(request, access, form)
    activity, element = form.cleaned_data["activity"], form.cleaned_data["element"]
    mapped = list(activity.elements.all())
    if element in mapped:
        services.activity_map(activity=activity, elements=[other for other in mapped if other != element], by=request.user)
        note = f"Removed the mapping of {activity.name} to {element.name}."
    else:
        note = f"{activity.name} was not mapped to {element.name}; nothing changed."
    return _mapping_done(request, access, form, note, focus="first-choice")


def _mapping_done(request, access, form, note: str, *, focus: int | str):
    """After one accept or remove: the row again (htmx), else back to the same place on the page.

    `focus` is where keyboard focus goes in the new row: an element's id (its remove button) or
    "first-choice" (the first suggestion, else the link to the picker)."""
    framework, activity = form.cleaned_data["framework"], form.cleaned_data["activity"]
    if not request.htmx:
        messages.success(request, note)
        show = form.cleaned_data["show"]
        return redirect(_mapping_url(access.workspace, framework, show, anchor=f"activity-{activity.public_id}"))
    row = next((entry for entry in _suggestions_shown(access.workspace, framework) if entry.activity == activity), None)
    return render(
        request,
        MAPPING_TEMPLATE + "#row-update",
        {
            "access": access, "workspace": access.workspace, "framework": framework, "threshold": PROBABLY_RIGHT,
            "row": row, "note": note, "focus": focus,
        },
    )


def _mapping_refused(request, access, form):
    """Bad input (unknown, foreign or stale ids): a clear message, nothing written."""
    error = _form_errors(form)
    framework, show = form.cleaned_data.get("framework"), form.cleaned_data.get("show", "")
    if request.htmx:
        response = render(request, MAPPING_TEMPLATE + "#status", {"error": error})
        return reswap(retarget(response, "#mapping-status"), "outerHTML")
    messages.error(request, error)
    return redirect(_mapping_url(access.workspace, framework, show))


@login_required
@require_GET
def mapping_accept_all(request, workspace_id):
    """The preview of "accept all at 0.5 or above": what would be mapped; nothing is written."""
    access = workspace_for(request, workspace_id, write=True)
    framework = _framework_in_view(request, access.workspace)
    page = _mapping_page(access.workspace, framework, request.GET.get("show", ""))
    return render(request, MAPPING_TEMPLATE, _mapping_context(access, framework, page, preview=True))


@login_required
@require_POST
def mapping_accept_all_apply(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = AcceptAllForm(request.POST, workspace=access.workspace)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        framework, show = form.cleaned_data.get("framework"), form.cleaned_data.get("show", "")
        return redirect(_mapping_url(access.workspace, framework, show, page="mapping_accept_all"))
    framework, show = form.cleaned_data["framework"], form.cleaned_data["show"]
    batch = services.mappings_accept(workspace=access.workspace, choices=form.cleaned_data["choices"], by=request.user)
    if batch is None:
        messages.info(request, "Nothing to map: each chosen activity already had that mapping.")
        return redirect(_mapping_url(access.workspace, framework, show))
    messages.success(request, f"Accepted the suggestions for {framework.title} in one batch.")
    return redirect(_mapping_url(access.workspace, framework, show, batch=batch, anchor="batch"))


@login_required
@require_POST
def mapping_undo(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = MappingBatchForm(request.POST, workspace=access.workspace)
    valid = form.is_valid()
    framework, show = form.cleaned_data.get("framework"), form.cleaned_data.get("show", "")
    if not valid:
        messages.error(request, _form_errors(form))
    else:
        removed = services.mapping_batch_undo(workspace=access.workspace, batch=form.cleaned_data["batch"], by=request.user)
        if removed:
            messages.success(request, f"Undid the batch: removed {removed} mapping{pluralize(removed)}.")
        else:
            messages.info(request, "Nothing to undo: that batch's mappings were removed already.")
    return redirect(_mapping_url(access.workspace, framework, show))


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
    table = ActivityTable(activities, workspace=workspace, roles=filters.roles, can_edit=access.can_edit)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "responsibilities/activity_list.html",
        {"access": access, "workspace": workspace, "table": table, "filters": filters},
    )


@login_required
@require_POST
def activity_hours(request, workspace_id, activity_id):
    """The activity list's in-place edit of an activity's hours: with htmx the cell again, saying
    what happened; without, back to the row in the list."""
    access = workspace_for(request, workspace_id, write=True)
    activity = get_object_or_404(access.workspace.activities, public_id=activity_id)
    form = ActivityHoursForm(request.POST)
    error = note = ""
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            services.activity_hours_set(activity=activity, by=request.user, **form.cleaned_data)
        except services.ServiceError as refused:  # stale, or the activity deleted meanwhile
            error = str(refused)
        else:
            note = f"Saved: {activity.name}, {hours_text(activity.hours) or 'not sized'}."
    if not request.htmx:
        if error:
            messages.error(request, f"{activity.name}: {error}")
        else:
            messages.success(request, note)
        return redirect(reverse("workspaces:activities", args=[access.workspace.public_id]) + f"#hours-{activity.public_id}")
    version = Workspace.objects.values_list("version", flat=True).get(pk=access.workspace.pk)
    # A refused value stays in the input, to correct or to apply again over what changed.
    typed = form.data.get("hours", "") if error else None
    return render(
        request,
        "responsibilities/activity_list.html#hours",
        {
            "access": access, "workspace": access.workspace, "activity": activity, "note": note, "error": error,
            "form": activity_hours_form(activity, version=version, typed=typed, error=error, answered=True),
        },
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
    """Upload or paste -> preview (parsed and kept as a pending import, nothing else written)
    -> confirm (the pending import validated again, then written).

    The confirm form carries the pending import's token, the name, the kinds of role chosen
    in the preview and "map with suggestions"; the document stays on the server.
    """
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _workspace_import_confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": []}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is not None:
            data, context["errors"] = read_workspace_file(upload.read(), upload.name)
            filename, stem = upload.name, upload.name.rsplit(".", 1)[0]
        else:
            data, context["errors"] = read_pasted_table(form.cleaned_data["table"])
            filename, stem = "a pasted table", "Pasted table"
        if data is not None:
            name = form.cleaned_data["name"] or data.name or stem
            replace_name = ""
            if Workspace.objects.filter(name__iexact=name).exists():
                context["name_taken"] = replace_name = name
                name = services.unique_workspace_name(name)
            pending = pending_imports.pending_import_keep(user=request.user, data=data, filename=filename)
            initial = {
                "name": name,
                "replace_name": replace_name,
                "token": pending.token,
                # A sheet that maps nothing gets its mappings suggested; one that maps is left as it is.
                "map_suggestions": not any(activity.elements for activity in data.activities),
            }
            context.update(_import_preview(data, ImportConfirmForm(roles=data.roles, initial=initial)))
    return _import_page(request, context)


def _import_page(request, context: dict, status: int = 200):
    return render(
        request, "responsibilities/import.html", {**context, "problem_count": problem_count(context["errors"])},
        status=status,
    )


def import_refused(request, problem: str):
    """The import page for a request too large to read (pmmhub.errors): the form again, and why."""
    return _import_page(request, {"form": UploadForm(), "errors": [problem]}, status=400)


def _import_preview(data, confirm: ImportConfirmForm) -> dict:
    suggestions = import_mapping_choices(data)
    return {
        "preview": data,
        "confirm": confirm,
        "role_columns": list(zip(data.roles, confirm.archetype_fields())),
        "rows": [(activity, suggestions.get(activity.name)) for activity in data.activities[:100]],
        "suggested": len(suggestions),
        "preview_framework": Framework.objects.filter(slug=data.framework).first(),
    }


def _workspace_import_confirm(request):
    token = uuid_or_404(request.POST.get("token", ""))
    pending = get_object_or_404(PendingImport.objects.select_related("workspace"), token=token, user=request.user)
    try:
        pending_imports.pending_import_check(pending)
    except pending_imports.AlreadyImported as done:
        return _import_page(request, {"form": UploadForm(), "errors": [], "already_imported": done})
    except pending_imports.PendingImportGone as gone:
        return _import_page(request, {"form": UploadForm(), "errors": [str(gone)]})
    data, errors = read_workspace_document(pending.document)
    if errors:  # the library changed since the preview
        return _import_page(request, {"form": UploadForm(), "errors": errors})
    confirm = ImportConfirmForm(request.POST, roles=data.roles)
    if not confirm.is_valid():
        problems = [f"{confirm[name].label}: {' '.join(found)}" for name, found in confirm.errors.items()]
        return _import_page(request, _confirm_refused(data, confirm, problems))
    name = " ".join(confirm.cleaned_data["name"].split())
    replacing = confirm.cleaned_data["replace"] and confirm.cleaned_data["replace_name"]
    if replacing:
        name = " ".join(confirm.cleaned_data["replace_name"].split())
    try:
        if replacing and not Membership.objects.filter(
            workspace__name__iexact=name, user=request.user, level=Membership.Level.OWNER
        ).exists():
            raise services.ServiceError(f"Only an owner of “{name}” can replace it; import it under another name.")
        imported = pending_imports.pending_import_confirm(
            pending=pending,
            data=replace(data, roles=confirm.chosen_roles()),
            name=name,
            replace=bool(replacing),
            map_suggestions=confirm.cleaned_data["map_suggestions"],
        )
    except pending_imports.AlreadyImported as done:
        return _import_page(request, {"form": UploadForm(), "errors": [], "already_imported": done})
    except services.ServiceError as error:
        return _import_page(request, _confirm_refused(data, confirm, [str(error)]))
    workspace = imported.workspace
    if imported.batch is None:
        messages.success(request, f"Imported {workspace.name}: {len(data.activities)} activities.")
        return redirect(workspace)
    # What was mapped for the user is reviewed (and can be undone) on the mapping page.
    messages.success(
        request,
        f"Imported {workspace.name}: {len(data.activities)} activities, "
        f"{imported.mapped} mapped to their top suggestion.",
    )
    query = urlencode({"framework": workspace.primary_framework.slug, "batch": imported.batch})
    return redirect(f"{reverse('workspaces:mapping', args=[workspace.public_id])}?{query}")


def _confirm_refused(data, confirm: ImportConfirmForm, problems: list[str]) -> dict:
    """The preview again, with the user's choices and why the confirm was refused: the
    pending import is still there, so fixing the choice and confirming again works."""
    return {
        "form": UploadForm(),
        "errors": [],
        "confirm_errors": problems,
        "name_taken": confirm.data.get("replace_name", ""),
        **_import_preview(data, confirm),
    }


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


LENS_TEMPLATE = "responsibilities/lens.html"


@login_required
@require_GET
def lens(request, workspace_id):
    """The framework's layout with who owns each element and its assessment. ?assess=slug:code
    opens an element's assessment form (an editor's click on it): the whole page, or with htmx
    only the form."""
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    assessments = assessments_for(workspace, framework)
    assessing = _assessing(access, framework, request.GET.get("assess", ""), assessments)
    if request.htmx and request.htmx.target == "assessment":
        response = render(
            request, LENS_TEMPLATE + "#assessment",
            {"access": access, "workspace": workspace, "framework": framework, "assessing": assessing},
        )
    else:
        analysis = analysis_for(workspace, framework)
        response = render(
            request,
            LENS_TEMPLATE,
            {
                "access": access,
                "workspace": workspace,
                "framework": framework,
                "analysis": analysis,
                "columns": [
                    (_LensBox(column.category, assessments.get(column.category.element.ref)),
                     [_LensBox(item, assessments.get(item.element.ref)) for item in column.items])
                    for column in lens_columns(analysis)
                ],
                "frameworks": Framework.objects.order_by("position", "title"),
                "activity_names": {str(k): v for k, v in workspace.activities.values_list("public_id", "name")},
                "assessing": assessing,
            },
        )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])  # one address, page or part
    return response


@dataclass(frozen=True)
class _LensBox:
    state: object  # the element's ElementState
    assessed: object  # its Assessment, or None


@dataclass
class _Assessing:
    element: Element
    assessed: object  # its Assessment, or None
    form: AssessmentForm


def _assessing(access, framework, reference: str, assessments: dict) -> _Assessing | None:
    """The element an editor clicked, with its form filled with its assessment; None when none
    was, or the reference names no element of the framework in view."""
    if not access.can_edit or not reference.startswith(f"{framework.slug}:"):
        return None
    chosen = ElementReferenceForm({"element": reference})
    if not chosen.is_valid():
        return None
    current = assessments.get(reference)
    form = AssessmentForm(
        initial={
            "element": reference, "version": access.workspace.version,
            "importance": current.importance if current else None,
            "performance": current.performance if current else None,
        }
    )
    return _Assessing(element=chosen.cleaned_data["element"], assessed=current, form=form)


@login_required
@require_POST
def assessment_set(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _assessment_done(request, access, form, error=_form_errors(form))
    element = form.cleaned_data["element"]
    try:
        services.assessment_set(
            workspace=access.workspace, element=element, importance=form.cleaned_data["importance"],
            performance=form.cleaned_data["performance"], by=request.user, version=form.cleaned_data["version"],
        )
    except services.ServiceError as error:
        return _assessment_done(request, access, form, error=str(error))
    return _assessment_done(request, access, form, note=f"Assessed {element.name}.")


@login_required
@require_POST
def assessment_clear(request, workspace_id):
    access = workspace_for(request, workspace_id, write=True)
    form = ElementReferenceForm(request.POST)
    if not form.is_valid():
        return _assessment_done(request, access, form, error=_form_errors(form))
    element = form.cleaned_data["element"]
    try:
        services.assessment_clear(
            workspace=access.workspace, element=element, by=request.user, version=form.cleaned_data["version"]
        )
    except services.ServiceError as error:
        return _assessment_done(request, access, form, error=str(error))
    return _assessment_done(request, access, form, note=f"Cleared the assessment of {element.name}.")


def _assessment_done(request, access, form, *, note: str = "", error: str = ""):
    """After a save or clear: with htmx the form again, saying what happened, and the element's
    assessment on the lens (out of band); without, back to the element on the lens."""
    element = form.cleaned_data.get("element")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, note)
        if element is None:
            return redirect(reverse("workspaces:lens", args=[access.workspace.public_id]))
        query = urlencode({"framework": element.framework.slug} | ({"assess": element.reference} if error else {}))
        anchor = element.reference.replace(":", "")
        return redirect(f"{reverse('workspaces:lens', args=[access.workspace.public_id])}?{query}#{anchor}")
    if element is None:  # no element to show the form for: say why where the form was
        return render(request, LENS_TEMPLATE + "#assessment", {"access": access, "workspace": access.workspace, "error": error})
    framework = element.framework
    access.workspace.version = Workspace.objects.values_list("version", flat=True).get(pk=access.workspace.pk)
    assessments = assessments_for(access.workspace, framework)
    assessing = _assessing(access, framework, element.reference, assessments)
    if error and isinstance(form, AssessmentForm):
        # The user's choices stay beside the reason, loaded at the current version: saving
        # again applies them over what changed.
        data = form.data.copy()
        data["version"] = str(access.workspace.version)
        form.data = data
        assessing.form = form
    return render(
        request,
        LENS_TEMPLATE + "#assessment-update",
        {
            "access": access, "workspace": access.workspace, "framework": framework, "assessing": assessing,
            "note": note, "error": error, "ref": element.reference, "assessed": assessments.get(element.reference),
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


STAFFING_DOWNLOADS = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@login_required
@require_GET
def staffing(request, workspace_id):
    access = workspace_for(request, workspace_id)
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    found = staffing_report_for(workspace, framework)
    return render(
        request,
        "responsibilities/staffing.html",
        {
            "access": access,
            "workspace": workspace,
            "framework": framework,
            "frameworks": Framework.objects.order_by("position", "title"),
            "figures": staffing_formats.figures(found.staffing, found.archetype_names, found.unassigned),
            "downloads": {
                fmt: reverse("workspaces:staffing_download", args=[workspace.public_id, fmt]) + f"?framework={framework.slug}"
                for fmt in STAFFING_DOWNLOADS
            },
        },
    )


@login_required
@require_GET
def staffing_download(request, workspace_id, fmt):
    access = workspace_for(request, workspace_id)
    if fmt not in STAFFING_DOWNLOADS:
        raise Http404("No such format")
    workspace = access.workspace
    framework = _framework_in_view(request, workspace)
    found = staffing_report_for(workspace, framework)
    if fmt == "md":
        body = staffing_formats.to_markdown(
            found.staffing, workspace=workspace.name, framework_title=framework.title, archetype_names=found.archetype_names,
            hours_of=found.hours_of,
        )
    else:
        body = staffing_formats.to_csv(found.staffing, archetype_names=found.archetype_names, hours_of=found.hours_of)
    response = HttpResponse(body, content_type=STAFFING_DOWNLOADS[fmt])
    response["Content-Disposition"] = _attachment(f"{workspace.name} staffing.{fmt}")
    return response
