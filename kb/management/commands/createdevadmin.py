import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Development only: create a superuser 'admin' with a generated password and "
        "print it once. Refuses to run when DEBUG is off; use createsuperuser there."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "createdevadmin only runs with DEBUG on. In production create accounts "
                "with: manage.py createsuperuser"
            )
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"The development admin user '{USERNAME}' already exists "
                "(its password was printed when it was created)."
            )
            return
        # Only the hash is stored; this is the one time the password is shown.
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS("Created a development admin for http://127.0.0.1:8000/admin/")
        )
        self.stdout.write(f"  user name: {USERNAME}")
        self.stdout.write(f"  password:  {password}")
        self.stdout.write("This password is not shown again.")
