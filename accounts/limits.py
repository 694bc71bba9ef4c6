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


def login_attempt(*, username: str, ip: str) -> LoginFailure | None:
    """Records a login attempt as a failure before its password is checked, then counts: None
    (nothing kept) when that makes one too many for the username or the address.

    Recording first is what makes the limit hold for attempts sent at the same moment: each
    counts every attempt recorded before it, so at most the limit get their password checked.
    (Counting first let 12 of 30 simultaneous wrong passwords through a limit of 5.) A login
    that succeeds takes its record back (`login_succeeded`).
    """
    attempt = LoginFailure.objects.create(ip=ip, username=login_key(username))
    recent = LoginFailure.objects.filter(at__gte=timezone.now() - LOGIN_WINDOW)
    if (
        recent.filter(username=attempt.username).count() > FAILURES_PER_USERNAME
        or recent.filter(ip=ip).count() > FAILURES_PER_ADDRESS
    ):
        attempt.delete()
        return None
    return attempt


def login_succeeded(attempt: LoginFailure) -> None:
    attempt.delete()


def signup_refused(*, ip: str) -> bool:
    since = timezone.now() - SIGNUP_WINDOW
    return Signup.objects.filter(ip=ip, at__gte=since).count() >= SIGNUPS_PER_ADDRESS


def signup_slot(*, ip: str) -> Signup | None:
    """Records a sign-up before the account is made, then counts: None (nothing kept) when
    that makes one too many for the address. Recording first holds the limit for sign-ups
    sent at the same moment, as for logins."""
    slot = Signup.objects.create(ip=ip)
    if Signup.objects.filter(ip=ip, at__gte=timezone.now() - SIGNUP_WINDOW).count() > SIGNUPS_PER_ADDRESS:
        slot.delete()
        return None
    return slot
