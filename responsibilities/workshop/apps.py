from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "responsibilities.workshop"
    label = "workshop"
    verbose_name = "Role-definition workshops"
    default_auto_field = "django.db.models.BigAutoField"
