from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from kb.revision import register_reader
        from kb.signals import article_saved
        from kb.signatures import register_pattern_validator
        from triage import admin, matcher, signals
        from triage.models import IndexRevision

        signals.connect()
        # kb's page cache keys anonymous pages on the same counter as the index.
        register_reader(IndexRevision.revision)
        # The admin refuses patterns the engine could not run (see kb/signatures.py)
        # and checks an article's samples each time it is saved.
        register_pattern_validator(matcher.validate_pattern)
        article_saved.connect(admin.warn_about_broken_samples, dispatch_uid="triage-samples")
