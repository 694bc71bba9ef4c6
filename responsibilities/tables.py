"""The activity list: sortable, paginated, one column per role."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from responsibilities.forms import activity_hours_form


class RoleColumn(tables.Column):
    def __init__(self, role, **kwargs):
        self.role = role
        super().__init__(
            verbose_name=role.name, accessor="pk", orderable=False, empty_values=(),
            attrs={"td": {"class": lambda record: self._css(record)}}, **kwargs,
        )

    def _held(self, record) -> str:
        return next((a.letters for a in record.assignments.all() if a.role_id == self.role.pk), "")

    def _css(self, record) -> str:
        held = self._held(record)
        return f"cell letters-{held.replace('/', '')}" if held else "cell"

    def render(self, record):
        return self._held(record) or ""


class HoursColumn(tables.TemplateColumn):
    """Hours per month, edited in place by editors (the activity list page's "hours" partial)."""

    def __init__(self, **kwargs):
        super().__init__(
            template_name="responsibilities/activity_list.html#hours", context_object_name="activity",
            verbose_name="Hours / month", attrs={"td": {"class": "num hours"}}, **kwargs,
        )

    def get_context_data(self, *, record, table, **kwargs):
        context = super().get_context_data(record=record, table=table, **kwargs)
        context["form"] = activity_hours_form(record, version=table.workspace.version) if table.can_edit else None
        return context


class ActivityTable(tables.Table):
    name = tables.Column(verbose_name="Activity")
    hours = HoursColumn()
    elements = tables.Column(verbose_name="Mapped to", accessor="pk", orderable=False, empty_values=())
    element_count = tables.Column(verbose_name="Mappings", attrs={"td": {"class": "num"}})

    class Meta:
        attrs = {"class": "activity-table"}
        empty_text = "No activity matches these filters."
        template_name = "django_tables2/table.html"

    def __init__(self, data, *, workspace, roles, can_edit=False, **kwargs):
        self.workspace, self.can_edit = workspace, can_edit
        extra = [(f"role_{role.pk}", RoleColumn(role)) for role in roles]
        super().__init__(data, extra_columns=extra, **kwargs)

    def render_name(self, record, value):
        url = reverse("workspaces:activity", args=[self.workspace.public_id, record.public_id])
        if record.group:
            return format_html('<a href="{}">{}</a> <span class="tag" title="Group">{}</span>', url, value, record.group)
        return format_html('<a href="{}">{}</a>', url, value)

    def render_elements(self, record):
        return format_html_join(
            ", ", '<span title="{}">{}</span>', ((e.framework.title, e.name) for e in record.elements.all())
        ) or "—"
