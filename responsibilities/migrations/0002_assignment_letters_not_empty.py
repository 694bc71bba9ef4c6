from django.db import migrations, models


def drop_empty_cells(apps, schema_editor):
    """An empty cell means "not involved", which is no row: remove any such row first."""
    apps.get_model("responsibilities", "Assignment").objects.filter(letters="").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("responsibilities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_empty_cells, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(condition=~models.Q(letters=""), name="assignment_letters_not_empty"),
        ),
    ]
