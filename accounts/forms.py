from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from accounts.models import LoginFailure
from pmmhub.addresses import client_address

WINDOW = timedelta(minutes=15)
FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 20


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to try once a username or an address failed too often."""

    def clean(self):
        ip = client_address(self.request) if self.request else "0.0.0.0"
        username = (self.data.get("username") or "")[:150].casefold()
        since = timezone.now() - WINDOW
        recent = LoginFailure.objects.filter(at__gte=since)
        if (
            recent.filter(username=username).count() >= FAILURES_PER_USERNAME
            or recent.filter(ip=ip).count() >= FAILURES_PER_ADDRESS
        ):
            raise forms.ValidationError(
                "Too many failed logins. Wait 15 minutes and try again.", code="throttled"
            )
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(ip=ip, username=username)
            raise
