"""A live role-definition workshop (the exercise in April Dunford's "How Do CMOs Define Product
Marketing?"): sticky notes sorted onto a framework.

Everything lives in the database, including the version that polling compares and the
join attempts that rate limiting counts, so several app-server processes behave as one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from frameworks import letters
from frameworks.models import Element, Framework
from responsibilities.models import Role, Workspace

# Join codes: KEY-SECRET. The key (3 characters) names the workshop, the secret (6) is
# what a guesser must find: 32**6, about 1.07e9 secrets (README "Workshops" has the
# arithmetic). No 0/O or 1/I to misread on a projector. Workshops started before the
# secret grew keep their 5-character one.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
KEY_LENGTH = 3
SECRET_LENGTH = 6
NOTE_LIMIT = 200  # characters


class Workshop(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="workshops")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=120)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    roles = models.ManyToManyField(Role, related_name="workshops")
    key = models.CharField(max_length=KEY_LENGTH, unique=True)
    secret = models.CharField(max_length=SECRET_LENGTH)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveBigIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def code(self) -> str:
        return f"{self.key}-{self.secret}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_absolute_url(self):
        return reverse("workshop:board", args=[self.workspace.public_id, self.public_id])


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=40)
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    # Where the join came from (an IPv4 address or IPv6 /56, as pmmhub.addresses counts it),
    # for the limit on joins per address; empty for participants who joined before it.
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["workshop", "address"])]

    def __str__(self):
        return self.name


class Note(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", "I do this"
        OTHER = "other", "I think this role does it"

    class Share(models.TextChoices):
        OWN = "own", "I own it"
        CONTRIBUTE = "contribute", "I contribute to it"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notes")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField(max_length=NOTE_LIMIT)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.SELF)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+", help_text="Whose work the note says it is.")
    share = models.CharField(max_length=10, choices=Share.choices, blank=True)
    category = models.ForeignKey(Element, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    element = models.ForeignKey(Element, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="merged")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


def sorted_by_facilitator() -> models.Expression:
    """For an annotation on notes: whether the facilitator has taken the note in hand (put it
    in a lane, mapped it, merged it with another or another into it, given it owners). From
    then on its author may no longer change or withdraw it."""
    return models.ExpressionWrapper(
        models.Q(category__isnull=False)
        | models.Q(element__isnull=False)
        | models.Q(merged_into__isnull=False)
        | models.Exists(Note.objects.filter(merged_into=models.OuterRef("pk")))
        | models.Exists(NoteOwner.objects.filter(note=models.OuterRef("pk"))),
        output_field=models.BooleanField(),
    )


class NoteOwner(models.Model):
    """The letters the group agreed for one role on one (merged) note."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="owners")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    letters = models.CharField(max_length=3, choices=letters.CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "role"], name="note_owner_unique")]


class JoinAttempt(models.Model):
    """A wrong join code, counted per client address and per workshop for rate limiting."""

    ip = models.GenericIPAddressField()
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"]), models.Index(fields=["workshop", "at"])]
