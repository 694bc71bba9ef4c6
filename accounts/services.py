from django.db import IntegrityError, transaction

from accounts import limits
from accounts.models import Signup
from accounts.signals import UsernameLooksTaken


class SignupLimited(Exception):
    pass


class UsernameTaken(Exception):
    """The name, or one that looks the same, was taken a moment ago by another sign-up."""


def signup(*, form, ip: str):
    """Creates the account of a valid sign-up form, within the per-address limit."""
    try:
        with transaction.atomic():
            if limits.signup_refused(ip=ip):
                raise SignupLimited
            user = form.save()
            Signup.objects.create(ip=ip)
    except (IntegrityError, UsernameLooksTaken) as error:
        raise UsernameTaken from error
    return user
