import csv
import io
from functools import lru_cache

import segno

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import BadRequest
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.defaultfilters import pluralize
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frameworks import letters as raci
from pmmhub.addresses import client_address
from frameworks.models import Element, Framework
from responsibilities.access import row_id, uuid_or_404, workspace_for
from workshops import services
from workshops.commit_form import CommitForm
from workshops.models import NOTE_LIMIT, Note, Participant, Workshop
from workshops.selectors import board_for, participant_notes, results_for, workshop_version, wrong_codes_worth_showing

SESSION_KEY = "workshop_participants"  # workshop public id -> participant public id


def _workshop(access, workshop_id) -> Workshop:
    return get_object_or_404(
        access.workspace.workshops.select_related("framework", "workspace"), public_id=workshop_id
    )


# Facilitator


@login_required
@require_http_methods(["GET", "POST"])
def workshop_list(request, workspace_id):
    access = workspace_for(request, workspace_id, write=request.method == "POST")
    workspace = access.workspace
    roles = list(workspace.roles.order_by("position", "id"))
    if request.method == "POST":
        framework = Framework.objects.filter(slug=request.POST.get("framework", "")).first()
        chosen = [role for role in roles if str(role.public_id) in request.POST.getlist("roles")]
        try:
            if framework is None:
                raise services.ServiceError("Choose a framework to sort onto.")
            workshop = services.workshop_start(
                workspace=workspace, title=request.POST.get("title", ""), framework=framework, roles=chosen,
                by=request.user,
            )
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            return redirect(workshop)
    return render(
        request,
        "workshop/list.html",
        {
            "access": access,
            "workspace": workspace,
            "workshops": workspace.workshops.select_related("framework").order_by("-created_at"),
            "roles": roles,
            "frameworks": Framework.objects.order_by("position", "title"),
        },
    )


# SortableJS copies a dragged note, style attribute and all; the board alone allows style
# attributes (never inline script, never <style> elements).
BOARD_CSP = {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_INLINE]}


@login_required
@require_GET
@csp_override(BOARD_CSP)
def board(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    context = {
        "access": access,
        "workspace": access.workspace,
        "workshop": workshop,
        "board": board_for(workshop),
        "poll_token": poll_token(workshop),
        "letter_values": raci.CANONICAL,
        **_join_code_context(request, workshop),
    }
    return render(request, "workshop/board.html", context)


def _join_code_context(request, workshop: Workshop) -> dict:
    """The join code panel: the code, its link and QR code, and wrong codes worth a mention."""
    join_base = request.build_absolute_uri(reverse("workshop:join"))
    join_url = f"{join_base}?code={workshop.code}"
    return {
        "join_base": join_base,
        "join_url": join_url,
        "join_qr": _qr_code(join_url),
        "wrong_codes": wrong_codes_worth_showing(workshop),
    }


@lru_cache(maxsize=256)
def _qr_code(url: str) -> str:
    """The link as an inline SVG QR code. Cached: every changed board poll shows it, and
    drawing it takes about 5 ms; the link changes only with a new code."""
    # segno writes plain SVG markup (no script, no style attribute) for a link we built.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, title="Join link"))


POLL_SALT = "workshop-poll"
POLL_TOKEN_AGE = 12 * 60 * 60  # seconds: a long workshop day


def poll_token(workshop: Workshop) -> str:
    """Lets the board's poll say "no change" without loading the session (one query)."""
    return signing.dumps(str(workshop.public_id), salt=POLL_SALT)


def _poll_token_is_for(request, workshop_id) -> bool:
    try:
        return signing.loads(request.GET.get("t", ""), salt=POLL_SALT, max_age=POLL_TOKEN_AGE) == str(workshop_id)
    except signing.BadSignature:
        return False


@require_GET
def board_poll(request, workspace_id, workshop_id):
    """204 while nothing changed since the client's version; else the board, fresh.

    A "no change" answer reveals nothing but that, so a valid poll token (handed out with
    the board to someone with edit rights) is enough for it: no session or user query.
    Anything else, and every answer with content, goes through the full access check.
    """
    if _poll_token_is_for(request, workshop_id):
        version = workshop_version(workshop_id)
        if version is not None and request.GET.get("v") == str(version):
            return HttpResponse(status=204)
    return _board_poll_checked(request, workspace_id, workshop_id)


@login_required
def _board_poll_checked(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    version = (
        Workshop.objects.filter(workspace=access.workspace, public_id=workshop_id).values_list("version", flat=True).first()
    )
    if version is None:
        raise Http404("No such workshop")
    if request.GET.get("v") == str(version):
        return HttpResponse(status=204)
    return _board_partial(request, access, _workshop(access, workshop_id))


def _element_or_none(workshop, value) -> Element | None:
    """The framework element a form names by id; none when the field is empty (unsorted)."""
    if not value:
        return None
    if row_id(value) is None:
        raise BadRequest("An element must be given by its number.")
    return get_object_or_404(Element, pk=row_id(value), framework=workshop.framework)


def _board_partial(request, access, workshop):
    """The board, and the join code panel swapped out of band (a new code, a closed workshop)."""
    return render(
        request, "workshop/board.html#board_update",
        {
            "access": access, "workspace": access.workspace, "workshop": workshop, "board": board_for(workshop),
            "letter_values": raci.CANONICAL, "poll_token": poll_token(workshop), "out_of_band": True,
            **_join_code_context(request, workshop),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_action(request, workspace_id, workshop_id, note_id):
    """GET: the note's tools (a page, or the board card's menu for htmx); POST: one change."""
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    note = get_object_or_404(workshop.notes.select_related("workshop"), public_id=note_id)
    if request.method == "GET":
        return _note_tools(request, access, workshop, note)
    action = request.POST.get("action")
    try:
        if action == "move":
            category = _element_or_none(workshop, request.POST.get("lane"))
            position = request.POST.get("position")
            if position and row_id(position) is None:
                raise BadRequest("A position must be a number.")
            services.note_move(note=note, category=category, position=row_id(position))
        elif action == "map":
            services.note_map(note=note, element=_element_or_none(workshop, request.POST.get("element")))
        elif action == "edit":
            services.note_edit(note=note, text=request.POST.get("text", ""), original=request.POST.get("original"))
        elif action == "owners":
            for role in workshop.roles.all():
                services.note_set_owner(note=note, role=role, letters=request.POST.get(f"role-{role.pk}", ""))
        else:
            return HttpResponse("Unknown action.", status=400)
    except services.ServiceError as error:
        status = 409 if isinstance(error, services.StaleNote) else 400
        if request.htmx:
            return HttpResponse(str(error), status=status)
        if status == 409:
            # The user's wording comes back on the note's tools, over the note as it is now.
            note.refresh_from_db()
            return _note_tools(request, access, workshop, note, stale=str(error), draft=request.POST.get("text", "")[:200])
        messages.error(request, str(error))
    if request.htmx:
        workshop.refresh_from_db()
        return _board_partial(request, access, workshop)
    return redirect(workshop.get_absolute_url() + f"#note-{note.public_id}")


def _note_tools(request, access, workshop, note, *, stale: str = "", draft: str = ""):
    board = board_for(workshop)
    lane, card = next(
        ((lane, card) for lane in board.lanes for card in lane.cards if card.note.pk == note.pk), (None, None)
    )
    if card is None:  # merged into another note: its tools are the other note's
        return redirect(workshop.get_absolute_url())
    template = "workshop/note.html#tools" if request.htmx else "workshop/note.html"
    return render(
        request, template,
        {
            "access": access, "workspace": access.workspace, "workshop": workshop, "board": board,
            "lane": lane, "card": card, "letter_values": raci.CANONICAL, "stale": stale, "draft": draft,
        },
        status=409 if stale else 200,
    )


@login_required
@require_POST
def notes_merge(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    ids = [uuid_or_404(value) for value in request.POST.getlist("notes")][:50]
    notes = {note.public_id: note for note in workshop.notes.filter(public_id__in=ids, merged_into=None)}
    chosen = [notes[i] for i in ids if i in notes]
    if len(chosen) < 2:
        messages.error(request, "Select two or more notes to merge.")
    else:
        services.note_merge(target=chosen[0], others=chosen[1:])
        messages.success(request, f"Merged {len(chosen)} notes into “{chosen[0].text}”.")
    return redirect(workshop)


@login_required
@require_POST
def workshop_close(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    services.workshop_close(workshop=workshop)
    messages.success(request, "The workshop is closed: its code no longer works and it takes no new notes.")
    return redirect(workshop)


@login_required
@require_POST
def workshop_new_code(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    try:
        workshop = services.workshop_new_code(workshop=workshop)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The code is now {workshop.code}. The old one no longer works; everyone who joined keeps their place."
        )
    return redirect(workshop)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_commit(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    plan = services.commit_plan(workshop)
    if request.method == "GET":
        return _commit_preview(request, access, workshop, CommitForm(plan), plan)
    if not plan:
        messages.error(request, "Nothing to commit yet: sort notes into categories first.")
        return redirect(request.path)
    form = CommitForm(plan, request.POST)
    if not form.is_valid():
        return _commit_preview(request, access, workshop, form, plan, status=400)
    try:
        committed = services.workshop_commit(
            workshop=workshop, by=request.user, choices=form.choices(), decisions=form.decisions()
        )
    except services.ServiceError as error:
        chosen = services.commit_plan(workshop, choices=form.choices(), decisions=form.decisions())
        return _commit_preview(request, access, workshop, form, chosen, status=400, error=str(error))
    added = sum(1 for item in committed if item.exists)
    created = len(committed) - added
    messages.success(
        request,
        f"Committed {len(committed)} note{pluralize(len(committed))} to the matrix: "
        f"{created} new activit{pluralize(created, 'y,ies')}, {added} added to existing ones.",
    )
    return redirect("workspaces:matrix", workspace_id=workspace_id)


def _commit_preview(request, access, workshop, form, plan, *, status=200, error=""):
    context = {
        "access": access, "workspace": access.workspace, "workshop": workshop, "form": form,
        "rows": form.rows(plan), "error": error,
    }
    return render(request, "workshop/commit.html", context, status=status)


@login_required
@require_GET
def results(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id)
    workshop = _workshop(access, workshop_id)
    data, views = board_for(workshop), results_for(workshop)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _results_csv(workshop, data, views)
    if fmt == "md":
        return _results_markdown(workshop, data, views)
    return render(
        request, "workshop/results.html",
        {"access": access, "workspace": access.workspace, "workshop": workshop, "board": data, "results": views},
    )


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


# The results' tables, headed alike on the page and in the Markdown download.
TALLY_COLUMNS = ["Role", "Activities seen alike", "Only the role says it does", "Only others say it does"]
ACTIVITY_COLUMNS = ["Role", "Activity", "Category", "Says it does", "Others say it does", "Verdict"]


def _results_csv(workshop, data, views) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["note", "lane", "element", "authors", *(role.name for role in data.roles), "activity"])
    for lane in data.lanes:
        for card in lane.cards:
            writer.writerow(
                [_safe_cell(cell) for cell in [
                    card.note.text, lane.title, card.note.element.name if card.note.element else "",
                    ", ".join(card.authors), *(card.letters_for(role) for role in data.roles),
                    views.committed.get(card.note.pk, ""),
                ]]
            )
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", f"{workshop.title} results.csv")


def _results_markdown(workshop, data, views) -> HttpResponse:
    def md(text):
        return text.replace("|", "\\|").replace("\n", " ")

    def table(columns, rows):
        return [
            "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns),
            *("| " + " | ".join(md(str(cell)) for cell in row) + " |" for row in rows),
        ]

    lines = [f"# {md(workshop.title)}", "", f"Sorted onto {md(workshop.framework.title)}.", "", "## How each role is seen", ""]
    lines += table(TALLY_COLUMNS, [(t.role, t.agreed, t.only_the_role, t.only_others) for t in views.tallies])
    lines += ["", "## By activity", ""]
    lines += table(
        ACTIVITY_COLUMNS,
        [(row.role, row.activity, row.category, row.self_notes, row.other_notes, row.verdict) for row in views.activities],
    )
    lines += ["", "## Agreed", ""]
    for lane in data.lanes:
        for card in lane.cards:
            if card.owners:
                owners = ", ".join(f"{role.name} {card.letters_for(role)}" for role in data.roles if card.letters_for(role))
                lines.append(f"- {md(card.note.text)} ({md(lane.title)}): {md(owners)}")
    lines += ["", "## Still open", ""]
    for lane in data.lanes:
        for card in lane.cards:
            if not card.owners:
                lines.append(f"- {md(card.note.text)} ({md(lane.title)})")
    return _download("\n".join(lines) + "\n", "text/markdown; charset=utf-8", f"{workshop.title} results.md")


# Participants (no account: a session remembers who they are in each workshop)


@require_http_methods(["GET", "POST"])
def join(request):
    code = request.POST.get("code") or request.GET.get("code", "")
    if request.method == "POST":
        try:
            participant = services.join(code=code, name=request.POST.get("name", ""), ip=client_address(request))
        except services.ServiceError as error:
            status = 429 if isinstance(error, services.RateLimited) else 400
            return render(request, "workshop/join.html", {"code": code[:20], "error": str(error)}, status=status)
        joined = request.session.get(SESSION_KEY, {})
        joined[str(participant.workshop.public_id)] = str(participant.public_id)
        request.session[SESSION_KEY] = joined
        return redirect("workshop:participant", workshop_id=participant.workshop.public_id)
    return render(request, "workshop/join.html", {"code": code[:20]})


def _participant(request, workshop_id) -> Participant:
    participant_id = request.session.get(SESSION_KEY, {}).get(str(workshop_id))
    participant = (
        Participant.objects.select_related("workshop__framework", "role")
        .filter(public_id=participant_id, workshop__public_id=workshop_id)
        .first()
        if participant_id
        else None
    )
    if participant is None:
        raise Http404("Join the workshop with its code first")
    return participant


@require_http_methods(["GET", "POST"])
def participant_page(request, workshop_id):
    participant = _participant(request, workshop_id)
    workshop = participant.workshop
    roles = list(workshop.roles.order_by("position", "id"))
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "role":
                role = next((r for r in roles if str(r.public_id) == request.POST.get("role")), None)
                services.participant_set_role(participant=participant, role=role)
            else:
                about = next((r for r in roles if str(r.public_id) == request.POST.get("about")), None)
                services.note_add(
                    participant=participant, text=request.POST.get("text", ""), kind=request.POST.get("kind", "self"),
                    role=about, share=request.POST.get("share", ""),
                )
        except services.ServiceError as error_:
            error = str(error_)
        else:
            return redirect(request.path)
    return render(
        request,
        "workshop/participant.html",
        {
            "participant": participant,
            "workshop": workshop,
            "roles": roles,
            "notes": participant_notes(participant),
            "error": error,
            "note_limit": NOTE_LIMIT,
            "kinds": Note.Kind.choices,
            "shares": Note.Share.choices,
        },
        status=400 if error else 200,
    )


@require_GET
def participant_poll(request, workshop_id):
    participant = _participant(request, workshop_id)
    version = Workshop.objects.filter(pk=participant.workshop_id).values_list("version", flat=True).first()
    if request.GET.get("v") == str(version):
        return HttpResponse(status=204)
    participant.workshop.refresh_from_db()
    return render(
        request,
        "workshop/participant.html#status",
        {"participant": participant, "workshop": participant.workshop, "notes": participant_notes(participant)},
    )
