"""How long a login lasts: an idle timeout and an absolute lifetime (ASVS 3.3.2, level 2).

A login's session carries two times (seconds since the epoch): when it started and when
the browser was last seen. Any request counts as activity, so an open page that polls (the
workshop board on a projector) stays logged in; the last-seen time is written at most once
a minute, so a polling page does not cost a database write per request.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_KEY

STARTED = "accounts_started"
SEEN = "accounts_seen"
RECORD_EVERY = 60  # seconds


def idle_timeout() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def max_lifetime() -> int:
    return settings.SESSION_MAX_HOURS * 60 * 60


def start(session, now: float) -> None:
    session[STARTED] = session[SEEN] = int(now)


def ends_at(session) -> float:
    """When the session ends if the browser is not seen again."""
    return min(session[SEEN] + idle_timeout(), session[STARTED] + max_lifetime())


def visit(session, now: float) -> bool:
    """Counts a request as activity; False when the login has ended (idle or too old).

    A session without a user (a workshop participant's) has no clock. A logged-in session
    without one predates these limits (or was made without logging in): its clock starts now.
    """
    if USER_KEY not in session:
        return True
    if STARTED not in session or SEEN not in session:
        start(session, now)
    if now >= ends_at(session):
        return False
    if now - session[SEEN] >= RECORD_EVERY:
        session[SEEN] = int(now)
    return True


def quiet_for(session, now: float) -> float:
    """How long, after a visit, the next request can skip this check: a minute, or less if
    the login ends sooner."""
    if USER_KEY not in session:
        return RECORD_EVERY
    return min(RECORD_EVERY, ends_at(session) - now)
