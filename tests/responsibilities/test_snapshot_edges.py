"""Snapshots at their edges (found by review): a snapshot deleted mid-comparison, names the
database keeps apart, labels folded as the database folds them, categories the framework
did not have then, long restore names, Markdown headings ending in #."""

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from responsibilities import comparison, services, snapshot_views
from responsibilities.models import Snapshot
from responsibilities.selectors import snapshot_comparison, snapshots_for
from tests.responsibilities.test_snapshot_pages import set_cell

pytestmark = pytest.mark.django_db


def test_a_snapshot_deleted_while_a_comparison_loads_is_a_404_not_a_500(client, personas, workspace):
    taken = services.snapshot_take(workspace=workspace, by=None, label="Q2")
    client.force_login(personas["viewer"])

    def listed_then_deleted(ws):
        kept = snapshots_for(ws)
        Snapshot.objects.filter(pk=taken.pk).delete()  # an owner deletes it meanwhile
        return kept

    client.raise_request_exception = False
    with mock.patch.object(snapshot_views, "snapshots_for", listed_then_deleted):
        response = client.get(reverse("workspaces:compare", args=[workspace.public_id]), {"from": taken.public_id})
    assert response.status_code in (400, 404)


def test_two_activities_the_database_keeps_apart_stay_apart_in_a_comparison(workspace):
    # 'Straße' and 'Strasse' are two names for the database (lower() differs), one for casefold().
    strasse = services.activity_add(workspace=workspace, name="Strasse", by=None)
    strasze = services.activity_add(workspace=workspace, name="Straße", by=None)
    assert strasse.pk != strasze.pk
    taken = services.snapshot_take(workspace=workspace, by=None, label="before")
    set_cell(workspace, "Strasse", "Product Manager", "A/R")
    result = snapshot_comparison(workspace, taken, None, workspace.primary_framework).comparison
    assert [(c.activity, c.after) for c in result.changes] == [("Strasse", "A/R")]


def test_the_cli_finds_the_snapshot_labelled_as_typed_when_labels_differ_only_under_upper(workspace):
    first = services.snapshot_take(workspace=workspace, by=None, label="ς")  # final sigma
    second = services.snapshot_take(workspace=workspace, by=None, label="σ")  # both allowed: lower() differs
    set_cell(workspace, "Activity 1", "Corp Marketing", "C")
    out = StringIO()
    call_command("compare", workspace.name, "--from", "σ", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["from"] == second.label


def test_a_category_the_framework_did_not_have_then_is_no_gain_of_coverage():
    before = {"element": "x:a", "name": "A", "elements": 2, "covered": 1, "owned": 1}
    added = {"element": "x:b", "name": "B", "elements": 2, "covered": 2, "owned": 2}
    [_, new_category] = comparison._categories([before], [before, added])
    # The category did not exist: '+100 points' would claim a gain that never happened.
    assert new_category.delta is None

    def state(categories):
        framework = {"title": "X", "elements": {}, "coverage": before, "categories": categories, "findings": []}
        return {"document": {"roles": [], "activities": []}, "findings": [], "frameworks": {"x": framework}}

    assert comparison.compare(state([before]), state([before, added]), "x").unchanged


def test_the_suggested_restore_name_is_one_the_form_accepts(client, personas, workspace):
    workspace.name = "W" * 120
    workspace.save()
    services.workspace_create(name="W" * 70 + " as of " + "L" * 40, owner=None)
    taken = services.snapshot_take(workspace=workspace, by=None, label="L" * 80)
    client.force_login(personas["viewer"])
    page = client.get(reverse("workspaces:snapshot", args=[workspace.public_id, taken.public_id]))
    suggested = page.context["restore_form"].initial["name"]
    response = client.post(reverse("workspaces:snapshot_restore", args=[workspace.public_id, taken.public_id]), {"name": suggested})
    assert response.status_code == 302, page.context and response.context["restore_form"].errors


def test_a_label_ending_in_a_hash_keeps_it_in_the_markdown_heading():
    from responsibilities.formats.comparison import to_markdown

    state = {"elements": 1, "covered": 0, "owned": 0}
    content = {"document": {"roles": [], "activities": []}, "findings": [],
               "frameworks": {"x": {"title": "X", "elements": {}, "coverage": state, "categories": [], "findings": []}}}
    result = comparison.compare(content, content, "x")
    heading = to_markdown(result, workspace="W", before="Q2", after="Sprint #").splitlines()[0]
    # CommonMark strips a closing sequence ' #' from an ATX heading: the reader sees 'Sprint'.
    assert not heading.endswith(" #"), heading
