from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from frameworks.models import Framework
from responsibilities import services
from responsibilities.models import Workspace

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "pmmhub-demo-login"
DEMO_WORKSPACE = "Demo: scale-up product org"


class Command(BaseCommand):
    help = (
        "Create the demo login (demo / pmmhub-demo-login, also an admin) and the demo workspace, "
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
        if Workspace.objects.filter(name__iexact=DEMO_WORKSPACE).exists():
            self.stdout.write(f"The demo workspace {DEMO_WORKSPACE!r} already exists")
            return
        services.workspace_create_from_starter(
            name=DEMO_WORKSPACE, owner=user, size="scale-up", market="b2b",
            primary_framework=Framework.objects.get(slug="read"), use_starter=True,
        )
        self.stdout.write(f"Created the demo workspace {DEMO_WORKSPACE!r} from the scale-up starter")
