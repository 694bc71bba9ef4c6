import uuid
from dataclasses import replace
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator

from frameworks import letters
from frameworks.models import Archetype, Element, Framework
from frameworks.selectors import framework_named
from responsibilities.access import row_id
from responsibilities.formats import IMPORT_SUFFIXES, MAX_UPLOAD_BYTES, megabytes, parse_hours
from responsibilities.formats import hours_text
from responsibilities.models import Activity, Assessment, Change, Membership, Role, Snapshot, Workspace


class LoadedAtVersion(forms.Form):
    """A form that remembers the workspace version it was loaded at, so a save made after
    someone else changed the same thing is refused instead of overwriting their change."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def model_limited(model, name: str, **kwargs) -> forms.Field:
    """The form field of a model's field, with the model's min and max (from its validators),
    so the input shows them and the form refuses what the model would: one source of limits."""
    field = model._meta.get_field(name)
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            kwargs.setdefault("min_value", validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            kwargs.setdefault("max_value", validator.limit_value)
    return field.formfield(**kwargs)


class HoursField(forms.Field):
    """Hours as people type them, read by the imports' own reader (formats.parse_hours), so a
    form and a sheet agree: `12`, `1.5`, `1,5`, `12h`; refused with the reason: `1_0`, `١٢`,
    `1e309`, negatives, formulas, more than two decimals, outside the model's limits."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})

    def __init__(self, *, low: Decimal, high: Decimal, **kwargs):
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def prepare_value(self, value):
        return hours_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        hours, problem = parse_hours(text[:40], low=self.low, high=self.high)
        if problem:
            raise forms.ValidationError(f"{problem[0].upper()}{problem[1:]}.", code="invalid")
        return Decimal(repr(hours)).quantize(Decimal("0.01"))


def hours_field(model, name: str, **kwargs) -> HoursField:
    """An HoursField within the limits of the model's field (its validators): one source of them."""
    field = model._meta.get_field(name)
    limits = {type(v): v.limit_value for v in field.validators if isinstance(v, (MinValueValidator, MaxValueValidator))}
    return HoursField(
        low=limits[MinValueValidator], high=limits[MaxValueValidator], required=not field.null,
        label=kwargs.pop("label", field.verbose_name.capitalize()), help_text=kwargs.pop("help_text", field.help_text), **kwargs,
    )


def _framework_field(required=True):
    return forms.ModelChoiceField(
        queryset=Framework.objects.order_by("position", "title"),
        to_field_name="slug",
        required=required,
        empty_label=None,
        label="Primary framework",
        help_text="The framework the matrix and the findings use by default.",
    )


class WorkspaceForm(LoadedAtVersion):
    name = forms.CharField(max_length=120, label="Workspace name")
    size = forms.ChoiceField(choices=Workspace.Size.choices, initial=Workspace.Size.STARTUP)
    market = forms.ChoiceField(choices=Workspace.Market.choices, initial=Workspace.Market.B2B)
    fte_hours = hours_field(Workspace, "fte_hours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_framework"] = _framework_field()
        self.fields["primary_framework"].initial = "read"


class NewWorkspaceForm(WorkspaceForm):
    version = None  # a new workspace has no earlier version to be stale against
    fte_hours = None  # 140 to begin with; changed in its settings
    use_starter = forms.BooleanField(
        required=False,
        initial=True,
        label="Fill in the starter roles and activities for this size and market",
        help_text=(
            "Typical owners for a company of this size (April Dunford, “How Do CMOs Define Product "
            "Marketing?”), with illustrative hours per month; change anything afterwards."
        ),
    )


class RoleForm(LoadedAtVersion):
    name = forms.CharField(max_length=80, label="Role name")
    archetype = forms.ModelChoiceField(
        queryset=Archetype.objects.all(), to_field_name="slug", empty_label=None,
        help_text="What kind of role this is, so the frameworks' guidance applies to it.",
    )


HOURS_HELP = "Effort per month, all roles together (e.g. 12.5). Leave empty if nobody has sized it."


class ActivityForm(LoadedAtVersion):
    name = forms.CharField(max_length=200, label="Activity")
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    group = forms.CharField(
        max_length=80, required=False, label="Group",
        help_text="Your own grouping, e.g. a phase from your sheet (Pre-launch, Launch…).",
    )
    hours = hours_field(Activity, "hours", help_text=HOURS_HELP)


class PersonForm(LoadedAtVersion):
    name = forms.CharField(max_length=80)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = forms.ModelMultipleChoiceField(
            queryset=roles, to_field_name="public_id", required=False, widget=forms.CheckboxSelectMultiple
        )


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    level = forms.ChoiceField(choices=Membership.Level.choices, initial=Membership.Level.EDITOR, label="Access")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(
                "Nobody has that username. Ask them to sign up first, or send an invitation link."
            )
        self.cleaned_data["user"] = user
        return username


class InvitationForm(forms.Form):
    level = forms.ChoiceField(choices=Membership.Level.choices, initial=Membership.Level.EDITOR, label="Access")


class UploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text=(
            "A RACI spreadsheet (.csv or .xlsx), a Markdown table (.md) or a workspace document "
            f"(.yaml, .yml or .json), at most {megabytes(MAX_UPLOAD_BYTES)}."
        ),
    )
    table = forms.CharField(
        required=False,
        max_length=MAX_UPLOAD_BYTES,
        strip=False,
        label="…or paste a table",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "placeholder": "| activity | PM | PMM |\n|---|---|---|\n| Launch plan | C | A/R |"}),
        help_text="A Markdown table (from Confluence, Notion or a README) or cells copied from a spreadsheet.",
    )
    name = forms.CharField(
        max_length=120, required=False, label="Workspace name",
        help_text="Leave empty to use the document's name or the file's name.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {megabytes(upload.size)}; the limit is {megabytes(MAX_UPLOAD_BYTES)}."
            )
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in IMPORT_SUFFIXES:
            raise forms.ValidationError("Upload a .csv, .xlsx, .md, .markdown, .yaml, .yml or .json file.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        has_file, has_table = cleaned.get("file") is not None, bool(cleaned.get("table", "").strip())
        if has_file == has_table:
            raise forms.ValidationError(
                "Choose a file or paste a table, not both." if has_file else "Choose a file, or paste a table."
            )
        return cleaned


class ImportConfirmForm(forms.Form):
    """The preview's form: the name, the pending import's token, each role's kind and "map with suggestions".

    One `archetype_<n>` select per role of the parsed workspace, in its order; the selects sit
    in the preview table's header (HTML `form=` attribute), so they change nothing but a value.
    """

    FORM_ID = "import-confirm"

    name = forms.CharField(max_length=120, label="Workspace name")
    token = forms.UUIDField(widget=forms.HiddenInput)  # the pending import (read by the view first)
    map_suggestions = forms.BooleanField(required=False, label="Map with suggestions")
    # The existing workspace of the document's name, to update in place instead (owners only).
    replace_name = forms.CharField(max_length=120, required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False, label="Replace it instead")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(archetype.slug, archetype.name) for archetype in Archetype.objects.all()]
        self.roles = list(roles)
        for position, role in enumerate(self.roles):
            self.fields[f"archetype_{position}"] = forms.ChoiceField(
                choices=choices, initial=role.archetype, required=False, label=f"Kind of role for {role.name}",
                widget=forms.Select(attrs={"form": self.FORM_ID, "aria-label": f"Kind of role for {role.name}"}),
            )

    def archetype_fields(self):
        return [self[f"archetype_{position}"] for position in range(len(self.roles))]

    def chosen_roles(self):
        """The roles with the kinds chosen in the preview (after is_valid()); a role with no
        choice sent keeps the kind the document gives it."""
        return tuple(
            replace(role, archetype=self.cleaned_data[f"archetype_{position}"] or role.archetype)
            for position, role in enumerate(self.roles)
        )


def role_queryset(workspace):
    return Role.objects.filter(workspace=workspace).order_by("position", "id")


class ActivityFilterForm(forms.Form):
    """Filters of the activity list; an unknown value is a form error, never a 500."""

    q = forms.CharField(required=False, max_length=100, label="Name contains")
    element = forms.ModelChoiceField(queryset=Element.objects.none(), required=False, label="Mapped to")
    role = forms.ModelChoiceField(queryset=Role.objects.none(), to_field_name="public_id", required=False)
    letters = forms.ChoiceField(choices=[("", "any letter"), *letters.CHOICES], required=False, label="Holds")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = list(role_queryset(workspace).select_related("archetype"))
        self.fields["role"].queryset = role_queryset(workspace)
        self.fields["role"].empty_label = "any role"
        self.fields["element"].queryset = (
            Element.objects.filter(activities__workspace=workspace).select_related("framework").distinct()
            .order_by("framework__position", "position")
        )
        self.fields["element"].empty_label = "any element"
        self.fields["element"].label_from_instance = lambda element: f"{element.framework.title} — {element.name}"


# The mapping page


class MappingPlaceForm(forms.Form):
    """Where the mapping page was (framework in view, which activities listed), so a plain
    form's redirect comes back to the same place."""

    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(), to_field_name="slug",
        error_messages={"invalid_choice": "There is no such framework.", "required": "Choose a framework."},
    )
    show = forms.ChoiceField(choices=[("unmapped", "not mapped yet"), ("all", "all activities")], required=False)


class MappingChoiceForm(MappingPlaceForm):
    """One mapping to accept or remove, `<activity public id>:<element id>`: an activity of this
    workspace and an element of the framework in view."""

    choice = forms.CharField(max_length=100, error_messages={"required": "Choose an activity and an element."})

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean(self):
        cleaned = super().clean()
        if "framework" in cleaned and "choice" in cleaned:
            [(cleaned["activity"], cleaned["element"])] = mapping_choices(
                self.workspace, cleaned["framework"], [cleaned["choice"]]
            )
        return cleaned


class MappingBatchForm(MappingPlaceForm):
    """A batch of accepted suggestions of this workspace, to undo."""

    batch = forms.UUIDField(error_messages={"invalid": "That is not a batch.", "required": "Choose a batch."})

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_batch(self):
        batch = self.cleaned_data["batch"]
        if not Change.objects.filter(activity__workspace=self.workspace, batch=batch).exists():
            raise forms.ValidationError("There is no such batch in this workspace.")
        return batch


MAX_ACCEPTED_AT_ONCE = 2000


class AcceptAllForm(MappingPlaceForm):
    """The previewed mappings the user kept ticked, each `<activity public id>:<element id>`."""

    choice = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean(self):
        cleaned = super().clean()
        values = cleaned.get("choice") or []
        if not values:
            raise forms.ValidationError("Tick at least one mapping to accept.")
        if len(values) > MAX_ACCEPTED_AT_ONCE:
            raise forms.ValidationError(f"Accept at most {MAX_ACCEPTED_AT_ONCE:,} mappings at once.")
        if "framework" in cleaned:
            cleaned["choices"] = mapping_choices(self.workspace, cleaned["framework"], values)
        return cleaned


def mapping_choices(workspace, framework, values) -> list[tuple[Activity, Element]]:
    """`<activity public id>:<element id>` values as (activity, element) pairs, in two queries.

    Anything but an activity of this workspace and an element of `framework` is refused with
    what is wrong: ids are read from forms, so they may be stale, foreign or made up.
    """
    pairs = [_choice_pair(value) for value in values]
    if None in pairs:
        raise forms.ValidationError("That is not an activity and an element; reload the page and choose again.")
    activities = {
        activity.public_id: activity
        for activity in workspace.activities.filter(public_id__in={activity_id for activity_id, _ in pairs})
    }
    elements = Element.objects.select_related("framework", "parent").in_bulk({element_id for _, element_id in pairs})
    for activity_id, element_id in pairs:
        if activity_id not in activities:
            raise forms.ValidationError("That activity is not in this workspace (it may have been deleted); reload the page.")
        element = elements.get(element_id)
        if element is None:
            raise forms.ValidationError("There is no such element.")
        if element.framework_id != framework.pk:
            raise forms.ValidationError(f"{element.name} is not part of {framework.title}.")
    return [(activities[activity_id], elements[element_id]) for activity_id, element_id in pairs]


def _choice_pair(value) -> tuple[uuid.UUID, int] | None:
    activity, _, element = str(value).partition(":")
    element_id = row_id(element)
    if element_id is None:
        return None
    try:
        return uuid.UUID(activity), element_id
    except ValueError:
        return None


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "all kinds"), *Change.Kind.choices], required=False, label="Kind")
    who = forms.CharField(max_length=150, required=False, label="By")
    q = forms.CharField(max_length=100, required=False, label="Text")
    activity = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ChangeChoiceForm(forms.Form):
    """A history row to act on (restore, undo), by its number."""

    change = forms.IntegerField(min_value=1, max_value=2**63 - 1)


# Snapshots


class SnapshotForm(forms.ModelForm):
    """The label of a snapshot taken by hand (the service refuses a used one)."""

    class Meta:
        model = Snapshot
        fields = ["label"]
        help_texts = {"label": "For example “Q3 review” or “Before the reorganisation”. Empty: today's date and time."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False


class SnapshotRestoreForm(forms.Form):
    name = forms.CharField(max_length=Workspace._meta.get_field("name").max_length, label="Name of the new workspace")


class SnapshotDeleteForm(forms.Form):
    confirm = forms.BooleanField(label="Yes, delete this snapshot: it cannot be brought back")


class FrameworkChoiceField(forms.ChoiceField):
    """A framework of `frameworks` by its slug or an alias (kemp)."""

    def __init__(self, *, frameworks: list[Framework], **kwargs):
        super().__init__(choices=[(f.slug, f.title) for f in frameworks], **kwargs)
        self.frameworks = frameworks

    def clean(self, value) -> Framework:
        slug = self.to_python(value)
        found = framework_named(self.frameworks, slug)
        if found is None:
            raise forms.ValidationError(f"There is no framework {slug[:60]!r}.", code="invalid_choice")
        return found


class SnapshotChoiceField(forms.ChoiceField):
    """A snapshot of `snapshots` by its public id, newest first; with `now`, also "now" (None)."""

    def __init__(self, *, snapshots: list[Snapshot], now: str = "", **kwargs):
        choices = [(str(s.public_id), s.label) for s in reversed(snapshots)]
        super().__init__(choices=[("now", now), *choices] if now else choices, **kwargs)
        self.snapshots, self.now = snapshots, now

    def clean(self, value) -> Snapshot | None:
        chosen = self.to_python(value)
        if self.now and chosen == "now":
            return None
        found = next((s for s in self.snapshots if str(s.public_id) == chosen), None)
        if found is None:
            raise forms.ValidationError("There is no such snapshot in this workspace (it may have been deleted).", code="invalid_choice")
        return found


class FrameworkInViewForm(forms.Form):
    """?framework=slug (or an alias), else the workspace's primary framework (GET, no JavaScript needed)."""

    def __init__(self, data, *, frameworks: list[Framework], primary: Framework | None):
        self.default = primary or next((f for f in frameworks if f.slug == "read"), frameworks[0])
        super().__init__({"framework": self.default.slug, **_present(data)})
        self.fields["framework"] = FrameworkChoiceField(frameworks=frameworks, label="Framework")


class CompareForm(FrameworkInViewForm):
    """?from=&to=&framework=: two states of the workspace and the framework to read them through.
    `from` defaults to the latest snapshot, `to` to now, `framework` to the primary one."""

    def __init__(self, data, *, snapshots: list[Snapshot], **kwargs):
        latest = {"from": str(snapshots[-1].public_id)} if snapshots else {}
        super().__init__({**latest, "to": "now", **_present(data)}, **kwargs)
        self.fields["from"] = SnapshotChoiceField(snapshots=snapshots, label="From")
        self.fields["to"] = SnapshotChoiceField(snapshots=snapshots, now="Now", label="To")


def _present(data) -> dict:
    """The query's non-empty values (the last of each), for defaults to fill the rest."""
    return {key: value for key, value in data.items() if value}


# Hours and assessments


class ActivityHoursForm(forms.ModelForm, LoadedAtVersion):
    """The activity list's in-place edit of one activity's hours."""

    hours = hours_field(Activity, "hours")

    class Meta:
        model = Activity
        fields = ["hours"]


def activity_hours_form(
    activity: Activity, *, version: int, typed: str | None = None, error: str = "", answered: bool = False
) -> ActivityHoursForm:
    """One row's form in the activity list (ids unique per row): the activity's hours, or what
    the user typed when the save was refused, marked invalid and pointing at the reason."""
    form = ActivityHoursForm(
        None if typed is None else {"hours": typed, "version": version},
        initial={"hours": hours_text(activity.hours), "version": version},
        auto_id=f"id_%s_{activity.public_id}",
    )
    if error:
        form.fields["hours"].widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": f"hours-status-{activity.public_id}"}
        )
    if answered:  # the cell came back after a save: keyboard focus stays where the user typed
        form.fields["hours"].widget.attrs["autofocus"] = True
    return form


# Each scale's question and what its points mean, so 1–5 reads the same to everyone.
SCALES = {
    "importance": ("How much it matters to the team", ("not important", "minor", "important", "very important", "critical")),
    "performance": ("How well the team does it now", ("not done", "poorly", "adequately", "well", "excellently")),
}


def _scale(name: str) -> forms.Field:
    question, words = SCALES[name]
    choices = [(value, f"{value} — {word}") for value, word in enumerate(words, 1)]
    return model_limited(Assessment, name, label=question, widget=forms.RadioSelect(choices=choices))


class ElementReferenceForm(LoadedAtVersion):
    """An element of the library named "slug:code", as the lens and documents name it."""

    element = forms.CharField(max_length=200, widget=forms.HiddenInput)

    def clean_element(self):
        reference = self.cleaned_data["element"]
        slug, _, code = reference.partition(":")
        element = Element.objects.select_related("framework").filter(framework__slug=slug, code=code).first()
        if element is None:
            raise forms.ValidationError(f"There is no element {reference[:80]!r} in the library.", code="invalid_choice")
        return element


class AssessmentForm(forms.ModelForm, ElementReferenceForm):
    """Importance and performance of one element, 1–5 each."""

    importance = _scale("importance")
    performance = _scale("performance")

    class Meta:
        model = Assessment
        fields = ["importance", "performance"]
