from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "pmmhub-demo"


class Command(BaseCommand):
    help = (
        "Create the demo login (demo / pmmhub-demo, also an admin) and the demo workspace, "
        "once. Local development only: refuses to run unless DJANGO_DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo creates a well-known password; run it only with DJANGO_DEBUG=1.")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"Created the demo login {DEMO_USERNAME} / {DEMO_PASSWORD}")
        else:
            self.stdout.write(f"The demo login {DEMO_USERNAME} already exists (password unchanged)")
