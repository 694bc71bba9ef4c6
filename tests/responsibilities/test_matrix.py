"""The RACI matrix: cells set by click or key, live flags, conflicts, constant query count."""

import pytest
from django.urls import reverse

from frameworks.models import Archetype, Element
from responsibilities.models import Assignment, Change
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db


def cell_post(client, workspace, activity, role, wanted, expected, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("workspaces:cell", args=[workspace.public_id]),
        {"cell": f"{activity.public_id}:{role.public_id}:{wanted}:{expected}"},
        headers=headers,
    )


def held(activity, role):
    cell = Assignment.objects.filter(activity=activity, role=role).first()
    return cell.letters if cell else ""


def test_matrix_shows_activities_roles_and_letters(as_persona, workspace):
    response = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id]))
    assert response.status_code == 200
    for activity in workspace.activities.all():
        assert activity.name in response.text
    assert "Corp Marketing" in response.text
    assert ">A/R<" in response.text


def test_viewer_sees_letters_but_no_edit_buttons(as_persona, workspace):
    response = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id]))
    assert 'name="cell"' not in response.text
    assert "Add activity" not in response.text


def test_clicking_steps_through_the_cycle(as_persona, workspace):
    client = as_persona("editor")
    activity, role = workspace.activities.first(), workspace.roles.last()
    seen = []
    for _ in range(6):
        cell_post(client, workspace, activity, role, "next", held(activity, role))
        seen.append(held(activity, role))
    assert seen == ["R", "A", "A/R", "C", "I", ""]


def test_a_key_sets_a_letter_directly_and_the_answer_is_the_cell_and_flags(as_persona, workspace):
    client = as_persona("editor")
    activity, role = workspace.activities.first(), workspace.roles.last()
    response = cell_post(client, workspace, activity, role, "C", "")
    assert response.status_code == 200
    assert held(activity, role) == "C"
    assert f'id="c-{activity.public_id}-{role.public_id}"' in response.text
    assert f'id="flags-{activity.public_id}"' in response.text
    assert "<html" not in response.text
    assert response["HX-Trigger"] == "raci-changed"


def test_a_second_accountable_raises_a_flag_in_the_answer(as_persona, workspace):
    client = as_persona("editor")
    activity = workspace.activities.first()
    other_role = workspace.roles.exclude(assignments__activity=activity).first()
    response = cell_post(client, workspace, activity, other_role, "A", "")
    assert "Several A" in response.text
    assert "two accountable owners" in response.text


def test_every_change_is_recorded_with_who_from_and_to(as_persona, workspace, personas):
    client = as_persona("editor")
    activity, role = workspace.activities.first(), workspace.roles.last()
    cell_post(client, workspace, activity, role, "R", "")
    cell_post(client, workspace, activity, role, "A", "R")
    changes = list(Change.objects.filter(activity=activity).order_by("at", "id").values_list("by__username", "before", "after"))
    assert changes == [("editor", "", "R"), ("editor", "R", "A")]
    page = client.get(reverse("workspaces:activity", args=[workspace.public_id, activity.public_id]))
    assert "R → A" in page.text


def test_a_stale_edit_is_refused_with_who_changed_it(as_persona, workspace, client):
    activity, role = workspace.activities.first(), workspace.roles.last()
    editor = as_persona("editor")
    cell_post(editor, workspace, activity, role, "R", "")
    client.logout()
    owner = as_persona("owner")
    response = cell_post(owner, workspace, activity, role, "C", "")  # owner still saw it empty
    assert response.status_code == 409
    assert "changed by editor" in response.text and "Reload" in response.text
    assert held(activity, role) == "R"


def test_the_refused_edit_answers_with_the_cell_as_it_is_now(as_persona, workspace, client):
    activity, role = workspace.activities.first(), workspace.roles.last()
    cell_post(as_persona("editor"), workspace, activity, role, "A", "")
    client.logout()
    response = cell_post(as_persona("owner"), workspace, activity, role, "R", "")
    assert response.status_code == 409
    assert f'aria-label="{role.name}: A"' in response.text


def test_an_activity_or_role_of_another_workspace_is_not_found_and_nothing_changes(as_persona, workspace):
    other = build_workspace("Other team", activities=1)
    foreign_activity, foreign_role = other.activities.get(), other.roles.last()
    activity, role = workspace.activities.first(), workspace.roles.last()
    before = set(Assignment.objects.values_list("activity_id", "role_id", "letters"))
    client = as_persona("editor")
    assert cell_post(client, workspace, foreign_activity, role, "R", "").status_code == 404
    assert cell_post(client, workspace, activity, foreign_role, "R", "").status_code == 404
    assert set(Assignment.objects.values_list("activity_id", "role_id", "letters")) == before


def test_without_javascript_a_cell_post_redirects_back_to_the_row(as_persona, workspace):
    client = as_persona("editor")
    activity, role = workspace.activities.first(), workspace.roles.last()
    response = cell_post(client, workspace, activity, role, "next", "", htmx=False)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-{activity.public_id}")
    assert held(activity, role) == "R"


@pytest.mark.parametrize("bad", ["", "nonsense", "a:b:c:d", "{act}:{role}:X:", "{act}:{role}:<script>:"])
def test_malformed_cell_posts_change_nothing(as_persona, workspace, bad):
    client = as_persona("editor")
    activity, role = workspace.activities.first(), workspace.roles.last()
    value = bad.format(act=activity.public_id, role=role.public_id)
    response = client.post(reverse("workspaces:cell", args=[workspace.public_id]), {"cell": value}, headers={"HX-Request": "true"})
    assert response.status_code in (400, 404)
    assert held(activity, role) == ""


def test_summary_panel_refreshes_alone(as_persona, workspace):
    response = as_persona("viewer").get(
        reverse("workspaces:matrix", args=[workspace.public_id]), {"panel": "summary"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<section id="summary"')


def test_lens_groups_rows_by_the_frameworks_categories(as_persona, workspace):
    response = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id]), {"lens": "read"})
    assert "Launch" in response.text
    # Read's Launch is the same work as Pragmatic's Launch box (equivalent): grouped there, marked.
    response = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id]), {"lens": "pragmatic"})
    assert "Not mapped to The Pragmatic Framework" not in response.text
    assert ">Programs</a>" in response.text and "via crosswalk: Launch" in response.text
    # A whole never covers its parts: Read's Launch does not put a row under PMA's "During launch".
    response = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id]), {"lens": "pma"})
    assert "Not mapped to Product Marketing Alliance" in response.text and "via crosswalk" not in response.text


def test_matrix_query_count_does_not_grow_with_activities_or_roles(as_persona, personas, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_workspace("Small", activities=10, roles=("Product Manager", "Product Marketing"), members={personas["owner"]: "owner"})
    large = build_workspace(
        "Large", activities=300, roles=tuple(f"Role {i}" for i in range(12)), members={personas["owner"]: "owner"}
    )
    from django.core.cache import cache

    client = as_persona("owner")
    client.get(reverse("workspaces:list"))  # the session is loaded once for both
    cache.clear()  # both pages rendered from scratch: the pin is on the work, not the cache
    with CaptureQueriesContext(connection) as counted:
        assert client.get(reverse("workspaces:matrix", args=[small.public_id])).status_code == 200
    cache.clear()
    with django_assert_num_queries(len(counted)):
        assert client.get(reverse("workspaces:matrix", args=[large.public_id])).status_code == 200


def test_cell_update_query_count_does_not_grow(as_persona, personas, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_workspace("Small", activities=5, members={personas["owner"]: "owner"})
    large = build_workspace("Large", activities=200, roles=tuple(f"Role {i}" for i in range(12)), members={personas["owner"]: "owner"})
    client = as_persona("owner")
    with CaptureQueriesContext(connection) as counted:
        cell_post(client, small, small.activities.first(), small.roles.last(), "C", "")
    with django_assert_num_queries(len(counted)):
        cell_post(client, large, large.activities.first(), large.roles.last(), "C", "")


def test_activity_links_in_the_matrix_are_the_activity_pages(as_persona, workspace):
    client = as_persona("viewer")
    text = client.get(reverse("workspaces:matrix", args=[workspace.public_id])).text
    for activity in workspace.activities.all():
        assert f'href="{reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])}"' in text


def test_a_viewer_sees_letters_but_no_cell_buttons(as_persona, workspace):
    text = as_persona("viewer").get(reverse("workspaces:matrix", args=[workspace.public_id])).text
    assert 'class="cell letters-AR">A/R</td>' in text
    assert 'form="cell-form"' not in text


def test_hostile_role_and_activity_names_are_escaped_in_the_matrix(as_persona, workspace):
    workspace.roles.filter(name="Corp Marketing").update(name='"><img src=x onerror=alert(1)>')
    workspace.activities.filter(name="Activity 1").update(name="<script>alert(1)</script>")
    text = as_persona("editor").get(reverse("workspaces:matrix", args=[workspace.public_id])).text
    assert "<img src=x" not in text and "<script>alert(1)" not in text
    assert 'aria-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;: ' in text


def test_a_cached_matrix_shows_every_change_made_through_the_app(as_persona, workspace):
    from responsibilities import services

    client = as_persona("editor")
    url = reverse("workspaces:matrix", args=[workspace.public_id])
    client.get(url)  # fills the cache
    activity, role = workspace.activities.first(), workspace.roles.last()
    services.assignment_set(activity=activity, role=role, letters="I", expected=None, by=None)
    assert f'aria-label="{role.name}: I"' in client.get(url).text
    services.activity_update(activity=activity, name="Renamed activity", description="")
    assert "Renamed activity" in client.get(url).text
    dashboard = reverse("workspaces:dashboard", args=[workspace.public_id])
    client.get(dashboard)
    services.role_add(workspace=workspace, name="Design", archetype=Archetype.objects.get(slug="design"))
    assert "Design is neither accountable nor responsible" in client.get(dashboard).text


def test_the_matrix_page_is_ascii_and_shows_typographic_names_unchanged(as_persona, workspace):
    faq = Element.objects.get(framework__slug="five-categories", name="FAQ’s")
    workspace.activities.first().elements.add(faq)
    response = as_persona("editor").get(reverse("workspaces:matrix", args=[workspace.public_id]))
    response.content.decode("ascii")
    assert "FAQ&#8217;s" in response.text and "&middot; pmmhub</title>" in response.text


def test_ascii_html_keeps_markup_escapes_text_and_leaves_c1_controls_alone():
    from django.utils.safestring import mark_safe

    from responsibilities.templatetags.raci import ascii_html

    assert ascii_html(mark_safe("<b>FAQ’s · 10 →</b>")) == "<b>FAQ&#8217;s &#183; 10 &#8594;</b>"
    assert ascii_html("<script>’") == "&lt;script&gt;&#8217;"
    assert ascii_html(mark_safe("<i>Price\x80list’s</i>")) == "<i>Price\x80list’s</i>"


def test_an_empty_cell_is_no_row(workspace):
    from django.db import IntegrityError, transaction

    activity, role = workspace.activities.first(), workspace.roles.last()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(activity=activity, role=role, letters="")
