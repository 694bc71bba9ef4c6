"""Admins edit frameworks through the Django admin, which validates what they enter."""

import pytest
from django.urls import reverse

from frameworks.models import Element, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def element_form(element, **changes):
    data = {
        "framework": element.framework_id,
        "parent": element.parent_id or "",
        "code": element.code,
        "name": element.name,
        "description": element.description,
        "essential": "on" if element.essential else "",
        "orientation": element.orientation,
        "position": element.position,
        "guidance-TOTAL_FORMS": "0",
        "guidance-INITIAL_FORMS": "0",
        "crosswalks_out-TOTAL_FORMS": "0",
        "crosswalks_out-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_admin_pages_open(admin_client):
    framework = Framework.objects.get(slug="pragmatic")
    assert admin_client.get(reverse("admin:frameworks_framework_change", args=[framework.pk])).status_code == 200
    element = Element.objects.get(framework=framework, code="launch")
    assert admin_client.get(reverse("admin:frameworks_element_change", args=[element.pk])).status_code == 200
    assert admin_client.get(reverse("admin:frameworks_crosswalk_changelist")).status_code == 200


def test_admin_edit_is_saved(admin_client):
    element = Element.objects.get(framework__slug="read", code="launch")
    url = reverse("admin:frameworks_element_change", args=[element.pk])
    response = admin_client.post(url, element_form(element, description="Our reading of launch."))
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    element.refresh_from_db()
    assert element.description == "Our reading of launch."


def test_an_element_cannot_be_placed_inside_an_item(admin_client):
    item = Element.objects.filter(framework__slug="read", parent__isnull=False).first()
    category = Element.objects.get(framework__slug="read", code="roadmap")
    url = reverse("admin:frameworks_element_change", args=[category.pk])
    response = admin_client.post(url, element_form(category, parent=item.pk))
    assert response.status_code == 200
    category.refresh_from_db()
    assert category.parent is None


def test_a_duplicate_code_is_refused(admin_client):
    element = Element.objects.get(framework__slug="read", code="launch")
    url = reverse("admin:frameworks_element_change", args=[element.pk])
    response = admin_client.post(url, element_form(element, code="strategy"))
    assert response.status_code == 200
    assert "already exists" in response.text
    element.refresh_from_db()
    assert element.code == "launch"


def test_guidance_with_two_accountable_archetypes_is_refused(admin_client):
    element = Element.objects.get(framework__slug="pma", parent__isnull=True, code="value")
    element.guidance.all().delete()
    url = reverse("admin:frameworks_element_change", args=[element.pk])
    from frameworks.models import Archetype

    pm, pmm = Archetype.objects.get(slug="pm"), Archetype.objects.get(slug="pmm")
    data = element_form(element)
    data.update(
        {
            "guidance-TOTAL_FORMS": "2",
            "guidance-0-archetype": pm.pk,
            "guidance-0-letters": "A",
            "guidance-1-archetype": pmm.pk,
            "guidance-1-letters": "A/R",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Only one archetype can be accountable" in response.text
    assert not element.guidance.exists()


def test_guidance_letters_are_limited_to_raci(admin_client):
    element = Element.objects.get(framework__slug="read", code="launch")
    from frameworks.models import Archetype

    data = element_form(element)
    data.update(
        {
            "guidance-TOTAL_FORMS": "1",
            "guidance-0-archetype": Archetype.objects.get(slug="sales").pk,
            "guidance-0-letters": "X",
        }
    )
    response = admin_client.post(reverse("admin:frameworks_element_change", args=[element.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_non_staff_cannot_open_the_admin(client, make_user):
    client.force_login(make_user("dana"))
    response = client.get(reverse("admin:frameworks_framework_changelist"))
    assert response.status_code == 302
