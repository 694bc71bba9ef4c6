"""Every workspace URL, every persona: members see, editors write, owners manage, others get 404."""

import pytest
from django.urls import get_script_prefix, resolve, reverse, set_script_prefix

from frameworks.models import Element
from responsibilities.access import workspace_urls
from responsibilities import services
from responsibilities.models import Assessment, Assignment, Change, Membership, Person, Workspace

pytestmark = pytest.mark.django_db


def urls(workspace):
    activity = workspace.activities.first()
    role = workspace.roles.first()
    person = workspace.people.first() or Person.objects.create(workspace=workspace, name="Dana")
    viewer = workspace.memberships.get(user__username="viewer")
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    launch = Element.objects.get(framework__slug="read", code="launch")
    batch = accepted_batch(workspace)
    kept = kept_snapshot(workspace).public_id
    w = workspace.public_id
    return {
        "activities": ("get", reverse("workspaces:activities", args=[w]), {"letters": "A/R"}),
        "dashboard": ("get", reverse("workspaces:dashboard", args=[w]), {}),
        "lens": ("get", reverse("workspaces:lens", args=[w]), {"framework": "pragmatic"}),
        "roles_document": ("get", reverse("workspaces:roles_document", args=[w]), {}),
        "roles_document_md": ("get", reverse("workspaces:roles_document", args=[w]), {"format": "md"}),
        "activities_csv": ("get", reverse("workspaces:activities", args=[w]), {"export": "csv"}),
        "mapping": ("get", reverse("workspaces:activity_mapping", args=[w, activity.public_id]), {"q": "launch"}),
        "mapping_save": ("post", reverse("workspaces:activity_mapping", args=[w, activity.public_id]), {"element": [pricing.pk]}),
        "mapping_page": ("get", reverse("workspaces:mapping", args=[w]), {"framework": "read", "show": "all"}),
        "mapping_accept": (
            "post", reverse("workspaces:mapping_accept", args=[w]), {"framework": "read", "choice": f"{activity.public_id}:{pricing.pk}"},
        ),
        "mapping_remove": (
            "post", reverse("workspaces:mapping_remove", args=[w]), {"framework": "read", "choice": f"{activity.public_id}:{launch.pk}"},
        ),
        "accept_all_preview": ("get", reverse("workspaces:mapping_accept_all", args=[w]), {"framework": "read"}),
        "accept_all_apply": (
            "post", reverse("workspaces:mapping_accept_all_apply", args=[w]),
            {"framework": "read", "choice": [f"{activity.public_id}:{pricing.pk}"]},
        ),
        "mapping_undo": ("post", reverse("workspaces:mapping_undo", args=[w]), {"framework": "read", "batch": batch}),
        "history": ("get", reverse("workspaces:history", args=[w]), {"kind": "activity"}),
        "history_restore": ("post", reverse("workspaces:history_restore", args=[w]), {"change": deleted_activity(workspace)}),
        "history_import_undo": ("post", reverse("workspaces:history_import_undo", args=[w]), {"change": replaced(workspace)}),
        "team": ("get", reverse("workspaces:team", args=[w]), {}),
        "role_edit": ("post", reverse("workspaces:role", args=[w, role.public_id]), {"name": "PM team", "archetype": "pm"}),
        "role_move": ("post", reverse("workspaces:role_move", args=[w]), {"move": f"{role.public_id}:down"}),
        "role_delete": ("post", reverse("workspaces:role_delete", args=[w, role.public_id]), {}),
        "person_add": ("post", reverse("workspaces:person_add", args=[w]), {"name": "Sam", "roles": [role.public_id]}),
        "person_edit": ("post", reverse("workspaces:person", args=[w, person.public_id]), {"name": "Dana R."}),
        "person_delete": ("post", reverse("workspaces:person", args=[w, person.public_id]), {"name": "Dana", "delete": "1"}),
        "members": ("get", reverse("workspaces:members", args=[w]), {}),
        "member_add": ("post", reverse("workspaces:members", args=[w]), {"action": "add", "username": "outsider", "level": "viewer"}),
        "member_level": ("post", reverse("workspaces:members", args=[w]), {"action": "level", "membership": viewer.pk, "level": "editor"}),
        "member_remove": ("post", reverse("workspaces:members", args=[w]), {"action": "remove", "membership": viewer.pk}),
        "invite": ("post", reverse("workspaces:members", args=[w]), {"action": "invite", "level": "editor"}),
        **{
            f"export_{fmt}": ("get", reverse("workspaces:export", args=[w, fmt]), {})
            for fmt in ["yaml", "json", "csv", "xlsx", "md"]
        },
        "matrix": ("get", reverse("workspaces:matrix", args=[w]), {}),
        "activity": ("get", reverse("workspaces:activity", args=[w, activity.public_id]), {}),
        "cell": ("post", reverse("workspaces:cell", args=[w]), {"cell": f"{activity.public_id}:{role.public_id}:C:{_held(activity, role)}"}),
        "activity_add": ("post", reverse("workspaces:activity_add", args=[w]), {"name": "Pricing"}),
        "activity_edit": ("post", reverse("workspaces:activity", args=[w, activity.public_id]), {"name": "Renamed"}),
        "activity_move": ("post", reverse("workspaces:activity_move", args=[w]), {"move": f"{activity.public_id}:down"}),
        "activity_delete": ("post", reverse("workspaces:activity_delete", args=[w, activity.public_id]), {}),
        "role_add": ("post", reverse("workspaces:role_add", args=[w]), {"name": "Sales", "archetype": "sales"}),
        "settings": ("get", reverse("workspaces:settings", args=[w]), {}),
        "settings_save": (
            "post", reverse("workspaces:settings", args=[w]),
            {"name": "Renamed", "size": "startup", "market": "b2b", "primary_framework": "read", "fte_hours": "150"},
        ),
        "delete": ("post", reverse("workspaces:delete", args=[w]), {"confirm_name": workspace.name}),
        "snapshots": ("get", reverse("workspaces:snapshots", args=[w]), {"framework": "pragmatic"}),
        "snapshot_take": ("post", reverse("workspaces:snapshot_take", args=[w]), {"label": "Taken in the sweep"}),
        "snapshot": ("get", reverse("workspaces:snapshot", args=[w, kept]), {}),
        "snapshot_restore": ("post", reverse("workspaces:snapshot_restore", args=[w, kept]), {"name": "Restored in the sweep"}),
        "snapshot_delete": ("post", reverse("workspaces:snapshot_delete", args=[w, kept]), {"confirm": "on"}),
        "compare": ("get", reverse("workspaces:compare", args=[w]), {"from": kept, "to": "now", "framework": "read"}),
        **{
            f"compare_{fmt}": ("get", reverse("workspaces:compare_download", args=[w, fmt]), {"from": kept})
            for fmt in ["md", "csv"]
        },
        "activity_hours": ("post", reverse("workspaces:activity_hours", args=[w, activity.public_id]), {"hours": "12.5"}),
        "lens_assess": ("get", reverse("workspaces:lens", args=[w]), {"framework": "read", "assess": "read:pricing"}),
        "assessment_set": (
            "post", reverse("workspaces:assessment_set", args=[w]), {"element": "read:pricing", "importance": "4", "performance": "2"},
        ),
        "assessment_clear": ("post", reverse("workspaces:assessment_clear", args=[w]), {"element": assessed(workspace)}),
        "staffing": ("get", reverse("workspaces:staffing", args=[w]), {"framework": "read"}),
        **{
            f"staffing_{fmt}": ("get", reverse("workspaces:staffing_download", args=[w, fmt]), {"framework": "pragmatic"})
            for fmt in ["md", "csv"]
        },
    }


def assessed(workspace):
    """An assessed element, to clear (assessed once per workspace)."""
    launch = Element.objects.select_related("framework").get(framework__slug="read", code="launch")
    Assessment.objects.get_or_create(workspace=workspace, element=launch, defaults={"importance": 5, "performance": 3})
    return launch.reference


def accepted_batch(workspace):
    """A batch of accepted suggestions to undo (made once per workspace: urls() is called often)."""
    existing = Change.objects.filter(workspace=workspace, batch__isnull=False).values_list("batch", flat=True).first()
    if existing:
        return existing
    activity = workspace.activities.order_by("position").last()
    positioning = Element.objects.get(framework__slug="read", code="positioning")
    return services.mappings_accept(workspace=workspace, choices=[(activity, positioning)], by=None)


def deleted_activity(workspace):
    """A deletion to restore (made once per workspace)."""
    existing = Change.objects.filter(workspace=workspace, after="deleted", snapshot__isnull=False).first()
    if existing:
        return existing.pk
    spare = services.activity_add(workspace=workspace, name="Spare activity")
    services.activity_delete(activity=spare)
    return Change.objects.get(workspace=workspace, after="deleted").pk


def replaced(workspace):
    """A replace to undo (made once per workspace): the workspace before it was a startup."""
    existing = Change.objects.filter(workspace=workspace, kind="import", snapshot__isnull=False).first()
    if existing:
        return existing.pk
    from responsibilities.selectors import workspace_data

    data = workspace_data(workspace)
    services.workspace_replace(workspace=workspace, data=data.__class__(**{**data.__dict__, "size": "enterprise"}), by=None)
    return Change.objects.get(workspace=workspace, kind="import", snapshot__isnull=False).pk


def kept_snapshot(workspace):
    """A snapshot to read, compare, restore and delete (taken once per workspace)."""
    return workspace.snapshots.first() or services.snapshot_take(workspace=workspace, by=None, label="Sweep")


def _held(activity, role):
    cell = Assignment.objects.filter(activity=activity, role=role).first()
    return cell.letters if cell else ""


READS = {
    "matrix", "activity", "activities", "activities_csv", "team", "members", "mapping_page", "history",
    "dashboard", "lens", "lens_assess", "roles_document", "roles_document_md",
    "export_yaml", "export_json", "export_csv", "export_xlsx", "export_md",
    "snapshots", "snapshot", "compare", "compare_md", "compare_csv",
    "staffing", "staffing_md", "staffing_csv",
}
WRITES = {
    "cell", "activity_add", "activity_edit", "activity_move", "activity_delete", "role_add", "role_edit",
    "role_move", "role_delete", "person_add", "person_edit", "person_delete", "mapping", "mapping_save",
    "mapping_accept", "mapping_remove", "accept_all_preview", "accept_all_apply", "mapping_undo",
    "history_restore", "history_import_undo", "snapshot_take", "activity_hours", "assessment_set", "assessment_clear",
}
MANAGES = {"settings", "settings_save", "delete", "member_add", "member_level", "member_remove", "invite", "snapshot_delete"}
# Any member may do these: they make a new workspace of the member's own, not change this one.
CREATES = {"snapshot_restore"}
ALL = sorted(READS | WRITES | MANAGES | CREATES)


def expected_status(persona, name):
    if persona == "anonymous":
        return "login"
    if persona == "outsider":
        return 404
    if name in READS:
        return 200
    if name in CREATES:
        return "ok"
    if name in WRITES:
        return 403 if persona == "viewer" else "ok"
    return "ok" if persona == "owner" else 403


def snapshot(workspace):
    workspace = Workspace.objects.filter(pk=workspace.pk).first()
    if workspace is None:
        return None
    return (
        workspace.name,
        workspace.version,
        workspace.fte_hours,
        sorted(workspace.activities.values_list("name", "position", "hours")),
        sorted(workspace.assessments.values_list("element__code", "importance", "performance")),
        sorted(workspace.roles.values_list("name", flat=True)),
        sorted(Assignment.objects.filter(activity__workspace=workspace).values_list("activity__name", "role__name", "letters")),
        sorted(workspace.activities.values_list("name", "elements__code")),
        sorted((p.name, tuple(sorted(p.roles.values_list("name", flat=True)))) for p in workspace.people.all()),
        sorted(Membership.objects.filter(workspace=workspace).values_list("user__username", "level")),
        workspace.invitations.count(),
        sorted(workspace.snapshots.values_list("label", flat=True)),
        Workspace.objects.count(),  # a restore makes a new workspace
    )


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "viewer", "editor", "owner"])
@pytest.mark.parametrize("name", ALL)
def test_each_persona_gets_exactly_what_it_should(as_persona, workspace, persona, name):
    method, url, data = urls(workspace)[name]
    client = as_persona(persona)
    before = snapshot(workspace)
    response = getattr(client, method)(url, data)
    expected = expected_status(persona, name)
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif expected == "ok":
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == expected
    if expected in ("login", 404, 403):
        assert snapshot(workspace) == before, "a refused request changed the workspace"
    elif method == "post":
        assert snapshot(workspace) != before, "an allowed write changed nothing"


def test_outsider_404_does_not_reveal_that_the_workspace_exists(as_persona, workspace):
    client = as_persona("outsider")
    real = client.get(reverse("workspaces:matrix", args=[workspace.public_id]))
    import uuid

    missing = client.get(reverse("workspaces:matrix", args=[uuid.uuid4()]))
    assert real.status_code == missing.status_code == 404
    assert workspace.name not in real.text


def test_a_cell_of_another_workspace_cannot_be_set(as_persona, workspace, personas):
    from tests.responsibilities.conftest import build_workspace

    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    foreign_activity = other.activities.first()
    role = workspace.roles.first()
    client = as_persona("editor")
    response = client.post(
        reverse("workspaces:cell", args=[workspace.public_id]), {"cell": f"{foreign_activity.public_id}:{role.public_id}:A:"}
    )
    assert response.status_code == 404
    assert not Assignment.objects.filter(activity=foreign_activity, role=role).exists()


def test_reads_refuse_post_and_writes_refuse_get(as_persona, workspace):
    client = as_persona("owner")
    assert client.post(reverse("workspaces:matrix", args=[workspace.public_id])).status_code == 405
    assert client.get(reverse("workspaces:cell", args=[workspace.public_id])).status_code == 405


def test_the_remembered_workspace_addresses_are_the_urls_of_their_pages(workspace):
    urls = workspace_urls(workspace.public_id, get_script_prefix())
    for name, url in urls.items():
        if name == "export":
            assert {fmt: resolve(link).kwargs["fmt"] for fmt, link in url.items()} == {fmt: fmt for fmt in url}
        else:
            match = resolve(url)
            assert match.url_name == ("list" if name == "workshops" else name)
            assert match.kwargs["workspace_id"] == workspace.public_id


def test_the_remembered_addresses_follow_the_script_prefix(workspace):
    set_script_prefix("/pmm/")
    try:
        assert workspace_urls(workspace.public_id, get_script_prefix())["matrix"] == f"/pmm/w/{workspace.public_id}/"
    finally:
        set_script_prefix("/")
    assert workspace_urls(workspace.public_id, get_script_prefix())["matrix"] == f"/w/{workspace.public_id}/"
