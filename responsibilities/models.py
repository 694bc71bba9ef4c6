import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.db.models.functions import Lower
from django.urls import reverse

from frameworks import letters
from frameworks.models import Archetype, Element, Framework


class Workspace(models.Model):
    class Size(models.TextChoices):
        STARTUP = "startup", "Startup"
        SCALE_UP = "scale-up", "Scale-up"
        ENTERPRISE = "enterprise", "Enterprise"

    class Market(models.TextChoices):
        B2B = "b2b", "B2B"
        B2C = "b2c", "B2C"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Names are unique across pmmhub (case-insensitive) because the command line opens a
    # workspace by its name.
    name = models.CharField(max_length=120)
    size = models.CharField(max_length=12, choices=Size.choices, default=Size.STARTUP)
    market = models.CharField(max_length=4, choices=Market.choices, default=Market.B2B)
    primary_framework = models.ForeignKey(
        Framework, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Hours one person gives the work per month: staffing divides an archetype's hours by it.
    fte_hours = models.DecimalField(
        "hours per person per month", max_digits=5, decimal_places=2, default=Decimal("140"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("744"))],
        help_text="What one full-time person gives this work in a month (140 by default; a month has at most 744 hours).",
    )
    # Bumped by every write to the workspace: cheap "has anything changed?" checks.
    version = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="workspace_name_unique_ci"),
            models.CheckConstraint(condition=models.Q(fte_hours__gte=1, fte_hours__lte=744), name="workspace_fte_hours_in_a_month"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workspaces:matrix", args=[self.public_id])


class Membership(models.Model):
    class Level(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    level = models.CharField(max_length=6, choices=Level.choices, default=Level.VIEWER)

    class Meta:
        ordering = ["workspace", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_per_user")
        ]

    def __str__(self):
        return f"{self.user} is {self.level} of {self.workspace}"

    @property
    def can_edit(self) -> bool:
        return self.level in (self.Level.OWNER, self.Level.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.level == self.Level.OWNER


class Invitation(models.Model):
    """A single-use link that makes whoever accepts it (logged in) a member at the given level."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=43, unique=True)
    level = models.CharField(max_length=6, choices=Membership.Level.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_valid(self) -> bool:
        return self.expires_at > timezone.now()


class Role(models.Model):
    """The team's own name for a role ("Corp Marketing"), with the archetype it plays."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="roles")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80)
    archetype = models.ForeignKey(Archetype, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="role_name_unique_in_workspace")
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="people")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80)
    roles = models.ManyToManyField(Role, related_name="people", blank=True)

    class Meta:
        ordering = [Lower("name")]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="person_name_unique_in_workspace")
        ]

    def __str__(self):
        return self.name


class Activity(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="activities")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    # The team's own grouping from its sheet ("Pre-launch", "Phase 2: Launch"), kept as given.
    group = models.CharField(max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)
    elements = models.ManyToManyField(Element, related_name="activities", blank=True)
    # Effort per month, all roles together; empty when nobody has sized it (staffing skips it).
    hours = models.DecimalField(
        "hours per month", max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99999.99"))],
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("name"), name="activity_name_unique_in_workspace"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gte=0), name="activity_hours_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """One cell of the RACI matrix; no row means the role is not involved."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="assignments")
    letters = models.CharField(max_length=3, choices=letters.CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "role"], name="assignment_unique_cell"),
            # Not involved is no row: the matrix's writes rely on it.
            models.CheckConstraint(condition=~models.Q(letters=""), name="assignment_letters_not_empty"),
        ]

    def __str__(self):
        return f"{self.activity} / {self.role}: {self.letters}"


class Assessment(models.Model):
    """How much an element of a framework matters to the team, and how well it is done now
    (1–5 each): staffing ranks where to invest by them."""

    SCALE = [MinValueValidator(1), MaxValueValidator(5)]

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="assessments")
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="+")
    importance = models.PositiveSmallIntegerField(validators=SCALE)
    performance = models.PositiveSmallIntegerField(validators=SCALE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "element"], name="assessment_unique_per_element"),
            models.CheckConstraint(
                condition=models.Q(importance__gte=1, importance__lte=5, performance__gte=1, performance__lte=5),
                name="assessment_on_the_scale",
            ),
        ]

    def __str__(self):
        return f"{self.element}: importance {self.importance}, performance {self.performance}"


class Change(models.Model):
    """One change to a workspace: who, when, what, before and after.

    Written only by `services.workspace_change`, which numbers each change with the workspace
    version it produced. Kept when what it is about is deleted: the activity is then known by
    its public id and name, and a deletion keeps a snapshot to restore it from.
    """

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", "Letters"
        MAPPING = "mapping", "Mapping"
        ACTIVITY = "activity", "Activity"
        ROLE = "role", "Role"
        PERSON = "person", "Person"
        MEMBER = "member", "Member"
        SETTINGS = "settings", "Settings"
        IMPORT = "import", "Import"
        WORKSHOP = "workshop", "Workshop"
        SNAPSHOT = "snapshot", "Snapshot"
        ASSESSMENT = "assessment", "Assessment"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="changes")
    # The workspace version this change produced: "what changed since I loaded the page" is
    # every change above the version the page was loaded at.
    version = models.PositiveBigIntegerField(default=0)
    # What it is about, as a stable key ("activity:<uuid>", "role:<uuid>", "workspace"): a form
    # loaded at version V is stale when a change above V has its key.
    target = models.CharField(max_length=60, blank=True, db_index=True)
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    activity_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    activity_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept as text so the history still reads right after a role or element is deleted.
    subject = models.CharField(max_length=300)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    # What a deletion took with it (or a replaced workspace's document), to restore it from.
    snapshot = models.JSONField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Changes made together (e.g. "accept all suggestions") share a batch, so they can be undone together.
    batch = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["workspace", "version"], name="change_workspace_version")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"


class Snapshot(models.Model):
    """A frozen, labelled copy of a workspace: its document and, per framework, the coverage
    and findings at that moment (responsibilities.comparison says what `content` holds).
    Written only by the snapshot services; never changed once taken."""

    class Reason(models.TextChoices):
        MANUAL = "manual", "Taken by hand"
        IMPORT = "import", "Before a replace import"
        WORKSHOP = "workshop", "Before a workshop commit"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="snapshots")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(max_length=80)
    reason = models.CharField(max_length=8, choices=Reason.choices, default=Reason.MANUAL)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveBigIntegerField()  # the workspace version it copies
    activity_count = models.PositiveIntegerField(default=0)
    role_count = models.PositiveIntegerField(default=0)
    # Framework slug -> covered percent: the list and the chart read this, never `content`.
    coverage = models.JSONField(default=dict)
    content = models.JSONField()

    class Meta:
        ordering = ["taken_at", "id"]
        constraints = [
            models.UniqueConstraint("workspace", Lower("label"), name="snapshot_label_unique_in_workspace")
        ]
        indexes = [models.Index(fields=["workspace", "taken_at"], name="snapshot_workspace_taken")]

    def __str__(self):
        return self.label


class PendingImport(models.Model):
    """A web import between its preview and its confirm: the parsed, validated workspace as a
    workspace document, kept in the database (any app-server process can confirm it) for the
    user who previewed it. The confirm form carries only the token. Confirming records the
    workspace and drops the document; rows older than PENDING_IMPORT_HOURS are purged when
    the next preview is made."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    filename = models.CharField(max_length=255)
    document = models.JSONField(null=True)  # None once imported
    workspace = models.ForeignKey(Workspace, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.filename} ({self.user})"
