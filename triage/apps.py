from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from kb.signals import article_saved
        from kb.signatures import register_pattern_validator
        from triage import admin, matcher, signals

        signals.connect()
        # The admin refuses patterns the engine could not run (see kb/signatures.py)
        # and checks an article's samples each time it is saved.
        register_pattern_validator(matcher.validate_pattern)
        article_saved.connect(admin.warn_about_broken_samples, dispatch_uid="triage-samples")
