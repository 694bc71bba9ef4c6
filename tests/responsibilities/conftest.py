import pytest

from frameworks.models import Archetype, Element, Framework
from responsibilities.models import Activity, Assignment, Membership, Role, Workspace


def build_workspace(name="Acme product org", *, members=None, activities=3, roles=("Product Manager", "Product Marketing", "Corp Marketing")):
    workspace = Workspace.objects.create(name=name, primary_framework=Framework.objects.get(slug="read"))
    archetypes = {"Product Manager": "pm", "Product Marketing": "pmm", "Corp Marketing": "marcom"}
    role_rows = [
        Role.objects.create(
            workspace=workspace, name=role_name, position=i,
            archetype=Archetype.objects.get(slug=archetypes.get(role_name, "other")),
        )
        for i, role_name in enumerate(roles)
    ]
    launch = Element.objects.get(framework__slug="read", code="launch")
    for i in range(activities):
        activity = Activity.objects.create(workspace=workspace, name=f"Activity {i + 1}", position=i)
        activity.elements.add(launch)
        Assignment.objects.create(activity=activity, role=role_rows[i % len(role_rows)], letters="A/R")
    for user, level in (members or {}).items():
        Membership.objects.create(workspace=workspace, user=user, level=level)
    return workspace


@pytest.fixture
def workspace(personas):
    return build_workspace(
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"}
    )
