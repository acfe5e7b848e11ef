"""Admin forms: Markdown fields with a preview, and the article form's edit-conflict check."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from kb import history
from kb.models import Article


class TextField(forms.CharField):
    """Multi-line text with LF line ends, as the bundled article files have.

    Browsers submit textareas with CRLF, and Django would strip the final
    newline the files keep; either way every re-submitted part would count as
    changed, be saved again and clutter the history.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class MarkdownTextarea(forms.Textarea):
    """A textarea that static/admin-kb/markdown-preview.js gives a Preview button.

    The preview is rendered by the server through kb.markup.to_html, the same
    sanitiser the public pages use, so what editors see is what readers get.
    """

    class Media:
        js = ["admin-kb/markdown-preview.js"]
        css = {"all": ["admin-kb/admin.css"]}

    def __init__(self, attrs=None):
        super().__init__({"class": "vLargeTextField", "rows": 6, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdown-preview"] = reverse("admin:kb_article_preview")
        return context


class ArticleAdminForm(forms.ModelForm):
    """The article form carries the version it was loaded at.

    clean() runs inside the admin's save transaction: it locks the article row
    and refuses the save when someone else saved a newer version meanwhile,
    so the second of two editors cannot silently overwrite the first.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        # The version this save is based on, once clean() has checked it.
        self.locked_version = None

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        loaded = cleaned_data.get("loaded_version")
        if current is None or loaded == current:
            self.locked_version = current
            return cleaned_data
        errors = self._conflict_errors(loaded, current)
        # The form is shown again with the editor's own input; it now carries
        # the newer version, so saving again is a deliberate overwrite.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = current
        self.data = data
        raise ValidationError(errors)

    def _conflict_errors(self, loaded, current):
        changes, users = history.changes_since(self.instance, loaded or 0)
        who = ", ".join(u.get_username() for u in users) or "someone else"
        latest = history.Timeline(self.instance).latest
        when = date_format(localtime(latest.date), "DATETIME_FORMAT") if latest else ""
        errors = [
            ValidationError(
                "This article was changed by %(who)s (%(when)s) after you opened it. "
                "Your changes have not been saved; they are still in the form below.",
                code="edit_conflict",
                params={"who": who, "when": when},
            )
        ]
        if changes:
            errors.append(
                ValidationError(
                    "Changed meanwhile: %(changes)s.",
                    code="edit_conflict",
                    params={"changes": "; ".join(changes.summary())},
                )
            )
        errors.append(
            ValidationError(
                "Check those changes in the history, then save again to replace them with yours.",
                code="edit_conflict",
            )
        )
        return errors
