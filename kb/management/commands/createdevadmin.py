import os
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

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=f"{os.getenv('HOST') or '127.0.0.1'}:{os.getenv('PORT') or '8000'}",
            help="HOST:PORT the development server listens on, for the admin link "
            "(default: $HOST:$PORT, else 127.0.0.1:8000; make run passes its own).",
        )

    def handle(self, *args, **options):
        admin_url = f"http://{options['address']}/admin/"
        if not settings.DEBUG:
            raise CommandError(
                "createdevadmin only runs with DEBUG on. In production create accounts "
                "with: manage.py createsuperuser"
            )
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"The development admin user '{USERNAME}' already exists "
                f"(its password was printed when it was created). Sign in at {admin_url}"
            )
            return
        # Only the hash is stored; this is the one time the password is shown.
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created a development admin for {admin_url}"))
        self.stdout.write(f"  user name: {USERNAME}")
        self.stdout.write(f"  password:  {password}")
        self.stdout.write("This password is not shown again.")
