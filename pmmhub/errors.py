"""The 400 answer (handler400): it says why when a request was too large to read, or when a
view refused it with a BadRequest of its own."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from responsibilities.formats import megabytes
from responsibilities.views import import_refused


@requires_csrf_token
def bad_request(request, exception):
    problem = ""
    if isinstance(exception, RequestDataTooBig):
        sent = int(request.META.get("CONTENT_LENGTH") or 0)
        problem = f"What was sent is {megabytes(sent)}; a form takes at most {megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}."
    elif isinstance(exception, TooManyFieldsSent):
        problem = f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields."
    elif type(exception) is BadRequest:  # ours, worded for people (never a refused Host: that names it)
        problem = str(exception)
    if problem and request.path == reverse("workspaces:import") and request.user.is_authenticated:
        return import_refused(request, f"{problem} Upload the table as a file instead of pasting it.")
    return render(request, "400.html", {"problem": problem}, status=400)
