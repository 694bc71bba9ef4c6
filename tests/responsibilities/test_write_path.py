"""One write path (issue 12): every service that writes a workspace bumps its version once and
records what it changed; a form loaded before someone else's save is refused (409) with what
changed and by whom, keeping the user's input; history survives deletion, which can be undone;
a replace updates the workspace in place and can be undone."""

import inspect
from decimal import Decimal

import pytest
from django.urls import reverse

from frameworks.models import Archetype, Element, Framework
from responsibilities import services
from responsibilities.models import Activity, Assignment, Change, Membership, Person, Role, Workspace
from responsibilities.selectors import workspace_data
from workshops import services as workshop_services
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db


def version(workspace) -> int:
    return Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)


def _archetype(slug):
    return Archetype.objects.get(slug=slug)


def _pricing():
    return Element.objects.get(framework__slug="read", code="pricing")


def _deleted(workspace, user) -> int:
    services.activity_delete(activity=workspace.activities.last(), by=user)
    return Change.objects.filter(workspace=workspace, after="deleted").latest("id").pk


def _replaced(workspace, user) -> int:
    data = workspace_data(workspace)
    services.workspace_replace(workspace=workspace, data=data.__class__(**{**data.__dict__, "size": "enterprise"}), by=user)
    return Change.objects.filter(workspace=workspace, kind="import").latest("id").pk


# Each write service: set up on a small workspace (w) by a user (u), then return the call to measure.
SWEEP = {
    "workspace_update": lambda w, u: lambda: services.workspace_update(
        workspace=w, name="Renamed", size="enterprise", market="b2b", primary_framework=w.primary_framework, by=u
    ),
    "member_set": lambda w, u: lambda: services.member_set(workspace=w, user=u, level="editor", by=u),
    "member_remove": lambda w, u: lambda: services.member_remove(
        workspace=w, membership=w.memberships.get(level="viewer"), by=u
    ),
    "invitation_create": lambda w, u: lambda: services.invitation_create(workspace=w, level="viewer", by=u),
    "invitation_accept": lambda w, u: (
        lambda token: lambda: services.invitation_accept(token=token, user=u)
    )(services.invitation_create(workspace=w, level="viewer", by=u).token),
    "role_add": lambda w, u: lambda: services.role_add(workspace=w, name="Sales", archetype=_archetype("sales"), by=u),
    "role_update": lambda w, u: lambda: services.role_update(
        role=w.roles.first(), name="PM team", archetype=_archetype("pm"), by=u
    ),
    "role_delete": lambda w, u: lambda: services.role_delete(role=w.roles.last(), by=u),
    "person_save": lambda w, u: lambda: services.person_save(workspace=w, name="Dana", roles=list(w.roles.all()[:1]), by=u),
    "person_delete": lambda w, u: (
        lambda person: lambda: services.person_delete(person=person, by=u)
    )(services.person_save(workspace=w, name="Temp", roles=[], by=u)),
    "activity_add": lambda w, u: lambda: services.activity_add(workspace=w, name="New work", by=u),
    "activity_update": lambda w, u: lambda: services.activity_update(
        activity=w.activities.first(), name="Renamed work", description="Why", by=u
    ),
    "activity_delete": lambda w, u: lambda: services.activity_delete(activity=w.activities.first(), by=u),
    "restore_deleted": lambda w, u: (
        lambda change_id: lambda: services.restore_deleted(workspace=w, change_id=change_id, by=u)
    )(_deleted(w, u)),
    "move": lambda w, u: lambda: services.move(item=w.activities.first(), offset=1, by=u),
    "activity_map": lambda w, u: lambda: services.activity_map(activity=w.activities.first(), elements=[_pricing()], by=u),
    "assignment_set": lambda w, u: lambda: services.assignment_set(
        activity=w.activities.first(), role=w.roles.last(), letters="C", expected=None, by=u
    ),
    "cell_set": lambda w, u: lambda: services.cell_set(
        workspace=w, activity_id=w.activities.first().public_id, role=w.roles.last(), letters="I", expected=None, by=u
    ),
    "workspace_import": lambda w, u: (
        lambda data: lambda: services.workspace_import(
            data=data.__class__(**{**data.__dict__, "activities": data.activities[:1]}), name=w.name, owner=u, replace=True
        )
    )(workspace_data(w)),
    "workspace_replace": lambda w, u: (
        lambda data: lambda: services.workspace_replace(
            workspace=w, data=data.__class__(**{**data.__dict__, "activities": data.activities[:1]}), by=u
        )
    )(workspace_data(w)),
    "import_undo": lambda w, u: (
        lambda change_id: lambda: services.import_undo(workspace=w, change_id=change_id, by=u)
    )(_replaced(w, u)),
    "mappings_accept": lambda w, u: lambda: services.mappings_accept(
        workspace=w, choices=[(w.activities.first(), _pricing())], by=u
    ),
    "mapping_batch_undo": lambda w, u: (
        lambda batch: lambda: services.mapping_batch_undo(workspace=w, batch=batch, by=u)
    )(services.mappings_accept(workspace=w, choices=[(w.activities.first(), _pricing())], by=u)),
    "snapshot_take": lambda w, u: lambda: services.snapshot_take(workspace=w, by=u, label="Q3 review"),
    "snapshot_delete": lambda w, u: (
        lambda snapshot: lambda: services.snapshot_delete(snapshot=snapshot, by=u)
    )(services.snapshot_take(workspace=w, by=u)),
    "activity_hours_set": lambda w, u: lambda: services.activity_hours_set(activity=w.activities.first(), hours=Decimal("12.5"), by=u),
    "assessment_set": lambda w, u: lambda: services.assessment_set(
        workspace=w, element=_pricing(), importance=4, performance=2, by=u
    ),
    "assessment_clear": lambda w, u: (
        lambda element: lambda: services.assessment_clear(workspace=w, element=element, by=u)
    )(services.assessment_set(workspace=w, element=_pricing(), importance=4, performance=2, by=u).element),
}
# Services that make a workspace (its first version is its creation) or remove it entirely.
CREATES_OR_REMOVES = {"workspace_create", "workspace_create_from_starter", "workspace_delete", "snapshot_restore"}
NOT_WRITES = {
    "workspace_change", "fill_workspace", "deletion_summary", "unique_workspace_name", "restorable",
    "activity_target", "role_target", "person_target", "starter_for", "read_workspace_file", "import_mapping_choices",
    "snapshot_keep",  # writes only inside another service's change (a replace, a workshop commit)
}


def test_the_sweep_names_every_service():
    public = {
        name for name, value in vars(services).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == services.__name__
    }
    assert public - NOT_WRITES - CREATES_OR_REMOVES == set(SWEEP), "a service without a sweep case (or a stale case)"


@pytest.mark.parametrize("name", sorted(SWEEP))
def test_every_write_bumps_the_version_once_and_records_what_it_changed(personas, name):
    workspace = build_workspace(members={personas["owner"]: "owner", personas["viewer"]: "viewer"})
    act = SWEEP[name](workspace, personas["editor"])
    before_version = version(workspace)
    before_changes = set(Change.objects.filter(workspace=workspace).values_list("pk", flat=True))
    workspace.refresh_from_db()
    act()
    new = Change.objects.filter(workspace=workspace).exclude(pk__in=before_changes)
    assert version(workspace) == before_version + 1, "a write must bump the version exactly once"
    assert new.exists(), "a write that recorded nothing in history"
    assert set(new.values_list("version", flat=True)) == {before_version + 1}


def test_a_write_that_changes_something_is_recorded_with_who_and_the_version(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    activity = workspace.activities.first()
    services.activity_update(activity=activity, name="Launch plan", description="All of it", by=personas["editor"])
    rows = list(Change.objects.filter(workspace=workspace, kind="activity").order_by("id"))
    assert [(r.subject, r.before, r.after) for r in rows[-2:]] == [
        ("name", "Activity 1", "Launch plan"), ("description", "", "All of it")
    ]
    assert {r.version for r in rows[-2:]} == {version(workspace)} and rows[-1].by == personas["editor"]


def test_a_workshop_commit_that_only_adds_mappings_bumps_the_version_once(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="W", framework=workspace.primary_framework, roles=list(workspace.roles.all()),
        by=personas["owner"],
    )
    participant = workshop_services.join(code=workshop.code, name="Dana", ip="10.0.0.9")
    workshop_services.participant_set_role(participant=participant, role=workspace.roles.first())
    participant.refresh_from_db()
    note = workshop_services.note_add(participant=participant, text="Activity 1", kind="self", role=None)
    workshop_services.note_map(note=note, element=Element.objects.get(framework__slug="read", code="pricing"))
    before = version(workspace)
    workshop_services.workshop_commit(workshop=workshop, by=personas["owner"])
    assert version(workspace) == before + 1
    assert Change.objects.filter(workspace=workspace, kind="mapping", version=before + 1).exists()
    assert Change.objects.filter(workspace=workspace, kind="workshop", version=before + 1).exists()


# Stale edits: two people, one form each


@pytest.fixture
def team(personas, as_persona, client):
    from django.test import Client

    workspace = build_workspace(
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"}
    )
    first, second = Client(), Client()
    first.force_login(personas["owner"])
    second.force_login(personas["editor"])
    return workspace, first, second


def test_a_stale_activity_form_is_refused_with_who_changed_what_and_keeps_the_input(team):
    workspace, first, second = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])
    loaded = version(workspace)
    first.get(url)
    assert second.post(url, {"name": activity.name, "description": "The editor's description", "version": loaded}).status_code == 302
    refused = first.post(url, {"name": "Owner's rename", "description": "", "version": loaded})
    assert refused.status_code == 409
    assert "editor changed description" in refused.text and "Owner&#x27;s rename" in refused.text
    activity.refresh_from_db()
    assert (activity.name, activity.description) == ("Activity 1", "The editor's description")
    # Saving again, from the answer (which carries the version now), applies it.
    import re

    now = int(re.search(r'name="version" value="(\d+)"', refused.text).group(1))
    assert first.post(url, {"name": "Owner's rename", "description": "The editor's description", "version": now}).status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Owner's rename"


def test_an_unrelated_change_does_not_make_a_form_stale(team):
    workspace, first, second = team
    activity, other = workspace.activities.all()[:2]
    loaded = version(workspace)
    second.post(reverse("workspaces:activity", args=[workspace.public_id, other.public_id]), {"name": "Other", "version": loaded})
    response = first.post(
        reverse("workspaces:activity", args=[workspace.public_id, activity.public_id]), {"name": "Mine", "version": loaded}
    )
    assert response.status_code == 302


def test_a_stale_role_edit_is_refused(team):
    workspace, first, second = team
    role = workspace.roles.first()
    url = reverse("workspaces:role", args=[workspace.public_id, role.public_id])
    loaded = version(workspace)
    assert second.post(url, {"name": "Product", "archetype": "pm", "version": loaded}).status_code == 302
    refused = first.post(url, {"name": role.name, "archetype": "pmm", "version": loaded})
    assert refused.status_code == 409 and "editor changed" in refused.text
    role.refresh_from_db()
    assert (role.name, role.archetype.slug) == ("Product", "pm")


def test_a_stale_person_edit_is_refused(team, personas):
    workspace, first, second = team
    person = services.person_save(workspace=workspace, name="Dana", roles=[], by=personas["owner"])
    url = reverse("workspaces:person", args=[workspace.public_id, person.public_id])
    loaded = version(workspace)
    assert second.post(url, {"name": "Dana K.", "version": loaded}).status_code == 302
    assert first.post(url, {"name": "Dana R.", "version": loaded}).status_code == 409
    person.refresh_from_db()
    assert person.name == "Dana K."


def test_stale_settings_are_refused(team, personas):
    workspace, first, second = team
    second.force_login(personas["owner"])
    url = reverse("workspaces:settings", args=[workspace.public_id])
    loaded = version(workspace)
    form = {
        "name": workspace.name, "size": "enterprise", "market": "b2b", "primary_framework": "read", "fte_hours": "140",
        "version": loaded,
    }
    assert second.post(url, form).status_code == 302
    refused = first.post(url, {**form, "size": "startup", "name": "Mine"})
    assert refused.status_code == 409 and "size" in refused.text
    workspace.refresh_from_db()
    assert (workspace.name, workspace.size) == ("Acme product org", "enterprise")


def test_a_stale_mapping_save_is_refused_and_shows_the_choice_again(team):
    workspace, first, second = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity_mapping", args=[workspace.public_id, activity.public_id])
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    launch = Element.objects.get(framework__slug="read", code="launch")
    loaded = version(workspace)
    assert second.post(url, {"element": [launch.pk, pricing.pk], "version": loaded}).status_code == 302
    refused = first.post(url, {"element": [], "version": loaded})
    assert refused.status_code == 409
    assert set(activity.elements.values_list("code", flat=True)) == {"launch", "pricing"}


# History that survives; deletion undone; replace in place


def test_deleting_an_activity_keeps_its_history_and_restore_brings_everything_back(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    activity = workspace.activities.first()
    role = workspace.roles.last()
    services.assignment_set(activity=activity, role=role, letters="C", expected=None, by=personas["owner"])
    letters = sorted(Assignment.objects.filter(activity=activity).values_list("role__name", "letters"))
    mapped = sorted(activity.elements.values_list("code", flat=True))
    public_id = activity.public_id
    services.activity_delete(activity=activity, by=personas["owner"])
    assert Change.objects.filter(workspace=workspace, activity_public_id=public_id, kind="assignment").exists()
    deletion = Change.objects.get(workspace=workspace, after="deleted")
    assert deletion.activity_name == "Activity 1"
    restored = services.restore_deleted(workspace=workspace, change_id=deletion.pk, by=personas["owner"])
    assert restored.public_id == public_id
    assert sorted(Assignment.objects.filter(activity=restored).values_list("role__name", "letters")) == letters
    assert sorted(restored.elements.values_list("code", flat=True)) == mapped
    assert restored.changes.filter(kind="assignment").exists()
    with pytest.raises(services.ServiceError):
        services.restore_deleted(workspace=workspace, change_id=deletion.pk, by=personas["owner"])


def test_a_role_deletion_can_be_undone_with_its_column(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    role = workspace.roles.first()
    column = sorted(Assignment.objects.filter(role=role).values_list("activity__name", "letters"))
    services.role_delete(role=role, by=personas["owner"])
    deletion = Change.objects.get(workspace=workspace, kind="role", after="deleted")
    restored = services.restore_deleted(workspace=workspace, change_id=deletion.pk, by=personas["owner"])
    assert sorted(Assignment.objects.filter(role=restored).values_list("activity__name", "letters")) == column


def test_delete_confirmation_says_what_goes_with_it(as_persona, workspace):
    activity = workspace.activities.first()
    page = as_persona("editor").get(reverse("workspaces:activity", args=[workspace.public_id, activity.public_id]))
    assert "1 letter, 1 mapping" in page.text


def test_the_history_page_lists_changes_with_filters_and_restores(as_persona, workspace, personas):
    activity = workspace.activities.first()
    services.activity_delete(activity=activity, by=personas["editor"])
    client = as_persona("editor")
    page = client.get(reverse("workspaces:history", args=[workspace.public_id]), {"kind": "activity"})
    assert page.status_code == 200 and "Activity 1" in page.text and "Restore" in page.text
    deletion = Change.objects.get(workspace=workspace, after="deleted")
    response = client.post(reverse("workspaces:history_restore", args=[workspace.public_id]), {"change": deletion.pk})
    assert response.status_code == 302
    assert workspace.activities.filter(public_id=activity.public_id).exists()
    for bad in ["", "x", "-1", "99999999999999999999", "1\x00"]:
        assert client.post(reverse("workspaces:history_restore", args=[workspace.public_id]), {"change": bad}).status_code in (302, 400)


def test_replace_updates_in_place_and_can_be_undone(personas):
    workspace = build_workspace(members={personas["owner"]: "owner", personas["viewer"]: "viewer"})
    services.invitation_create(workspace=workspace, level="editor", by=personas["owner"])
    keep = workspace.activities.first()
    services.assignment_set(activity=keep, role=workspace.roles.last(), letters="I", expected=None, by=personas["owner"])
    before = workspace_data(workspace)
    changed = before.__class__(**{**before.__dict__, "activities": before.activities[:2]})
    imported = services.workspace_import(data=changed, name=workspace.name, owner=personas["owner"], replace=True)
    assert imported.workspace.pk == workspace.pk and imported.replaced
    assert workspace.activities.count() == 2 and workspace.activities.filter(pk=keep.pk).exists()
    assert keep.changes.filter(kind="assignment").exists()  # its history kept
    assert workspace.memberships.count() == 2 and workspace.invitations.count() == 1
    replace = Change.objects.get(workspace=workspace, kind="import", subject="replace")
    assert "1 activities removed" in replace.after
    services.import_undo(workspace=workspace, change_id=replace.pk, by=personas["owner"])
    assert workspace_data(workspace).activities == before.activities


def test_the_web_import_replaces_in_place_for_an_owner_only(as_persona, workspace):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from responsibilities.formats import export

    data = workspace_data(workspace)
    document = export.to_json(data.__class__(**{**data.__dict__, "activities": data.activities[:1]}))

    def preview_and_confirm(persona):
        client = as_persona(persona)
        preview = client.post(reverse("workspaces:import"), {"step": "upload", "file": SimpleUploadedFile("acme.json", document.encode())})
        token = preview.context["confirm"].initial["token"]
        form = {"step": "confirm", "token": token, "name": "Acme product org (2)", "replace": "on", "replace_name": workspace.name}
        return client.post(reverse("workspaces:import"), form)

    refused = preview_and_confirm("editor")
    assert refused.status_code == 200 and "Only an owner" in refused.text
    assert workspace.activities.count() == 3
    response = preview_and_confirm("owner")
    assert response.status_code == 302 and response["Location"].endswith(f"/w/{workspace.public_id}/")
    assert workspace.activities.count() == 1 and Workspace.objects.count() == 1


def test_a_stale_member_change_is_refused(team, personas):
    workspace, first, second = team
    second.force_login(personas["owner"])
    viewer = workspace.memberships.get(level="viewer")
    url = reverse("workspaces:members", args=[workspace.public_id])
    loaded = version(workspace)
    second.post(url, {"action": "level", "membership": viewer.pk, "level": "editor", "version": loaded})
    refused = first.post(url, {"action": "level", "membership": viewer.pk, "level": "owner", "version": loaded})
    assert refused.status_code == 409 and "owner changed member viewer" in refused.text
    viewer.refresh_from_db()
    assert viewer.level == "editor"


def test_a_role_deletion_asks_with_its_count_of_letters(as_persona, workspace):
    page = as_persona("editor").get(reverse("workspaces:team", args=[workspace.public_id]))
    role = workspace.roles.first()
    count = role.assignments.count()
    assert f"Delete the role {role.name} with its {count} letter" in page.text
