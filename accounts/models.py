from django.conf import settings
from django.db import models


class LoginFailure(models.Model):
    """A failed login, kept in the database so the limit holds across app-server processes."""

    ip = models.GenericIPAddressField()
    # usernames.login_key of the name typed, so look-alike spellings share one budget.
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["ip", "at"])]


class Signup(models.Model):
    """An account created, kept so the per-address sign-up limit holds across processes."""

    ip = models.GenericIPAddressField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"])]


class UsernameSkeleton(models.Model):
    """What a user's name looks like (usernames.skeleton), as a digest with a unique index:
    a name that looks like a taken one is refused, even when two sign-ups race.

    A digest because NFKC and the skeleton can turn a 150-character name into thousands of
    characters, more than an index entry holds. Empty only for an account that already
    looked like an older one when this rule came in: it keeps working, the older one holds
    the look.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="username_skeleton"
    )
    digest = models.CharField(max_length=64, unique=True, null=True)
