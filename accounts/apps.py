from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save, pre_save

        from accounts import signals

        pre_save.connect(signals.refuse_look_alike_username, sender=settings.AUTH_USER_MODEL)
        post_save.connect(signals.record_username_skeleton, sender=settings.AUTH_USER_MODEL)
        user_logged_in.connect(signals.start_session_clock)
