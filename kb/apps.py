from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete

        from kb import signals
        from kb.models import Article

        post_delete.connect(
            signals.forget_deleted_article, sender=Article, dispatch_uid="kb-forget-article"
        )
        connection_created.connect(signals.set_trigram_threshold, dispatch_uid="kb-trigram")
