import pytest
from django.contrib.auth import get_user_model

from frameworks.services import load_library

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped library once into the test database; each test rolls back its changes."""
    with django_db_blocker.unblock():
        report = load_library()
        assert not report.problems, report.problems


@pytest.fixture(autouse=True)
def empty_cache():
    """Rendered fragments (and sessions checked a moment ago) must not leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; tests need logins, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def live_library(transactional_db):
    """Transactional tests (browser, concurrency) see flushed tables: load the library again."""
    report = load_library()
    assert not report.problems, report.problems
    return report


@pytest.fixture
def make_user(db):
    def make(username, **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def personas(make_user):
    """owner, editor, viewer (members at each level) and outsider (a user who is not)."""
    return {name: make_user(name) for name in ["owner", "editor", "viewer", "outsider"]}


@pytest.fixture
def as_persona(client, personas):
    def login(name):
        if name != "anonymous":
            client.login(username=name, password=PASSWORD)
        return client

    return login
