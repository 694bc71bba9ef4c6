"""Absolute query counts for the pages the load bench measures: the matrix, the dashboard, a
cell update and the workshop board's poll (with and without its token).

Each count is the work as it is, pinned exactly: a new query on these paths must be a
decision (change the number here and say why), not an accident. Every request follows a
first one in the same session, as in the bench and in a browser, so the counts are those of
a logged-in user going about their work.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from frameworks.models import Framework
from tests.responsibilities.conftest import build_workspace
from workshops import services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# The session, the user and the membership: what every logged-in workspace page pays first.
FLOOR = 3
MATRIX_FRESH = 22
MATRIX_CACHED = FLOOR  # the workspace's version is on the membership's workspace
DASHBOARD_FRESH = 13
DASHBOARD_CACHED = FLOOR
CELL_UPDATE = 12  # the transaction (a savepoint in a test) and the lock, write, history and version
POLL_CHECKED = FLOOR + 1  # and the workshop's version


@pytest.fixture
def owner_client(as_persona, personas):
    client = as_persona("owner")
    client.get(reverse("workspaces:list"))  # the session's first visit is behind it
    return client


@pytest.fixture
def big_workspace(personas):
    return build_workspace(
        "Big", activities=100, roles=tuple(f"Role {i}" for i in range(12)), members={personas["owner"]: "owner"}
    )


def test_the_matrix_reads_in_a_fixed_number_of_queries(owner_client, big_workspace, django_assert_num_queries):
    url = reverse("workspaces:matrix", args=[big_workspace.public_id])
    cache.clear()  # rendered from scratch: the pin is on the work, not the fragment cache
    with django_assert_num_queries(MATRIX_FRESH):
        assert owner_client.get(url).status_code == 200
    with django_assert_num_queries(MATRIX_CACHED):
        assert owner_client.get(url).status_code == 200


def test_the_dashboard_reads_in_a_fixed_number_of_queries(owner_client, big_workspace, django_assert_num_queries):
    url = reverse("workspaces:dashboard", args=[big_workspace.public_id])
    cache.clear()
    with django_assert_num_queries(DASHBOARD_FRESH):
        assert owner_client.get(url).status_code == 200
    with django_assert_num_queries(DASHBOARD_CACHED):
        assert owner_client.get(url).status_code == 200


def test_a_cell_update_takes_a_fixed_number_of_queries(owner_client, big_workspace, django_assert_num_queries):
    activity = big_workspace.activities.order_by("position").last()
    role = big_workspace.roles.order_by("position").last()
    url = reverse("workspaces:cell", args=[big_workspace.public_id])
    for wanted, expected in (("C", ""), ("I", "C")):
        with django_assert_num_queries(CELL_UPDATE):
            response = owner_client.post(
                url, {"cell": f"{activity.public_id}:{role.public_id}:{wanted}:{expected}"}, headers={"HX-Request": "true"}
            )
        assert response.status_code == 200
    assert big_workspace.activities.get(pk=activity.pk).assignments.get(role=role).letters == "I"


def test_the_board_poll_takes_a_fixed_number_of_queries(owner_client, big_workspace, personas, django_assert_num_queries):
    from workshops.views import poll_token

    workshop = services.workshop_start(
        workspace=big_workspace, title="Who owns launch?", framework=Framework.objects.get(slug="read"),
        roles=list(big_workspace.roles.all()), by=personas["owner"],
    )
    url = reverse("workshop:board_poll", args=[big_workspace.public_id, workshop.public_id])
    version = Workshop.objects.get(pk=workshop.pk).version
    with django_assert_num_queries(1):  # the workshop's version: the token stands for the login
        assert owner_client.get(url, {"v": version, "t": poll_token(workshop)}).status_code == 204
    with django_assert_num_queries(POLL_CHECKED):  # the floor and the workshop's version
        assert owner_client.get(url, {"v": version}).status_code == 204
