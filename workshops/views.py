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
from django_htmx.http import HttpResponseClientRefresh
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
from responsibilities.models import Role
from responsibilities.access import row_id, uuid_or_404, workspace_for
from responsibilities.formats.export import markdown_row, markdown_text, neutralise
from workshops import services
from workshops.commit_form import CommitForm
from workshops.models import NOTE_LIMIT, Note, Participant, Workshop, sorted_by_facilitator
from workshops.selectors import (
    board_for, participant_notes, results_for, workshop_counts, workshop_version, wrong_codes_worth_showing,
)

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
def _qr_code(url: str, *, scalable: bool = False) -> str:
    """The link as an inline SVG QR code. Cached: every changed board poll shows it, and
    drawing it takes about 5 ms; the link changes only with a new code. A scalable one has
    a viewBox and no size, so the presenter view's CSS can fill the projector with it."""
    # segno writes plain SVG markup (no script, no style attribute) for a link we built.
    return mark_safe(
        segno.make(url, error="m").svg_inline(scale=10 if scalable else 3, border=2, title="Join link", omitsize=scalable)
    )


@require_GET
def presenter(request, workspace_id, workshop_id):
    """The projector's page: how to join, in type readable across a room, and live counts.

    Polled like the board (204 while the version is unchanged, the poll token enough for
    that); any member may open it, since it shows what the room sees anyway.
    """
    if _unchanged_by_token(request, workshop_id):
        return HttpResponse(status=204)
    return _presenter_checked(request, workspace_id, workshop_id)


@login_required
def _presenter_checked(request, workspace_id, workshop_id):
    access = workspace_for(request, workspace_id)
    workshop = _workshop(access, workshop_id)
    if request.GET.get("v") == str(workshop.version):
        return HttpResponse(status=204)
    join = _join_code_context(request, workshop)
    context = {
        "workspace": access.workspace, "workshop": workshop, "counts": workshop_counts(workshop),
        "poll_token": poll_token(workshop), "join_base": join["join_base"], "join_url": join["join_url"],
        "join_qr": _qr_code(join["join_url"], scalable=True),
    }
    template = "workshop/present.html#live" if request.htmx else "workshop/present.html"
    return render(request, template, context)


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


def _unchanged_by_token(request, workshop_id) -> bool:
    """A poll with a valid token at the workshop's current version: "no change" needs nothing more."""
    if not _poll_token_is_for(request, workshop_id):
        return False
    version = workshop_version(workshop_id)
    return version is not None and request.GET.get("v") == str(version)


@require_GET
def board_poll(request, workspace_id, workshop_id):
    """204 while nothing changed since the client's version; else the board, fresh.

    A "no change" answer reveals nothing but that, so a valid poll token (handed out with
    the board to someone with edit rights) is enough for it: no session or user query.
    Anything else, and every answer with content, goes through the full access check.
    """
    if _unchanged_by_token(request, workshop_id):
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


def _note_in(request, workspace_id, workshop_id, note_id):
    """The note, for someone who may change the workshop."""
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    note = get_object_or_404(workshop.notes.select_related("workshop"), public_id=note_id)
    return access, workshop, note


@login_required
@require_GET
def note_tools(request, workspace_id, workshop_id, note_id):
    """The note's tools: a page, or the board card's menu for htmx."""
    access, workshop, note = _note_in(request, workspace_id, workshop_id, note_id)
    return _note_tools(request, access, workshop, note)


@login_required
@require_POST
def note_move(request, workspace_id, workshop_id, note_id):
    access, workshop, note = _note_in(request, workspace_id, workshop_id, note_id)
    category = _element_or_none(workshop, request.POST.get("lane"))
    position = request.POST.get("position")
    if position and row_id(position) is None:
        raise BadRequest("A position must be a number.")
    return _note_changed(
        request, access, workshop, note, lambda: services.note_move(note=note, category=category, position=row_id(position))
    )


@login_required
@require_POST
def note_map(request, workspace_id, workshop_id, note_id):
    access, workshop, note = _note_in(request, workspace_id, workshop_id, note_id)
    element = _element_or_none(workshop, request.POST.get("element"))
    return _note_changed(request, access, workshop, note, lambda: services.note_map(note=note, element=element))


@login_required
@require_POST
def note_edit(request, workspace_id, workshop_id, note_id):
    access, workshop, note = _note_in(request, workspace_id, workshop_id, note_id)
    return _note_changed(
        request, access, workshop, note,
        lambda: services.note_edit(note=note, text=request.POST.get("text", ""), original=request.POST.get("original")),
    )


@login_required
@require_POST
def note_owners(request, workspace_id, workshop_id, note_id):
    access, workshop, note = _note_in(request, workspace_id, workshop_id, note_id)

    def set_owners():
        for role in workshop.roles.all():
            services.note_set_owner(note=note, role=role, letters=request.POST.get(f"role-{role.pk}", ""))

    return _note_changed(request, access, workshop, note, set_owners)


def _note_changed(request, access, workshop, note, change):
    """Make one change to a note; answer htmx with the fresh board, a form with the board
    at the note. A refusal is said (with htmx, as the answer's text; else as a message),
    and a stale edit brings the user's wording back over the note as it is now."""
    try:
        change()
    except services.ServiceError as error:
        status = 409 if isinstance(error, services.StaleNote) else 400
        if request.htmx:
            return HttpResponse(str(error), status=status)
        if status == 409:
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
    """Two steps, no JavaScript needed: the ticked notes come to a page that asks which one
    to keep (the first already sorted, as offered); that page's form merges."""
    access = workspace_for(request, workspace_id, write=True)
    workshop = _workshop(access, workshop_id)
    ids = list(dict.fromkeys(uuid_or_404(value) for value in request.POST.getlist("notes")))[:50]
    notes = {
        note.public_id: note
        for note in workshop.notes.filter(public_id__in=ids, merged_into=None).select_related("category", "element", "role")
    }
    chosen = [notes[i] for i in ids if i in notes]
    if len(chosen) < 2:
        messages.error(request, "Select two or more notes to merge.")
        return redirect(workshop)
    keep = request.POST.get("keep")
    if keep is None:
        offered = next((note for note in chosen if note.category_id), chosen[0])
        return render(
            request, "workshop/merge.html",
            {"access": access, "workspace": access.workspace, "workshop": workshop, "notes": chosen, "offered": offered},
        )
    survivor = next((note for note in chosen if str(note.public_id) == keep), None)
    if survivor is None:
        raise BadRequest("Keep one of the notes being merged.")
    try:
        differing = services.note_merge(target=survivor, others=[note for note in chosen if note is not survivor])
    except services.ServiceError as error:  # another merge or edit crossed this one: nothing was merged
        messages.error(request, str(error))
        return redirect(workshop)
    where = survivor.category.name if survivor.category else "Unsorted"
    messages.success(request, f"Merged {len(chosen)} notes into “{survivor.text}” ({where}).")
    if differing:
        messages.warning(
            request,
            f"The merged notes gave other letters for {', '.join(differing)}; “{survivor.text}” keeps its own. "
            "Check them in its Edit menu.",
        )
    return redirect(workshop.get_absolute_url() + f"#note-{survivor.public_id}")


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
        try:
            chosen = services.commit_plan(workshop, choices=form.choices(), decisions=form.decisions())
        except services.ServiceError:
            # A chosen activity is no longer offered (deleted meanwhile, or forged): the plan as it is now.
            chosen = services.commit_plan(workshop, decisions=form.decisions())
            form = CommitForm(chosen)
        return _commit_preview(request, access, workshop, form, chosen, status=400, error=str(error))
    created = sum(1 for item in committed if not item.exists and item.follows is None)
    added = len(committed) - created
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
        {
            "access": access, "workspace": access.workspace, "workshop": workshop, "board": data, "results": views,
            "agreed": [(lane, card) for lane in data.lanes for card in lane.cards if card.owners],
            "still_open": [(lane, card) for lane in data.lanes for card in lane.cards if not card.owners],
        },
    )


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


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
                [neutralise(cell) for cell in [
                    card.note.text, lane.title, card.note.element.name if card.note.element else "",
                    ", ".join(card.authors), *(card.letters_for(role) for role in data.roles),
                    views.committed.get(card.note.pk, ""),
                ]]
            )
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", f"{workshop.title} results.csv")


def _results_markdown(workshop, data, views) -> HttpResponse:
    def table(columns, rows):
        return [
            "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns),
            *(markdown_row([str(cell) for cell in row]) for row in rows),
        ]

    lines = [f"# {markdown_text(workshop.title)}", "", f"Sorted onto {markdown_text(workshop.framework.title)}.", "", "## How each role is seen", ""]
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
                lines.append(f"- {markdown_text(card.note.text)} ({markdown_text(lane.title)}): {markdown_text(owners)}")
    lines += ["", "## Still open", ""]
    for lane in data.lanes:
        for card in lane.cards:
            if not card.owners:
                lines.append(f"- {markdown_text(card.note.text)} ({markdown_text(lane.title)})")
    return _download("\n".join(lines) + "\n", "text/markdown; charset=utf-8", f"{workshop.title} results.md")


# Participants (no account: a session remembers who they are in each workshop)


ROLE_NONE = "none"  # the join form's "none of these / I'd rather not say"


def _role_chosen(roles: list[Role], value: str) -> Role | None:
    """The workshop role a form chose (None for "none of these"); a value naming no role of
    this workshop is refused rather than read as "none"."""
    if value in ("", ROLE_NONE):
        return None
    role = next((role for role in roles if str(role.public_id) == value), None)
    if role is None:
        raise services.ServiceError("That role is not taking part in this workshop.")
    return role


def _join_refused(request, context: dict, error: services.ServiceError):
    status = 429 if isinstance(error, services.RateLimited) else 400
    return render(request, "workshop/join.html", context | {"error": str(error)}, status=status)


@require_http_methods(["GET", "POST"])
def join(request):
    """Two steps when the code is typed (the code, then name and role), one from the QR
    link (/join/?code=…). Looking a code up counts a wrong one as joining with it does."""
    code = (request.POST.get("code") or request.GET.get("code", ""))[:20]
    context = {"code": code, "name": request.POST.get("name", "")[:40], "role_choice": request.POST.get("role", "")}
    if not code.strip():
        if request.method == "POST":
            return _join_refused(request, context, services.ServiceError("Type the code on the facilitator's screen."))
        return render(request, "workshop/join.html", context)
    try:
        workshop = services.workshop_for_code(code=code, ip=client_address(request))
    except services.ServiceError as error:
        return _join_refused(request, context, error)
    roles = list(workshop.roles.order_by("position", "id"))
    context |= {"workshop": workshop, "roles": roles, "role_none": ROLE_NONE}
    if request.method == "GET":
        return render(request, "workshop/join.html", context)
    try:
        role = _role_chosen(roles, request.POST.get("role", ""))
        participant = services.join(code=code, name=request.POST.get("name", ""), ip=client_address(request), role=role)
    except services.ServiceError as error:
        return _join_refused(request, context, error)
    joined = request.session.get(SESSION_KEY, {})
    joined[str(participant.workshop.public_id)] = str(participant.public_id)
    request.session[SESSION_KEY] = joined
    return redirect("workshop:participant", workshop_id=participant.workshop.public_id)


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


def _own_note(participant: Participant, note_id) -> Note:
    """One of the participant's own notes; anyone else's is not found."""
    notes = participant.notes.select_related("role").annotate(is_sorted=sorted_by_facilitator())
    return get_object_or_404(notes, public_id=note_id)


def _participant_page(request, participant: Participant, *, error: str = "", draft: dict | None = None):
    """The participant page; after a refused write, with the message and the form as it was sent."""
    workshop = participant.workshop
    workshop.refresh_from_db(fields=["status", "version"])
    roles = list(workshop.roles.order_by("position", "id"))
    draft = draft or {}
    return render(
        request,
        "workshop/participant.html",
        {
            "participant": participant,
            "workshop": workshop,
            "roles": roles,
            "notes": participant_notes(participant),
            "error": error,
            "draft": draft,
            # Without a role, notes can only be about other roles.
            "draft_kind": (draft.get("kind") or Note.Kind.SELF) if participant.role else Note.Kind.OTHER,
            "note_limit": NOTE_LIMIT,
            "shares": Note.Share.choices,
            "role_none": ROLE_NONE,
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def participant_page(request, workshop_id):
    """The page, and the note form's POST."""
    participant = _participant(request, workshop_id)
    if request.method == "GET":
        kind = request.GET.get("kind", "")  # the kind of the note just added: the next is often alike
        return _participant_page(request, participant, draft={"kind": kind} if kind in Note.Kind.values else None)
    # What comes back on a refusal: as typed, up to twice what a note may hold.
    draft = {name: request.POST.get(name, "")[:NOTE_LIMIT * 2] for name in ("text", "kind", "share", "about")}
    roles = list(participant.workshop.roles.all())
    try:
        about = _role_chosen(roles, draft["about"]) if draft["kind"] == Note.Kind.OTHER else None
        services.note_add(
            participant=participant, text=request.POST.get("text", ""), kind=draft["kind"] or Note.Kind.SELF,
            role=about, share=draft["share"],
        )
    except services.ServiceError as error:
        return _participant_page(request, participant, error=str(error), draft=draft)
    return redirect(f"{request.path}?kind={draft['kind']}" if draft["kind"] in Note.Kind.values else request.path)


@require_POST
def participant_role(request, workshop_id):
    participant = _participant(request, workshop_id)
    try:
        role = _role_chosen(list(participant.workshop.roles.all()), request.POST.get("role", ""))
        services.participant_set_role(participant=participant, role=role)
    except services.ServiceError as error:
        return _participant_page(request, participant, error=str(error))
    return redirect("workshop:participant", workshop_id=workshop_id)


@require_http_methods(["GET", "POST"])
def participant_note_edit(request, workshop_id, note_id):
    """A page to reword one of your notes (a page of its own: the participant page's polling
    would wipe a half-typed edit)."""
    participant = _participant(request, workshop_id)
    note = _own_note(participant, note_id)
    workshop = participant.workshop
    context = {
        "participant": participant, "workshop": workshop, "note": note, "note_limit": NOTE_LIMIT,
        "text": note.text,
    }
    if request.method == "GET":
        return render(request, "workshop/participant_note.html", context)
    text = request.POST.get("text", "")
    try:
        services.participant_note_edit(participant=participant, note=note, text=text)
    except services.ServiceError as error:
        context |= {"text": text[:NOTE_LIMIT * 2], "error": str(error)}
        return render(request, "workshop/participant_note.html", context, status=400)
    messages.success(request, "Your note is changed.")
    return redirect("workshop:participant", workshop_id=workshop_id)


@require_POST
def participant_note_withdraw(request, workshop_id, note_id):
    participant = _participant(request, workshop_id)
    note = _own_note(participant, note_id)
    try:
        services.participant_note_withdraw(participant=participant, note=note)
    except services.ServiceError as error:
        return _participant_page(request, participant, error=str(error))
    messages.success(request, f"Your note “{note.text}” is withdrawn.")
    return redirect("workshop:participant", workshop_id=workshop_id)


@require_GET
def participant_poll(request, workshop_id):
    participant = _participant(request, workshop_id)
    version = Workshop.objects.filter(pk=participant.workshop_id).values_list("version", flat=True).first()
    if request.GET.get("v") == str(version):
        return HttpResponse(status=204)
    participant.workshop.refresh_from_db()
    if not participant.workshop.is_open and request.htmx:
        # The note form above the list must go too: the whole page is the end state.
        return HttpResponseClientRefresh()
    return render(
        request,
        "workshop/participant.html#status",
        {"participant": participant, "workshop": participant.workshop, "notes": participant_notes(participant)},
    )
