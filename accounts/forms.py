from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts import limits
from accounts.models import UsernameSkeleton
from accounts.usernames import skeleton_digest
from pmmhub.addresses import client_address


class _ThrottledLogin:
    """Refuses to try a password once the username or the address failed too often.

    Shared by the app's login and the admin's, so both spend and honour the same budget.
    The username is counted as `usernames.login_key`, and only once the field accepted it
    (a NUL byte or an oversized name gets the field's message and spends nothing).
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or "password" not in self.cleaned_data:
            return self.cleaned_data
        ip = client_address(self.request) if self.request else "0.0.0.0"
        if limits.login_refused(username=username, ip=ip):
            raise forms.ValidationError(
                "Too many failed logins. Wait 15 minutes and try again.", code="throttled"
            )
        try:
            return super().clean()
        except forms.ValidationError:
            limits.login_failed(username=username, ip=ip)
            raise


class ThrottledAuthenticationForm(_ThrottledLogin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(_ThrottledLogin, AdminAuthenticationForm):
    pass


class SignupForm(UserCreationForm):
    """Django's sign-up form, refusing a name that looks like a taken one (`dаve`, `ｄave`)."""

    error_messages = {
        **UserCreationForm.error_messages,
        "looks_taken": "That username looks the same as an existing one. Choose another.",
    }

    def clean_username(self):
        username = super().clean_username()  # None once it said "already exists"
        if username is not None and UsernameSkeleton.objects.filter(digest=skeleton_digest(username)).exists():
            raise forms.ValidationError(self.error_messages["looks_taken"], code="looks_taken")
        return username
