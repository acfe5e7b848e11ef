from pathlib import Path

from django.core.management.base import BaseCommand

from kb import content
from kb.models import Article


class Command(BaseCommand):
    help = (
        "Write every article (all statuses) as one YAML file per article into a "
        "directory, in the format loadkb reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="Directory to write the files into.")

    def handle(self, *args, path, **options):
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        for article in Article.objects.order_by("slug"):
            target = directory / f"{article.slug}.yaml"
            target.write_text(content.serialize(article), encoding="utf-8")
            count += 1
            if options["verbosity"] > 1:
                self.stdout.write(str(target))
        self.stdout.write(f"{count} article{'s' if count != 1 else ''} written to {directory}")
