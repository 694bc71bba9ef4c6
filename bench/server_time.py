"""Server time of the matrix page and a cell update, in process (no network), on the configured DB.

Run through bench/run, which starts a throwaway PostgreSQL. For each size it builds a
workspace of N activities x 12 roles (each activity mapped to two elements, a third of
the cells filled), then times repeated requests through Django's test client: that is the
time the app server spends (URL routing, views, queries, templates), without the network.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmmhub.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from frameworks.models import Archetype, Element, Framework  # noqa: E402
from workshops.views import poll_token  # noqa: E402
from responsibilities.models import Activity, Assignment, Membership, Role, Workspace  # noqa: E402

ROLES = 12
LETTERS = ["R", "A", "A/R", "C", "I"]


def build(size: int, user) -> Workspace:
    name = f"Bench {size}"
    Workspace.objects.filter(name=name).delete()
    workspace = Workspace.objects.create(name=name, primary_framework=Framework.objects.get(slug="read"))
    Membership.objects.create(workspace=workspace, user=user, level="owner")
    archetypes = list(Archetype.objects.all())
    roles = Role.objects.bulk_create(
        Role(workspace=workspace, name=f"Role {i}", archetype=archetypes[i % len(archetypes)], position=i)
        for i in range(ROLES)
    )
    activities = Activity.objects.bulk_create(
        Activity(workspace=workspace, name=f"Activity {i}", position=i) for i in range(size)
    )
    elements = list(Element.objects.filter(framework__slug__in=["read", "five-categories"]))
    Mapping = Activity.elements.through
    Mapping.objects.bulk_create(
        Mapping(activity_id=a.pk, element_id=elements[(i * 7 + k) % len(elements)].pk)
        for i, a in enumerate(activities) for k in range(2)
    )
    Assignment.objects.bulk_create(
        Assignment(activity=a, role=r, letters=LETTERS[(i + j) % len(LETTERS)])
        for i, a in enumerate(activities) for j, r in enumerate(roles) if (i + j) % 3 == 0
    )
    return workspace


class QueryCounter:
    """Counts the queries one call makes (the connection may be closed and reopened per request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def queries_of(call) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        call()
    return counter.count


def cold_queries_of(call) -> int:
    """Queries of a request that finds no rendered fragment in the cache (the most it makes)."""
    cache.clear()
    return queries_of(call)


def timed(call, repeat: int) -> list[float]:
    call()  # warm caches and the template loader
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 204, 302), response.status_code
    return samples


def report(name: str, samples: list[float], queries: int, limit_ms: float | None = None):
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    verdict = "" if limit_ms is None else (" ok" if p50 < limit_ms else f" OVER {limit_ms:.0f} ms")
    print(f"{name:<24} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   queries {queries:3d}{verdict}")


def build_workshop(workspace, user, notes=200, participants=30):
    """A workshop of `notes` notes from `participants` people, a third sorted, some with owners."""
    from workshops import services as workshop_services
    from workshops.models import Note, NoteOwner, Participant

    roles = list(workspace.roles.order_by("position")[:6])
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="Bench workshop", framework=workspace.primary_framework, roles=roles, by=user
    )
    people = Participant.objects.bulk_create(
        Participant(workshop=workshop, name=f"Person {i}", role=roles[i % len(roles)]) for i in range(participants)
    )
    categories = list(workshop.framework.elements.filter(parent=None, excluded=False))
    created = Note.objects.bulk_create(
        Note(
            workshop=workshop, author=people[i % participants], text=f"Note {i}",
            kind="self" if i % 3 else "other", role=roles[i % len(roles)], share="own" if i % 3 else "",
            category=categories[i % len(categories)] if i % 3 == 0 else None, position=i,
        )
        for i in range(notes)
    )
    NoteOwner.objects.bulk_create(
        NoteOwner(note=note, role=roles[i % len(roles)], letters="A/R") for i, note in enumerate(created) if i % 3 == 0
    )
    workshop.refresh_from_db()
    return workshop


def main():
    quick = "--quick" in sys.argv
    repeat = 5 if quick else 30
    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    print(f"server time, {repeat} requests each, {ROLES} roles, database {connection.vendor}; "
          "queries counted with the fragment cache empty")
    counts = {}
    for size in (10, 300):
        workspace = build(size, user)
        matrix_url = reverse("workspaces:matrix", args=[workspace.public_id])
        matrix_queries = counts[("matrix", size)] = cold_queries_of(lambda: client.get(matrix_url))
        report(f"matrix-{size}", timed(lambda: client.get(matrix_url), repeat), matrix_queries,
               150 if size == 300 else None)

        dashboard_url = reverse("workspaces:dashboard", args=[workspace.public_id])
        dashboard_queries = counts[("dashboard", size)] = cold_queries_of(lambda: client.get(dashboard_url))
        report(f"dashboard-{size}", timed(lambda: client.get(dashboard_url), repeat), dashboard_queries,
               200 if size == 300 else None)

        activity = workspace.activities.order_by("position")[size // 2]
        role = workspace.roles.order_by("position")[ROLES // 2]
        cell_url = reverse("workspaces:cell", args=[workspace.public_id])
        state = {"held": Assignment.objects.filter(activity=activity, role=role).values_list("letters", flat=True).first() or ""}

        def cell_update():
            wanted = LETTERS[(LETTERS.index(state["held"]) + 1) % len(LETTERS)] if state["held"] else "R"
            response = client.post(
                cell_url, {"cell": f"{activity.public_id}:{role.public_id}:{wanted}:{state['held']}"},
                headers={"HX-Request": "true"},
            )
            state["held"] = wanted
            return response

        cell_queries = counts[("cell-update", size)] = cold_queries_of(cell_update)
        report(f"cell-update-{size}", timed(cell_update, repeat), cell_queries, 30 if size == 300 else None)

    for name in ("matrix", "dashboard", "cell-update"):
        same = counts[(name, 10)] == counts[(name, 300)]
        print(f"queries {name}: {counts[(name, 10)]} at 10 activities, {counts[(name, 300)]} at 300"
              f"{'' if same else '   GROWS'}")

    # The first visit to a large workspace, or any visit after a change, finds no rendered
    # fragment: time the 1,000-activity matrix with the fragment cache emptied before each request.
    large = build(1000, user)
    large_url = reverse("workspaces:matrix", args=[large.public_id])

    def matrix_uncached():
        cache.clear()
        return client.get(large_url)

    report("matrix-1000-uncached", timed(matrix_uncached, repeat), cold_queries_of(lambda: client.get(large_url)), 60)

    workshop = build_workshop(workspace, user)
    board_url = reverse("workshop:board", args=[workspace.public_id, workshop.public_id])
    poll_url = reverse("workshop:board_poll", args=[workspace.public_id, workshop.public_id]) + f"?v={workshop.version}&t={poll_token(workshop)}"
    report("workshop-board-200", timed(lambda: client.get(board_url), repeat), queries_of(lambda: client.get(board_url)), 150)
    report("workshop-poll-unchanged", timed(lambda: client.get(poll_url), repeat), queries_of(lambda: client.get(poll_url)), 10)


if __name__ == "__main__":
    main()
