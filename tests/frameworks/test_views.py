import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from frameworks.models import Element, Framework

pytestmark = pytest.mark.django_db


def test_list_shows_all_six_frameworks_with_their_sources(client):
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 200
    for framework in Framework.objects.all():
        assert framework.title in response.text
        assert escape(framework.source_author) in response.text
    assert "Crispin Read" in response.text and ".txt" not in response.text


def test_list_needs_no_login_and_says_when_empty(client):
    Framework.objects.all().delete()
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 200
    assert "No frameworks loaded yet" in response.text


def test_detail_shows_the_tree_guidance_and_source(client):
    response = client.get(reverse("frameworks:detail", args=["pragmatic"]))
    assert response.status_code == 200
    text = response.text
    for name in ["Market Problems", "Buy Build or Partner", "Stakeholder Communications", "Channel Training"]:
        assert name in text
    assert "Pragmatic Institute" in text and ".txt" not in text
    assert 'class="letters-AR">A/R</td>' in text
    assert "essential" in text and "outbound" in text


def test_detail_escapes_text_from_the_library(client):
    Element.objects.filter(framework__slug="read", code="launch").update(description="<script>alert(1)</script>")
    response = client.get(reverse("frameworks:detail", args=["read"]))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_an_alias_redirects_to_the_canonical_page(client):
    response = client.get(reverse("frameworks:detail", args=["kemp"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("frameworks:detail", args=["five-categories"])


def test_an_unknown_framework_is_404(client):
    response = client.get(reverse("frameworks:detail", args=["nope"]))
    assert response.status_code == 404
    assert "Not found" in response.text


def test_pages_refuse_writes(client):
    assert client.post(reverse("frameworks:list")).status_code == 405


@pytest.mark.parametrize("slug", ["read", "pragmatic", "five-categories"])
def test_detail_query_count_does_not_grow_with_the_framework(client, slug, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("frameworks:detail", args=[slug]))


def test_list_query_count_is_fixed(client, django_assert_num_queries):
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("frameworks:list"))
    Framework.objects.create(slug="extra", title="Extra", source_author="A", source_title="B", summary="C")
    with django_assert_num_queries(len(six)):
        client.get(reverse("frameworks:list"))


def test_crosswalk_shows_side_by_side_links(client):
    response = client.get(reverse("frameworks:crosswalk"), {"left": "read", "right": "pragmatic"})
    assert response.status_code == 200
    assert "Read" in response.text or "essential" in response.text.lower()
    rows = response.text
    assert "Positioning" in rows and "Launch" in rows
    assert "Equivalent" in rows


def test_crosswalk_shows_links_through_a_third_framework(client):
    response = client.get(reverse("frameworks:crosswalk"), {"left": "pma", "right": "five-categories"})
    assert response.status_code == 200
    assert "via " in response.text or "Related" in response.text


def test_crosswalk_htmx_request_gets_only_the_comparison(client):
    response = client.get(
        reverse("frameworks:crosswalk"), {"left": "read", "right": "pragmatic"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="comparison"')
    assert "<html" not in response.text


def test_crosswalk_of_a_framework_with_itself_says_so(client):
    response = client.get(reverse("frameworks:crosswalk"), {"left": "read", "right": "read"})
    assert "Choose two different frameworks" in response.text


def test_crosswalk_with_an_unknown_slug_says_so(client):
    response = client.get(reverse("frameworks:crosswalk"), {"left": "<script>", "right": "read"})
    assert response.status_code == 200
    assert "Choose two frameworks" in response.text
    assert "<script>" not in response.text.split('<section id="comparison"')[1]


def test_crosswalk_query_count_is_fixed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("frameworks:crosswalk"), {"left": "five-categories", "right": "pragmatic"})
