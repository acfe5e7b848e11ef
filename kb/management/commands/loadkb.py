from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb import content


class Command(BaseCommand):
    help = (
        "Load article files (YAML) into the database. Loading the same files again "
        "changes nothing. A file with a mistake is reported and skipped as a whole; "
        "the others still load."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="Article files or directories of *.yaml files (default: KB_CONTENT_DIR).",
        )
        parser.add_argument(
            "--rename-products",
            action="store_true",
            help="Let a file change a product's name or vendor for every article. Without "
            "it, a file that spells a product differently is reported and skipped.",
        )

    def handle(self, *args, paths, rename_products=False, **options):
        files, missing = _collect(paths or [settings.KB_CONTENT_DIR])
        failed = len(missing)
        for path in missing:
            self.stderr.write(f"{path}:1: no such file or directory")
        outcomes = {content.CREATED: 0, content.UPDATED: 0, content.UNCHANGED: 0}
        for path in files:
            try:
                data = content.parse(path)
                article, outcome = content.save_article(data, rename_products=rename_products)
            except content.ContentError as exc:
                self.stderr.write(str(exc))
                failed += 1
                continue
            except content.ProductMismatch as exc:
                self.stderr.write(f"{path}: warning: {exc}")
                failed += 1
                continue
            except Exception as exc:  # a database refusal, e.g. a product name clash
                self.stderr.write(f"{path}:1: could not be saved: {exc}")
                failed += 1
                continue
            outcomes[outcome] += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"{outcome}: {article.slug}")

        loaded = sum(outcomes.values())
        summary = (
            f"{loaded} article{'s' if loaded != 1 else ''} loaded: "
            f"{outcomes[content.CREATED]} created, {outcomes[content.UPDATED]} updated, "
            f"{outcomes[content.UNCHANGED]} unchanged"
        )
        if failed:
            summary += f"; {failed} file{'s' if failed != 1 else ''} failed"
        self.stdout.write(summary)
        if failed:
            raise CommandError(
                f"{failed} file{'s' if failed != 1 else ''} could not be loaded", returncode=1
            )


def _collect(paths):
    files, missing = [], []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(path.glob("*.yaml"))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing
