from django.core.management.base import BaseCommand

from triage.models import Paste


class Command(BaseCommand):
    help = (
        "Delete the wizard's pastes whose time (PASTE_RETENTION_DAYS) is up. Their "
        "links stop working; the triage counts and votes stay. Run it daily."
    )

    def handle(self, *args, **options):
        deleted, _ = Paste.objects.expired().delete()
        self.stdout.write(f"{deleted} expired paste(s) deleted.")
