"""Limits on logins and sign-ups, counted in the database so they hold across app servers."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import LoginFailure, Signup
from accounts.usernames import login_key

LOGIN_WINDOW = timedelta(minutes=15)
FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 20

SIGNUP_WINDOW = timedelta(hours=1)
SIGNUPS_PER_ADDRESS = 5


def login_refused(*, username: str, ip: str) -> bool:
    recent = LoginFailure.objects.filter(at__gte=timezone.now() - LOGIN_WINDOW)
    return (
        recent.filter(username=login_key(username)).count() >= FAILURES_PER_USERNAME
        or recent.filter(ip=ip).count() >= FAILURES_PER_ADDRESS
    )


def login_failed(*, username: str, ip: str) -> None:
    LoginFailure.objects.create(ip=ip, username=login_key(username))


def signup_refused(*, ip: str) -> bool:
    since = timezone.now() - SIGNUP_WINDOW
    return Signup.objects.filter(ip=ip, at__gte=since).count() >= SIGNUPS_PER_ADDRESS
