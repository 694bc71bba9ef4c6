"""Hooks on Django's user model, the only place that sees every account made or renamed
(sign-up, `createsuperuser`, `create_user`, the admin) and every login."""

import time

from accounts import lifetimes
from accounts.models import UsernameSkeleton
from accounts.usernames import skeleton_digest


class UsernameLooksTaken(ValueError):
    pass


def _username_saved(update_fields) -> bool:
    return update_fields is None or "username" in update_fields


def refuse_look_alike_username(sender, instance, raw, update_fields, **kwargs):
    """Before a user is written: refuse a new or changed name that looks like a taken one.

    Sign-up says so in its form first; this holds the rule for the command line and the admin.
    """
    if raw or not _username_saved(update_fields):
        return
    digest = skeleton_digest(instance.username)
    own = UsernameSkeleton.objects.filter(user_id=instance.pk).first() if instance.pk else None
    if own is not None and own.digest in (None, digest):
        return
    if UsernameSkeleton.objects.filter(digest=digest).exists():
        raise UsernameLooksTaken(f"The username {instance.username!r} looks the same as an existing one.")


def record_username_skeleton(sender, instance, raw, update_fields, **kwargs):
    """After a user is written: store its name's skeleton (the unique index settles a race)."""
    if raw or not _username_saved(update_fields):
        return
    digest = skeleton_digest(instance.username)
    own = UsernameSkeleton.objects.filter(user=instance).first()
    if own is None:
        UsernameSkeleton.objects.create(user=instance, digest=digest)
    # An account that looked like an older one before this rule keeps its empty skeleton.
    elif own.digest not in (None, digest):
        own.digest = digest
        own.save(update_fields=["digest"])


def start_session_clock(sender, request, user, **kwargs):
    lifetimes.start(request.session, time.time())
