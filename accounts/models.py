from django.db import models


class LoginFailure(models.Model):
    """A failed login, kept in the database so the limit holds across app-server processes."""

    ip = models.GenericIPAddressField()
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["ip", "at"])]
