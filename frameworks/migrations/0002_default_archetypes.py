from django.db import migrations

from frameworks.library import DEFAULT_ARCHETYPES


def add_archetypes(apps, schema_editor):
    Archetype = apps.get_model("frameworks", "Archetype")
    for position, (slug, short_name, name) in enumerate(DEFAULT_ARCHETYPES):
        Archetype.objects.get_or_create(
            slug=slug, defaults={"short_name": short_name, "name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(add_archetypes, migrations.RunPython.noop)]
