"""Request checks that hold for every URL, before any view runs."""

from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import response_for_exception
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django_htmx.http import trigger_client_event


def refuse_unknown_hosts(get_response):
    """Outermost: a request for a host not in ALLOWED_HOSTS gets its 400 with the headers of
    every other page.

    Django refuses such a host inside the first middleware that asks for it (the HTTPS
    redirect, or CommonMiddleware), so the answer skipped the middlewares that add the
    Content-Security-Policy and X-Frame-Options headers. Asking first, here, and giving the
    answer to those same middlewares keeps one source for the headers.
    """
    header_middlewares = [
        SecurityMiddleware(get_response),
        XFrameOptionsMiddleware(get_response),
        ContentSecurityPolicyMiddleware(get_response),
    ]

    def middleware(request):
        try:
            request.get_host()
        except DisallowedHost as refused:
            response = response_for_exception(request, refused)
            for header_middleware in header_middlewares:
                response = header_middleware.process_response(request, response)
            return response
        return get_response(request)

    return middleware


def _nul_in(request) -> str | None:
    """Where a NUL character (U+0000) is in the request, or None.

    PostgreSQL cannot store NUL in text, and a query comparing against it fails: refusing
    it here keeps every form, filter and path parameter from answering 500 (or, on SQLite,
    from storing text no export can show).
    """
    if "\x00" in request.path_info:
        return "the address"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return f"the “{name.replace(chr(0), '')}” parameter"
    if request.method == "POST":
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return f"the “{name.replace(chr(0), '')}” field"
    return None


def refuse_nul_characters(get_response):
    def middleware(request):
        where = _nul_in(request)
        if where is None:
            return get_response(request)
        problem = (
            f"There is a NUL character (U+0000) in {where}. pmmhub does not accept it: "
            "remove it (it often comes from copying out of another program) and try again."
        )
        response = render(request, "400.html", {"problem": problem}, status=400)
        if request.headers.get("HX-Request"):
            # htmx swaps no 4xx answer: the page shows the message itself (pmmhub.js).
            trigger_client_event(response, "pmmhub:refused", {"message": problem})
        return response

    return middleware
