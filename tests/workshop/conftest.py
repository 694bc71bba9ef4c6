import pytest

from frameworks.models import Framework
from workshops import services
from tests.responsibilities.conftest import build_workspace


@pytest.fixture
def team(personas):
    return build_workspace(
        "Workshop team", activities=0,
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"},
    )


@pytest.fixture
def workshop(team, personas):
    return services.workshop_start(
        workspace=team, title="Who owns launch?", framework=Framework.objects.get(slug="read"),
        roles=list(team.roles.all()), by=personas["editor"],
    )


@pytest.fixture
def participant(workshop):
    person = services.join(code=workshop.code, name="Dana", ip="10.0.0.1")
    services.participant_set_role(participant=person, role=workshop.roles.get(name="Product Marketing"))
    person.refresh_from_db()
    return person
