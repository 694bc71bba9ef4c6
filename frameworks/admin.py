from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from frameworks import letters
from frameworks.models import Archetype, Crosswalk, Element, Framework, Guidance


@admin.register(Archetype)
class ArchetypeAdmin(admin.ModelAdmin):
    list_display = ["slug", "short_name", "name", "position"]
    list_editable = ["position"]


class ElementInline(admin.TabularInline):
    model = Element
    fields = ["code", "name", "parent", "essential", "orientation", "excluded", "position"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            framework_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Element.objects.filter(framework_id=framework_id, parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "source_author", "source_date", "version"]
    search_fields = ["title", "slug", "source_author"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "aliases", "summary", "notes", "version", "position"]}),
        (
            "Source",
            {"fields": ["source_author", "source_title", "source_publisher", "source_date", "source_url", "source_also"]},
        ),
    ]
    inlines = [ElementInline]


class GuidanceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        accountable = [
            form.cleaned_data["archetype"].slug
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and letters.is_accountable(form.cleaned_data.get("letters", ""))
        ]
        if len(accountable) > 1:
            raise ValidationError(
                f"Only one archetype can be accountable (A or A/R); found {', '.join(accountable)}."
            )


class GuidanceInline(admin.TabularInline):
    model = Guidance
    formset = GuidanceFormSet
    extra = 1


class CrosswalkInline(admin.TabularInline):
    model = Crosswalk
    fk_name = "source"
    fields = ["target", "relation", "note"]
    autocomplete_fields = ["target"]
    extra = 0


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "framework", "parent", "essential", "orientation", "excluded"]
    list_filter = ["framework", "essential", "orientation", "excluded"]
    search_fields = ["name", "code", "description", "framework__slug"]
    list_select_related = ["framework", "parent"]
    fields = ["framework", "parent", "code", "name", "aliases", "description", "essential", "orientation", "excluded", "position"]
    inlines = [GuidanceInline, CrosswalkInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Element.objects.filter(parent__isnull=True).select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = ["source", "relation", "target", "note"]
    list_filter = ["relation", "source__framework", "target__framework"]
    list_select_related = ["source__framework", "target__framework"]
    autocomplete_fields = ["source", "target"]
    search_fields = ["source__name", "target__name"]
