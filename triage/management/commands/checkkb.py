from django.core.management.base import BaseCommand, CommandError

from triage import checks


class Command(BaseCommand):
    help = (
        "Triage every sample paste of the published articles (with --all, of every "
        "article) and report those that no longer lead where they should. Exits "
        "non-zero when one broke."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also check drafts, articles in review and retired ones, each as if "
            "it were published next.",
        )

    def handle(self, *args, **options):
        review = checks.review_knowledge_base(every_status=options["all"])
        checked, articles, broken = review.samples, review.articles, review.broken
        for sample in broken:
            self.stdout.write(str(sample))
        # Advice, not failure: a generic error text is right to stay low alone.
        for slug, weak in review.weak:
            self.stdout.write(self.style.WARNING(f"{slug}: {checks.describe_weak_text(weak)}"))
        summary = f"Checked {checked} sample(s) of {articles} article(s): {len(broken)} broken."
        if broken:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
