from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from frameworks.models import Archetype, Element
from responsibilities import services
from responsibilities.formats import WorkspaceData
from responsibilities.models import Workspace
from responsibilities.selectors import read_workspace_file
from responsibilities.starters import starter_for

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "pmmhub-demo-login"
DEMO_WORKSPACE = "Demo: scale-up product org"

# The demo workspace has a past, so its Snapshots page and a comparison show something: two
# quarterly reviews before it reached the scale-up starter's matrix (where it is now). Each
# review is the starter with what the team had not done yet: roles and activities it did not
# have, and letters it had not settled (rows with no A, or two).
REVIEWS = [
    (
        "Q2 2026 review",
        {
            "roles": ["Customer Success"],
            "activities": ["Go-to-market strategy", "Sales enablement", "Customer retention and advocacy", "Marketing metrics"],
            "letters": {
                ("Competitive intelligence", "Product Manager"): "A/R",
                ("Competitive intelligence", "Product Marketing"): "R",
                ("Pricing and packaging", "Product Marketing"): "R",
                ("Launches", "Marketing"): "A/R",
                ("Web site", "Product Marketing"): "",
                ("Demand generation programs", "Product Marketing"): "C",
            },
        },
    ),
    (
        "Q3 2026 review",
        {
            "roles": [],
            "activities": ["Sales enablement", "Marketing metrics"],
            "letters": {
                ("Web site", "Product Marketing"): "",
                ("Demand generation programs", "Product Marketing"): "C",
            },
        },
    ),
]


# The team behind the demo's matrix, so its Staffing page compares the hours with people (Dev
# covers product management and product marketing: half a person in each, and a finding).
DEMO_PEOPLE = [
    ("Ana Lopez", ["Product Manager"]),
    ("Dev Patel", ["Product Manager", "Product Marketing"]),
    ("Chloé Martin", ["Product Marketing"]),
    ("Emma Berg", ["Marketing"]),
    ("Farid Haddad", ["Marketing"]),
    ("Grace Kim", ["Sales"]),
    ("Ines Costa", ["Customer Success"]),
    ("Hugo Silva", ["Leadership"]),
]


class Command(BaseCommand):
    help = (
        "Create the demo login (demo / pmmhub-demo-login, also an admin) and the demo workspace, "
        "once. Local development only: refuses to run unless DJANGO_DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo creates a well-known password; run it only with DJANGO_DEBUG=1.")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"Created the demo login {DEMO_USERNAME} / {DEMO_PASSWORD}")
        else:
            self.stdout.write(f"The demo login {DEMO_USERNAME} already exists (password unchanged)")
        if Workspace.objects.filter(name__iexact=DEMO_WORKSPACE).exists():
            self.stdout.write(f"The demo workspace {DEMO_WORKSPACE!r} already exists")
            return
        starter = starter_for("scale-up", "b2b")
        now, errors = read_workspace_file(starter.read_bytes(), starter.name)
        if errors:
            raise CommandError(f"The starter {starter.name} is broken: {errors[0]}")
        (first_label, first), *later = [(label, earlier(now, **undone)) for label, undone in REVIEWS]
        workspace = services.workspace_import(data=first, name=DEMO_WORKSPACE, owner=user).workspace
        services.snapshot_take(workspace=workspace, by=user, label=first_label)
        for label, state in later:
            bring_to(workspace, state, by=user)
            services.snapshot_take(workspace=workspace, by=user, label=label)
        bring_to(workspace, now, by=user)
        roles = {role.name: role for role in workspace.roles.all()}
        for name, held in DEMO_PEOPLE:
            services.person_save(workspace=workspace, name=name, roles=[roles[role] for role in held], by=user)
        self.stdout.write(
            f"Created the demo workspace {DEMO_WORKSPACE!r} from the scale-up starter, "
            f"with snapshots of its earlier reviews: {', '.join(label for label, _ in REVIEWS)}"
        )


def earlier(now: WorkspaceData, *, roles, activities, letters) -> WorkspaceData:
    """`now` without the roles and activities named, and with other letters in these (activity,
    role) cells ("" for none)."""
    def row(activity):
        cells = ((role, letters.get((activity.name, role), held)) for role, held in activity.raci if role not in roles)
        return replace(activity, raci=tuple((role, held) for role, held in cells if held))

    return replace(
        now,
        roles=tuple(role for role in now.roles if role.name not in roles),
        activities=tuple(row(activity) for activity in now.activities if activity.name not in activities),
    )


def bring_to(workspace: Workspace, state: WorkspaceData, *, by):
    """Bring the workspace forward to `state`, a later review (which only adds roles and
    activities), through the services a team uses day to day, so its history reads like work done."""
    archetypes = {archetype.slug: archetype for archetype in Archetype.objects.all()}
    elements = {element.reference: element for element in Element.objects.select_related("framework")}
    roles = {role.name: role for role in workspace.roles.all()}
    for role in state.roles:
        if role.name not in roles:
            roles[role.name] = services.role_add(workspace=workspace, name=role.name, archetype=archetypes[role.archetype], by=by)
    activities = {activity.name: activity for activity in workspace.activities.all()}
    for wanted in state.activities:
        activity = activities.get(wanted.name)
        if activity is None:
            activity = services.activity_add(workspace=workspace, name=wanted.name, by=by)
            services.activity_map(activity=activity, elements=[elements[ref] for ref in wanted.elements], by=by)
            if wanted.hours is not None:
                services.activity_hours_set(activity=activity, hours=Decimal(str(wanted.hours)), by=by)
        held = dict(activity.assignments.values_list("role__name", "letters"))
        for role, letters in {**{role: "" for role in held}, **dict(wanted.raci)}.items():
            if held.get(role, "") != letters:
                services.assignment_set(activity=activity, role=roles[role], letters=letters, expected=None, by=by)
