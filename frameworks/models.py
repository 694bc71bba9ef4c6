from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from frameworks import letters


class Archetype(models.Model):
    """A kind of role the frameworks talk about (pm, pmm, marcom…); global and extensible."""

    slug = models.SlugField(max_length=40, unique=True)
    short_name = models.CharField(max_length=12, help_text="Column label, e.g. PMM.")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class Framework(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other slugs that open this framework."
    )
    version = models.PositiveIntegerField(default=1)
    source_author = models.CharField("author", max_length=200)
    source_title = models.CharField("article or work", max_length=300)
    source_publisher = models.CharField("publisher", max_length=200, blank=True)
    source_url = models.URLField("link", max_length=500, blank=True)
    source_date = models.CharField(
        "date", max_length=40, blank=True, help_text="As the source gives it, e.g. 2024-07-23."
    )
    source_also = models.CharField("other sources", max_length=300, blank=True)
    summary = models.TextField()
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # What the library file said when this row was last loaded from it: an admin's edit
    # shows as a difference, and a re-load does not overwrite it silently.
    library_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("frameworks:detail", args=[self.slug])

    def clean(self):
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) for alias in self.aliases
        ):
            raise ValidationError({"aliases": "A list of slugs, e.g. [\"kemp\"]."})
        clashing = (
            Framework.objects.exclude(pk=self.pk)
            .filter(slug__in=self.aliases)
            .values_list("slug", flat=True)
        )
        if clashing:
            raise ValidationError(
                {"aliases": f"Already the slug of another framework: {', '.join(clashing)}."}
            )


class Element(models.Model):
    class Orientation(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"
        BOTH = "both", "Both"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list, blank=True,
        help_text="The words practitioners use for this work (battlecards, ICP…): mapping suggestions match them.",
    )
    description = models.TextField(blank=True)
    essential = models.BooleanField(default=False)
    orientation = models.CharField(
        max_length=10, choices=Orientation.choices, default=Orientation.BOTH
    )
    excluded = models.BooleanField(
        default=False,
        help_text="The source says this is not part of the discipline: "
        "kept for its guidance, never counted in coverage.",
    )
    position = models.PositiveIntegerField(default=0)
    library_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="element_code_unique_in_framework"
            )
        ]

    def __str__(self):
        return f"{self.framework.slug}:{self.code} {self.name}"

    @property
    def reference(self) -> str:
        return f"{self.framework.slug}:{self.code}"

    def clean(self):
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) and alias.strip() for alias in self.aliases
        ):
            raise ValidationError({"aliases": 'A list of words or phrases, e.g. ["battlecards", "competitive intel"].'})
        if self.parent_id is None:
            return
        if self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": "The parent must belong to the same framework."})
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "An element cannot be inside itself."})
        # The tree is two levels (category -> item), which also rules out cycles.
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": "Choose a category (a top-level element) as the parent."})
        if self.pk is not None and self.children.exists():
            raise ValidationError({"parent": "This element has items of its own, so it must stay a category."})


class Guidance(models.Model):
    """Which archetype the source says should hold which letters for an element."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="guidance")
    archetype = models.ForeignKey(Archetype, on_delete=models.PROTECT, related_name="+")
    letters = models.CharField(max_length=3, choices=letters.CHOICES)

    class Meta:
        ordering = ["archetype__position"]
        verbose_name_plural = "guidance"
        constraints = [
            models.UniqueConstraint(
                fields=["element", "archetype"], name="guidance_unique_per_archetype"
            )
        ]

    def __str__(self):
        return f"{self.archetype.slug}: {self.letters}"


class Crosswalk(models.Model):
    class Relation(models.TextChoices):
        EQUIVALENT = "equivalent", "Equivalent"
        PART_OF = "part_of", "Part of"
        RELATED = "related", "Related"

    source = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="crosswalks_out")
    target = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="crosswalks_in")
    relation = models.CharField(max_length=12, choices=Relation.choices)
    note = models.CharField(max_length=300, blank=True)
    library_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["source__framework__position", "source__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="crosswalk_unique_pair")
        ]

    def __str__(self):
        return f"{self.source.reference} {self.relation} {self.target.reference}"

    def clean(self):
        if self.source_id and self.target_id:
            if self.source.framework_id == self.target.framework_id:
                raise ValidationError("A crosswalk links elements of two different frameworks.")
            reverse_exists = Crosswalk.objects.filter(
                source_id=self.target_id, target_id=self.source_id
            ).exclude(pk=self.pk)
            if reverse_exists.exists():
                raise ValidationError("These two elements are already linked the other way.")
