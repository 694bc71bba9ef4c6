from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "workshops"
    label = "workshop"
    verbose_name = "Role-definition workshops"
    default_auto_field = "django.db.models.BigAutoField"
