from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import limits, services
from accounts.forms import LOOKS_TAKEN, SignupForm
from frameworks.selectors import framework_list
from pmmhub.addresses import client_address

SIGNUP_LIMITED = "Too many accounts were made from your network in the last hour. Try again later."


def home(request):
    if request.user.is_authenticated:
        return redirect("workspaces:list")
    return render(request, "home.html", {"frameworks": framework_list()})


def _local_next(request) -> str:
    """`next` if it is a path on this site, else "" (a name like `abc` is not a path; a
    control character would not survive a Location header)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith("/") and next_url.isprintable() and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _local_next(request)
    after = HttpResponseRedirect(next_url or reverse("home"))
    if request.user.is_authenticated:
        return after
    ip = client_address(request)
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url}
    try:
        if limits.signup_refused(ip=ip):
            raise services.SignupLimited
        if request.method == "POST" and form.is_valid():
            user = services.signup(form=form, ip=ip)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return after
    except services.SignupLimited:
        return render(request, "registration/signup.html", {**context, "limited": SIGNUP_LIMITED}, status=429)
    except services.UsernameTaken:
        form.add_error("username", LOOKS_TAKEN)
    return render(request, "registration/signup.html", context)
