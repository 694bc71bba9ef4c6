from django.db import IntegrityError, transaction

from accounts import limits
from accounts.signals import UsernameLooksTaken


class SignupLimited(Exception):
    pass


class UsernameTaken(Exception):
    """The name, or one that looks the same, was taken a moment ago by another sign-up."""


def signup(*, form, ip: str):
    """Creates the account of a valid sign-up form, within the per-address limit."""
    # Outside the account's transaction, so sign-ups sent at the same moment see each other's slot.
    slot = limits.signup_slot(ip=ip)
    if slot is None:
        raise SignupLimited
    try:
        with transaction.atomic():
            user = form.save()
    except (IntegrityError, UsernameLooksTaken) as error:
        slot.delete()
        raise UsernameTaken from error
    return user
