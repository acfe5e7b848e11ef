import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage import service
from triage.api import report_dict


class Command(BaseCommand):
    help = (
        "Triage an error text from FILE (or standard input) against the published "
        "knowledge base and print the articles that fit, best first. Exits 1 when "
        "nothing in the knowledge base fits, so scripts can branch on it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="A file holding the paste; - or none for stdin."
        )
        parser.add_argument("--json", action="store_true", help="Print the API's JSON instead.")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            metavar="URL",
            help="Print article links as absolute URLs under URL, e.g. https://kb.example.com "
            "(default: the SITE_URL setting; without either, links are paths).",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="Also print, for each candidate, the rules that decided its confidence.",
        )
        parser.add_argument(
            "--answer",
            action="append",
            default=[],
            metavar="QUESTION=OPTION",
            help="Answer a question the triage asked; may be repeated.",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path and path != "-":
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
            else:
                text = sys.stdin.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            text = service.clean_paste(text)
        except service.PasteError as exc:
            raise CommandError(str(exc)) from exc
        answers = dict(a.partition("=")[::2] for a in options["answer"] if "=" in a)
        report = service.triage(text, answers, channel="cli", record=False)
        data = report_dict(None, report, base_url=options["base_url"])
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self._print(data, report, options["explain"])
        if not report.matched:
            raise CommandError(
                "No article in the knowledge base fits this error"
                + (" (the candidates above are related at best)." if data["candidates"] else "."),
                returncode=1,
            )

    def _print(self, data, report, explain=False):
        out = self.stdout
        for i, cand in enumerate(data["candidates"], 1):
            article = cand["article"]
            out.write(f"{i}. {article['title']}  [{cand['confidence']}, score {cand['score']:.2f}]")
            out.write(f"   {article['url']}")
            for ev in cand["evidence"]:
                out.write(f"   - {ev['kind']}: {ev['match']!r} at {ev['start']}-{ev['end']}")
            if explain:
                out.write("   Decided by:")
                for d in cand["decisions"]:
                    detail = f" ({d['detail']})" if d["detail"] else ""
                    out.write(f"     {d['rule']}: {d['effect']}{detail}")
        if data["codes"]:
            out.write("\nError codes:")
            for code in data["codes"]:
                out.write(f"   {code['system']} {code['value']} {code['name']}: {code['message']}")
        question = data["question"]
        if question:
            out.write(f"\nQuestion ({question['id']}): {question['text']}")
            for line in question["details"]:
                out.write(f"   {line}")
            for option in question["options"]:
                out.write(f"   --answer {question['id']}={option['id']}   {option['label']}")
        elif report.outcome.article:
            steps = report.offered()
            if steps:
                out.write(f"\nApply: {steps[0].title} ({steps[0].get_kind_display().lower()})")
                out.write(steps[0].steps)
                for alt in steps[1:]:
                    out.write(f"   Alternative: {alt.title} ({alt.get_kind_display().lower()})")
