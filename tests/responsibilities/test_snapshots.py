"""Snapshots (issue 15): one is kept before every replace import (web, command line, undo) and
before a workshop commit that writes something; a snapshot restores as a new workspace equal
to it; it keeps the library's names and findings of its day; labels stay unique and a
snapshot is a consistent state when people write at the same moment (PostgreSQL)."""

import threading
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from frameworks.models import Element, Framework, Guidance
from responsibilities import services
from responsibilities.formats import export
from responsibilities.models import Change, Snapshot, Workspace
from responsibilities.selectors import read_workspace_file, snapshot_comparison, snapshot_content, workspace_data
from tests.responsibilities.conftest import build_workspace
from workshops import services as workshop_services

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (bin/test runs on it)"
)


def document(workspace) -> dict:
    return export.to_document(workspace_data(workspace))


def version(workspace) -> int:
    return Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)


def shortened(workspace, keep=1) -> str:
    """The workspace as a JSON document with only its first `keep` activities."""
    data = workspace_data(workspace)
    return export.to_json(data.__class__(**{**data.__dict__, "activities": data.activities[:keep]}))


def only_snapshot(workspace) -> Snapshot:
    [snapshot] = Snapshot.objects.filter(workspace=workspace)
    return snapshot


# Kept before a replace import


@pytest.mark.django_db
def test_a_web_replace_import_keeps_the_workspace_as_it_was_first(as_persona, workspace):
    before, at = document(workspace), version(workspace)
    client = as_persona("owner")
    upload = SimpleUploadedFile("acme.json", shortened(workspace).encode())
    preview = client.post(reverse("workspaces:import"), {"step": "upload", "file": upload})
    token = preview.context["confirm"].initial["token"]
    confirm = {"step": "confirm", "token": token, "name": "Acme (2)", "replace": "on", "replace_name": workspace.name}
    assert client.post(reverse("workspaces:import"), confirm).status_code == 302

    snapshot = only_snapshot(workspace)
    assert workspace.activities.count() == 1
    assert snapshot.content["document"] == before
    assert (snapshot.reason, snapshot.version, snapshot.activity_count, snapshot.role_count) == ("import", at, 3, 3)
    assert snapshot.label.startswith("Before import ") and snapshot.taken_by.username == "owner"
    compared = snapshot_comparison(workspace, snapshot, None, workspace.primary_framework).comparison
    assert compared.activities_removed == ("Activity 2", "Activity 3")
    # The snapshot is in the history, in the same change (the same version) as the replace.
    replace = Change.objects.get(workspace=workspace, kind="import", subject="replace")
    kept = Change.objects.get(workspace=workspace, kind="snapshot")
    assert kept.version == replace.version == at + 1 and "before a replace import" in kept.after


@pytest.mark.django_db
def test_the_import_command_with_replace_keeps_the_workspace_as_it_was_first(workspace, tmp_path):
    before, at = document(workspace), version(workspace)
    file = tmp_path / "acme.json"
    file.write_text(shortened(workspace, keep=2))
    out = StringIO()
    call_command("import_workspace", str(file), "--name", workspace.name, "--replace", stdout=out)
    assert out.getvalue().startswith("Replaced Acme product org: 2 activities")
    snapshot = only_snapshot(workspace)
    assert workspace.activities.count() == 2
    assert (snapshot.content["document"], snapshot.reason, snapshot.version) == (before, "import", at)
    assert snapshot.taken_by is None  # the command line acts as nobody in particular


@pytest.mark.django_db
def test_undoing_a_replace_keeps_the_replaced_state_first(as_persona, workspace, personas):
    original = document(workspace)
    services.workspace_replace(workspace=workspace, data=_data(shortened(workspace)), by=personas["owner"])
    replaced = document(workspace)
    replace = Change.objects.get(workspace=workspace, kind="import", subject="replace")
    response = as_persona("editor").post(reverse("workspaces:history_import_undo", args=[workspace.public_id]), {"change": replace.pk})
    assert response.status_code == 302
    assert document(workspace) == original
    first, second = Snapshot.objects.filter(workspace=workspace).order_by("id")
    assert first.content["document"] == original and second.content["document"] == replaced
    assert second.taken_by == personas["editor"] and second.label != first.label


def _data(json_text: str):
    data, errors = read_workspace_file(json_text.encode(), "doc.json")
    assert not errors, errors
    return data


# Kept before a workshop commit, and only when it writes something


def _workshop_with_a_note(workspace, personas):
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="Who owns launch?", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=personas["owner"],
    )
    participant = workshop_services.join(code=workshop.code, name="Dana", ip="10.0.0.9")
    workshop_services.participant_set_role(participant=participant, role=workshop.roles.get(name="Product Marketing"))
    participant.refresh_from_db()
    note = workshop_services.note_add(participant=participant, text="Analyst briefings", kind="self", role=None)
    workshop_services.note_map(note=note, element=Element.objects.get(framework__slug="read", code="positioning"))
    workshop_services.note_set_owner(note=note, role=workshop.roles.get(name="Product Marketing"), letters="A/R")
    return workshop


@pytest.mark.django_db
def test_a_workshop_commit_keeps_the_matrix_as_it_was_first(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    before, at = document(workspace), version(workspace)
    workshop = _workshop_with_a_note(workspace, personas)
    workshop_services.workshop_commit(workshop=workshop, by=personas["owner"])
    assert workspace.activities.filter(name="Analyst briefings").exists()
    snapshot = only_snapshot(workspace)
    assert (snapshot.content["document"], snapshot.reason, snapshot.version) == (before, "workshop", at)
    assert snapshot.label.startswith("Before workshop “Who owns launch?”")
    compared = snapshot_comparison(workspace, snapshot, None, workspace.primary_framework).comparison
    assert compared.activities_added == ("Analyst briefings",)


@pytest.mark.django_db
def test_committing_a_workshop_again_with_nothing_new_keeps_no_second_snapshot(personas):
    workspace = build_workspace(members={personas["owner"]: "owner"})
    workshop = _workshop_with_a_note(workspace, personas)
    workshop_services.workshop_commit(workshop=workshop, by=personas["owner"])
    at = version(workspace)
    workshop_services.workshop_commit(workshop=workshop, by=personas["owner"])
    assert Snapshot.objects.filter(workspace=workspace).count() == 1
    assert version(workspace) == at


# Taken by hand; labels


@pytest.mark.django_db
def test_a_snapshot_holds_the_workspace_and_its_reading_through_every_framework(workspace, personas):
    at = version(workspace)
    snapshot = services.snapshot_take(workspace=workspace, by=personas["editor"], label="  Q3   review ")
    assert snapshot.label == "Q3 review" and snapshot.version == at and version(workspace) == at + 1
    assert snapshot.content == snapshot_content(workspace)
    assert set(snapshot.coverage) == set(Framework.objects.values_list("slug", flat=True))
    assert Change.objects.get(workspace=workspace, kind="snapshot").subject == "Q3 review"


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["q3 REVIEW", "Q3 review", "\u212a", "İ"])
def test_a_label_already_used_is_refused_with_a_message_and_nothing_written(workspace, personas, label):
    # The Kelvin sign and the dotted capital I lowercase to an ASCII letter but do not
    # uppercase to one: the label check must fold as the database's unique index does.
    services.snapshot_take(workspace=workspace, by=personas["editor"], label={"\u212a": "k", "İ": "i"}.get(label, "Q3 review"))
    at, count = version(workspace), Change.objects.count()
    with pytest.raises(services.ServiceError, match="already has a snapshot labelled"):
        services.snapshot_take(workspace=workspace, by=personas["editor"], label=label)
    assert (version(workspace), Change.objects.count(), Snapshot.objects.count()) == (at, count, 1)


@pytest.mark.django_db
def test_a_label_over_the_limit_is_refused_and_default_labels_never_clash(workspace, personas):
    with pytest.raises(services.ServiceError, match="limit is 80"):
        services.snapshot_take(workspace=workspace, by=personas["editor"], label="x" * 81)
    first = services.snapshot_take(workspace=workspace, by=personas["editor"])
    second = services.snapshot_take(workspace=workspace, by=personas["editor"])
    assert second.label == f"{first.label} (2)" or second.label > first.label  # a minute may have passed
    assert Snapshot.objects.filter(workspace=workspace).count() == 2


@pytest.mark.django_db
def test_deleting_a_snapshot_twice_is_gone_the_second_time(workspace, personas):
    snapshot = services.snapshot_take(workspace=workspace, by=personas["editor"], label="Old")
    services.snapshot_delete(snapshot=snapshot, by=personas["owner"])
    at = version(workspace)
    with pytest.raises(services.Gone):
        services.snapshot_delete(snapshot=snapshot, by=personas["owner"])
    assert version(workspace) == at and not Snapshot.objects.exists()
    assert Change.objects.filter(workspace=workspace, kind="snapshot", after="deleted").count() == 1


# Restore: a new workspace equal to the snapshot


@pytest.mark.django_db
def test_restore_makes_a_new_workspace_equal_to_the_snapshot_and_leaves_the_original(workspace, personas):
    services.person_save(workspace=workspace, name="Dana", roles=list(workspace.roles.all()[:2]), by=personas["owner"])
    services.activity_update(activity=workspace.activities.first(), name="Activity 1", description="Why", group="Plan", by=personas["owner"])
    snapshot = services.snapshot_take(workspace=workspace, by=personas["owner"], label="Q2")
    services.cell_set(
        workspace=workspace, activity_id=workspace.activities.first().public_id, role=workspace.roles.last(),
        letters="C", expected=None, by=personas["owner"],
    )
    original, at = document(workspace), version(workspace)

    restored = services.snapshot_restore(snapshot=snapshot, name="Acme as in Q2", owner=personas["viewer"])

    assert restored.dropped == ()
    new = restored.workspace
    assert new.pk != workspace.pk and new.name == "Acme as in Q2"
    assert {**document(new), "name": None} == {**snapshot.content["document"], "name": None}
    assert list(new.memberships.values_list("user__username", "level")) == [("viewer", "owner")]
    assert (document(workspace), version(workspace)) == (original, at)
    assert not Snapshot.objects.filter(workspace=new).exists()
    assert "from snapshot “Q2” of Acme product org" in Change.objects.get(workspace=new, subject="restore").after


@pytest.mark.django_db
def test_restore_leaves_out_and_names_mappings_to_an_element_the_library_has_lost(workspace, personas):
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    services.activity_map(activity=workspace.activities.first(), elements=[pricing, *workspace.activities.first().elements.all()], by=personas["owner"])
    snapshot = services.snapshot_take(workspace=workspace, by=personas["owner"], label="Q2")
    pricing.delete()
    restored = services.snapshot_restore(snapshot=snapshot, name="Restored", owner=personas["owner"])
    assert restored.dropped == ("read:pricing",)
    assert list(restored.workspace.activities.get(name="Activity 1").elements.values_list("code", flat=True)) == ["launch"]
    assert "read:pricing" in snapshot.content["document"]["activities"][0]["elements"]  # the snapshot itself keeps it


@pytest.mark.django_db
def test_restore_under_a_name_in_use_is_refused_and_writes_nothing(workspace, personas):
    snapshot = services.snapshot_take(workspace=workspace, by=personas["owner"], label="Q2")
    with pytest.raises(services.ServiceError, match="exists already"):
        services.snapshot_restore(snapshot=snapshot, name="ACME product org", owner=personas["owner"])
    assert Workspace.objects.count() == 1


# The library changes after a snapshot


@pytest.mark.django_db
def test_an_old_comparison_reads_the_library_as_it_was_after_an_element_is_renamed_and_its_guidance_changed(workspace, personas):
    framework = workspace.primary_framework
    first = workspace.activities.get(name="Activity 1")  # held by the PM, mapped to Launch (guided to the PMM)
    roles = {role.name: role for role in workspace.roles.all()}
    a = services.snapshot_take(workspace=workspace, by=personas["owner"], label="A")
    services.assignment_set(activity=first, role=roles["Product Manager"], letters="", expected=None, by=personas["owner"])
    services.assignment_set(activity=first, role=roles["Product Marketing"], letters="A/R", expected=None, by=personas["owner"])
    b = services.snapshot_take(workspace=workspace, by=personas["owner"], label="B")
    then = snapshot_comparison(workspace, a, b, framework).comparison
    [moved] = [f for f in then.resolved if f["kind"] == "split_mismatch" and f["activity"] == "Activity 1"]
    assert moved["element_name"] == "Launch" and "puts Launch with PMM" in moved["message"]

    launch = Element.objects.get(framework=framework, code="launch")
    launch.name = "Go-to-market launch"
    launch.save()
    Guidance.objects.filter(element=launch, archetype__slug="pmm").update(letters="R")
    Guidance.objects.filter(element=launch, archetype__slug="pm").update(letters="A/R")

    later = snapshot_comparison(workspace, a, b, Framework.objects.get(pk=framework.pk))
    assert later.comparison == then and later.read_today == ()
    assert next(c.name for c in later.comparison.categories if c.element == "read:launch") == "Launch"
    # Read with today's library, the same workspace now has the A where the guidance moved it away from.
    now = snapshot_comparison(workspace, b, None, Framework.objects.get(pk=framework.pk)).comparison
    [new] = [f for f in now.new if f["kind"] == "split_mismatch" and f["activity"] == "Activity 1"]
    assert new["element_name"] == "Go-to-market launch" and "with PM (accountable)" in new["message"]


@pytest.mark.django_db
def test_an_element_deleted_from_the_library_still_reads_in_an_old_comparison(workspace, personas):
    framework = workspace.primary_framework
    pricing = Element.objects.get(framework=framework, code="pricing")
    services.activity_map(activity=workspace.activities.get(name="Activity 2"), elements=[pricing], by=personas["owner"])
    a = services.snapshot_take(workspace=workspace, by=personas["owner"], label="A")
    services.activity_delete(activity=workspace.activities.get(name="Activity 2"), by=personas["owner"])
    b = services.snapshot_take(workspace=workspace, by=personas["owner"], label="B")
    then = snapshot_comparison(workspace, a, b, framework).comparison
    pricing.delete()
    assert snapshot_comparison(workspace, a, b, framework).comparison == then
    assert "read:pricing" in {f["element"] for f in then.new if f["kind"] == "uncovered_element"}
    # Today's library has no Pricing: compared with now, it is neither covered nor a finding any more.
    now = snapshot_comparison(workspace, a, None, framework).comparison
    assert "read:pricing" not in {f["element"] for f in now.new + now.resolved if f["element"]}
    assert now.activities_removed == ("Activity 2",)


@pytest.mark.django_db
def test_a_framework_added_after_a_snapshot_is_read_from_its_document_with_todays_library(workspace, personas):
    old = services.snapshot_take(workspace=workspace, by=personas["owner"], label="Before the new framework")
    later = Framework.objects.create(slug="later", title="Later", source_author="A. Writer", source_title="Later", summary="Added later")
    briefings = Element.objects.create(framework=later, code="briefings", name="Analyst briefings", essential=True)
    services.activity_map(activity=workspace.activities.first(), elements=[briefings], by=personas["owner"])
    new = services.snapshot_take(workspace=workspace, by=personas["owner"], label="With it")
    assert "later" not in old.content["frameworks"] and "later" not in old.coverage

    with_now = snapshot_comparison(workspace, old, None, later)
    assert with_now.read_today == ("Before the new framework",)
    assert (with_now.comparison.coverage_before.covered, with_now.comparison.coverage_after.covered) == (0, 1)
    assert [f["element"] for f in with_now.comparison.resolved if f["kind"] == "uncovered_element"] == ["later:briefings"]
    between = snapshot_comparison(workspace, old, new, later)
    assert between.read_today == ("Before the new framework",) and between.comparison == with_now.comparison
    assert "later" not in Snapshot.objects.get(pk=old.pk).content["frameworks"]


# At the same moment (PostgreSQL)


def race(*calls):
    """Run each callable in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # the caller decides which failures are answers
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgresql
def test_two_snapshots_with_one_label_at_once_keep_one_and_refuse_the_other(live_library, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    for trial in range(10):
        workspace = build_workspace(f"Labels {trial}", members={alice: "editor", bob: "editor"})
        results = race(
            lambda: services.snapshot_take(workspace=Workspace.objects.get(pk=workspace.pk), by=alice, label="Q3 review"),
            lambda: services.snapshot_take(workspace=Workspace.objects.get(pk=workspace.pk), by=bob, label="q3 REVIEW"),
        )
        kept = [r for r in results if isinstance(r, Snapshot)]
        refused = [r for r in results if not isinstance(r, Snapshot)]
        assert len(kept) == 1 and len(refused) == 1, results
        assert type(refused[0]) is services.ServiceError and "already has a snapshot" in str(refused[0])
        assert Snapshot.objects.filter(workspace=workspace).count() == 1


@postgresql
def test_a_snapshot_taken_while_cells_are_written_is_the_state_of_one_version(live_library, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    workspace = build_workspace("Busy", activities=6, members={alice: "editor", bob: "editor"})
    role = workspace.roles.get(name="Corp Marketing")
    activities = list(workspace.activities.order_by("position"))
    writes = [(activity.name, activity.public_id, letters) for letters in ("C", "I", "R") for activity in activities]
    written = threading.Event()

    def write_cells():
        for _, activity_id, letters in writes:
            services.cell_set(
                workspace=Workspace.objects.get(pk=workspace.pk), activity_id=activity_id, role=role, letters=letters,
                expected=None, by=alice,
            )
        written.set()

    def take_snapshots():
        while not written.is_set():
            services.snapshot_take(workspace=Workspace.objects.get(pk=workspace.pk), by=bob)

    results = race(write_cells, take_snapshots)
    assert results == [None, None], results
    before = {"Activity 3": "A/R", "Activity 6": "A/R"}  # build_workspace's letters in that column
    between = 0
    for snapshot in Snapshot.objects.filter(workspace=workspace):
        # Exactly the cells written up to the version it copies, and none after.
        done = Change.objects.filter(workspace=workspace, kind="assignment", version__lte=snapshot.version).count()
        expected = {**{a.name: before.get(a.name, "") for a in activities}, **{name: held for name, _, held in writes[:done]}}
        held = {a["name"]: a.get("raci", {}).get("Corp Marketing", "") for a in snapshot.content["document"]["activities"]}
        assert held == expected, (snapshot.version, done)
        between += 0 < done < len(writes)
    assert between, "no snapshot was taken while the cells were being written"


# The demo workspace's past


@pytest.mark.django_db
def test_the_demo_workspace_has_two_reviews_to_compare_and_ends_as_the_starter(settings):
    from responsibilities.management.commands.setup_demo import DEMO_WORKSPACE
    from responsibilities.starters import starter_for

    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    workspace = Workspace.objects.get(name=DEMO_WORKSPACE)
    q2, q3 = Snapshot.objects.filter(workspace=workspace).order_by("taken_at", "id")
    assert (q2.label, q3.label) == ("Q2 2026 review", "Q3 2026 review")
    assert q2.taken_by.username == q3.taken_by.username == "demo"
    assert q2.coverage["read"] < q3.coverage["read"] < snapshot_comparison(workspace, q3, None, workspace.primary_framework).comparison.coverage_after.percent

    since_q2 = snapshot_comparison(workspace, q2, None, workspace.primary_framework).comparison
    assert since_q2.roles_added == ("Customer Success",)
    assert set(since_q2.activities_added) == {
        "Go-to-market strategy", "Sales enablement", "Customer retention and advocacy", "Marketing metrics",
    }
    no_owner = {f["activity"] for f in since_q2.resolved if f["kind"] == "no_accountable"}
    assert no_owner == {"Pricing and packaging", "Web site", "Demand generation programs"}
    assert "Launches" in {f["activity"] for f in since_q2.resolved if f["kind"] == "multiple_accountable"}
    # The team was named after Q3: Dev covering both PM and PMM is the one new problem.
    assert [(f["kind"], f["person"]) for f in since_q2.new] == [("role_overload", "Dev Patel")]
    since_q3 = snapshot_comparison(workspace, q3, None, workspace.primary_framework).comparison
    assert {(c.activity, c.role, c.before, c.after) for c in since_q3.changes} == {
        ("Web site", "Product Marketing", "", "A"), ("Demand generation programs", "Product Marketing", "C", "A"),
    }

    # Now it holds what the scale-up starter holds (roles and rows added later come last).
    starter, _ = read_workspace_file(starter_for("scale-up", "b2b").read_bytes(), "scale-up.yaml")
    now = workspace_data(workspace)
    assert {r.name: r.archetype for r in now.roles} == {r.name: r.archetype for r in starter.roles}
    assert {a.name: (set(a.elements), dict(a.raci), a.hours) for a in now.activities} == {
        a.name: (set(a.elements), dict(a.raci), a.hours) for a in starter.activities
    }

    at = version(workspace)
    call_command("setup_demo", stdout=StringIO())  # once only: a second run changes nothing
    assert Snapshot.objects.filter(workspace=workspace).count() == 2 and version(workspace) == at
