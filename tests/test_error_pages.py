import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/no-such-page/", "/favicon.ico", "/w/not-a-uuid/"])
def test_an_unknown_address_gets_the_friendly_404(client, make_user, path):
    for logged_in in (False, True):
        if logged_in:
            client.force_login(make_user("lead"))
        response = client.get(path)
        assert response.status_code == 404
        assert "Not found" in response.text
