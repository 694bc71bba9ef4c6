import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts import lifetimes

# Sessions this process checked within the last minute and found open for at least that
# long: their requests skip loading the session here, so the workshop board's unchanged
# poll (which needs no session at all) stays one query. It never lets anyone in: the view
# still loads the session, and a session ended elsewhere (logout) has no user.
_recently_checked = caches["session-checks"]


def session_lifetime(get_response):
    """Ends a login that was idle too long or is too old, and sends the browser to log in."""

    def middleware(request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        # Django's keys are letters and digits; anything else is no session (pmmhub.sessions).
        if session_key.isascii() and session_key.isalnum() and _recently_checked.get(session_key) is None:
            now = time.time()
            if not lifetimes.visit(request.session, now):
                logout(request)
                messages.info(request, "You were logged out: your session ended. Log in again to go on.")
                if request.path != resolve_url(settings.LOGIN_URL):
                    return _to_login(request)
            if request.session.session_key is not None:  # not a made-up cookie
                _recently_checked.set(session_key, True, lifetimes.quiet_for(request.session, now))
        response = get_response(request)
        if request.htmx and response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?"):
            return _to_login(request)
        return response

    return middleware


def _to_login(request):
    """The login page, coming back here after; for htmx a full-page redirect (`HX-Redirect`)
    to it and back to the page the request came from, not a login form swapped into a cell."""
    if request.htmx:
        return HttpResponseClientRedirect(redirect_to_login(request.htmx.current_url_abs_path or "/").url)
    return redirect_to_login(request.get_full_path())


def no_store(get_response):
    """`Cache-Control: no-store` on every response to a browser with a session (a login or a
    workshop participant) and on every download; public pages to strangers stay cacheable."""

    def middleware(request):
        response = get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.get("Content-Disposition", "").startswith(
            "attachment"
        ):
            add_never_cache_headers(response)
        return response

    return middleware
