"""Workspace pages and exports cite publications, never the research notes' word or file names."""

import pytest
from django.urls import reverse

from frameworks.models import Framework
from responsibilities import services
from tests.frameworks.test_citations import UNCITABLE

pytestmark = pytest.mark.django_db


def pages(workspace):
    w = workspace.public_id
    activity = workspace.activities.first()
    return {
        "matrix": reverse("workspaces:matrix", args=[w]),
        "activities": reverse("workspaces:activities", args=[w]),
        "activity": reverse("workspaces:activity", args=[w, activity.public_id]),
        "activity_mapping": reverse("workspaces:activity_mapping", args=[w, activity.public_id]) + "?q=launch",
        "mapping": reverse("workspaces:mapping", args=[w]) + "?framework=five-categories",
        "lens": reverse("workspaces:lens", args=[w]) + "?framework=five-categories",
        "team": reverse("workspaces:team", args=[w]),
        "members": reverse("workspaces:members", args=[w]),
        "settings": reverse("workspaces:settings", args=[w]),
        "workshops": reverse("workshop:list", args=[w]),
        "dashboard": reverse("workspaces:dashboard", args=[w]),
        "roles_document": reverse("workspaces:roles_document", args=[w]),
        "roles_document_md": reverse("workspaces:roles_document", args=[w]) + "?format=md",
        "activities_csv": reverse("workspaces:activities", args=[w]) + "?export=csv",
        "staffing": reverse("workspaces:staffing", args=[w]),
        **{f"staffing_{fmt}": reverse("workspaces:staffing_download", args=[w, fmt]) for fmt in ["md", "csv"]},
        **{f"export_{fmt}": reverse("workspaces:export", args=[w, fmt]) for fmt in ["yaml", "json", "csv", "md"]},
    }


NAMES = [
    "matrix", "activities", "activity", "activity_mapping", "mapping", "lens", "team", "members", "settings",
    "workshops", "dashboard", "roles_document", "roles_document_md", "activities_csv",
    "staffing", "staffing_md", "staffing_csv",
    "export_yaml", "export_json", "export_csv", "export_md",
]


@pytest.fixture(params=["startup", "scale-up", "enterprise"])
def starter_workspace(request, personas):
    """A starter, plus what raises the findings that cite most: an unmapped activity, one person
    holding both a PM and a PMM role."""
    workspace = services.workspace_create_from_starter(
        name=f"Acme {request.param}", owner=personas["owner"], size=request.param, market="b2b",
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    services.activity_add(workspace=workspace, name="Quarterly offsite")
    both = [workspace.roles.filter(archetype__slug=slug).first() for slug in ("pm", "pmm")]
    services.person_save(workspace=workspace, name="Dana", roles=both)
    return workspace


@pytest.mark.parametrize("name", NAMES)
def test_workspace_pages_and_exports_never_say_seed(as_persona, starter_workspace, name):
    client = as_persona("owner")
    urls = pages(starter_workspace)
    assert sorted(urls) == sorted(NAMES)
    response = client.get(urls[name])
    assert response.status_code == 200
    text = b"".join(response) if response.streaming else response.content
    assert not UNCITABLE.findall(text.decode("utf-8", "replace"))


def test_the_home_new_workspace_and_import_pages_never_say_seed(client, as_persona):
    assert not UNCITABLE.findall(client.get(reverse("home")).text)
    client = as_persona("owner")
    for url in [reverse("workspaces:list"), reverse("workspaces:import")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not UNCITABLE.findall(response.text), url
