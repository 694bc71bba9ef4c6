from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts import limits
from accounts.models import UsernameSkeleton
from accounts.usernames import skeleton_digest
from pmmhub.addresses import client_address


class _ThrottledLogin:
    """Refuses to try a password once the username or the address failed too often.

    Shared by the app's login and the admin's, so both spend and honour the same budget.
    The username is counted as `usernames.login_key`, and only once the fields accepted
    both (a NUL character gets the field's message, is never queried and spends nothing).
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or "password" not in self.cleaned_data:
            return self.cleaned_data
        ip = client_address(self.request) if self.request else "0.0.0.0"
        attempt = limits.login_attempt(username=username, ip=ip)
        if attempt is None:
            raise forms.ValidationError(
                "Too many failed logins. Wait 15 minutes and try again.", code="throttled"
            )
        cleaned = super().clean()  # a wrong password raises, and the attempt stays a failure
        limits.login_succeeded(attempt)
        return cleaned


class ThrottledAuthenticationForm(_ThrottledLogin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(_ThrottledLogin, AdminAuthenticationForm):
    pass


LOOKS_TAKEN = "That username looks the same as an existing one. Choose another."


class _RefusesLookAlikeNames:
    """Refuses a new or changed name that looks like a taken one (`dаve`, `ｄave`, `DAVE`
    beside `dave`), with a message; the unique index behind it settles a race."""

    def clean_username(self):
        parent = getattr(super(), "clean_username", None)
        username = parent() if parent else self.cleaned_data.get("username")  # None once "already exists"
        if username is None or "username" not in self.changed_data:
            return username
        taken = UsernameSkeleton.objects.filter(digest=skeleton_digest(username)).exclude(user_id=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(LOOKS_TAKEN, code="looks_taken")
        return username


class SignupForm(_RefusesLookAlikeNames, UserCreationForm):
    pass


class AdminUserCreationForm(_RefusesLookAlikeNames, auth_forms.AdminUserCreationForm):
    pass


class AdminUserChangeForm(_RefusesLookAlikeNames, auth_forms.UserChangeForm):
    pass
