"""Admin forms: Markdown fields with a preview, and the article form's edit-conflict check."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from kb import history
from kb.models import Article, Cause


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
            errors += [
                ValidationError("%(line)s", code="edit_conflict", params={"line": line})
                for line in _their_values(changes)
            ]
        history_url = reverse("admin:kb_article_history", args=[self.instance.pk])
        errors.append(
            ValidationError(
                # format_html escapes the URL; the message is otherwise fixed text.
                format_html(
                    'Check those changes in the <a href="{}">history</a>, then save again '
                    "to replace them with yours.",
                    history_url,
                ),
                code="edit_conflict",
            )
        )
        return errors


# Long values are cut in the conflict message; the history shows them whole.
CONFLICT_VALUE_CHARS = 200


def _their_values(changes):
    """One line per field the other person changed, with the value they saved."""

    def value(text):
        return f"“{truncatechars(text, CONFLICT_VALUE_CHARS)}”" if text else "empty"

    lines = [f"{c.label} is now {value(c.new)} (was {value(c.old)})." for c in changes.article]
    for part in changes.parts:
        if part.action != "changed":
            continue
        for c in part.fields:
            lines.append(
                f"{part.section} “{part.label}”, {c.label.lower()}, is now {value(c.new)} "
                f"(was {value(c.old)})."
            )
    return lines


class CauseSelect(forms.Select):
    """The cause list of a resolution or signature; static/admin-kb/cause-choices.js keeps
    it in step with the causes typed into the same page, before anything is saved."""

    class Media:
        js = ["admin-kb/cause-choices.js"]

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-cause-choices": "", **(attrs or {})}, choices)


def _cause_label(key, title):
    return f"{title} ({key})" if title else key


class CausePartForm(forms.ModelForm):
    """A part that may point at one of its article's causes, chosen by the cause's key.

    Choosing by key rather than by id lets a resolution point at a cause added in
    the same save: the admin saves the causes first, then this part looks its
    cause up by key. The choices are the causes the page itself posts, so a new
    article's first save can already link them.
    """

    cause_key = forms.CharField(label="Cause", required=False, widget=CauseSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.cause_id:
            self.fields["cause_key"].initial = self.instance.cause.key
        self.fields["cause_key"].widget.choices = [("", "---------")] + [
            (key, _cause_label(key, title)) for key, title in self._causes().items()
        ]

    def _causes(self):
        """key -> title of the causes the article will have: as posted, else as stored."""
        total = self.data.get("causes-TOTAL_FORMS") if self.is_bound else None
        if total is not None and str(total).isdigit():
            causes = {}
            for i in range(min(int(total), 1000)):
                key = str(self.data.get(f"causes-{i}-key", "")).strip()
                if key and not self.data.get(f"causes-{i}-DELETE"):
                    causes[key] = str(self.data.get(f"causes-{i}-title", "")).strip()
            return causes
        if not self.instance.article_id:
            return {}
        return dict(
            Cause.objects.filter(article_id=self.instance.article_id).values_list("key", "title")
        )

    def clean_cause_key(self):
        key = self.cleaned_data["cause_key"].strip()
        if key and key not in self._causes():
            raise ValidationError(
                "This article has no cause with the key %(key)s.", params={"key": key}
            )
        return key

    def save(self, commit=True):
        key = self.cleaned_data.get("cause_key")
        self.instance.cause = (
            Cause.objects.get(article_id=self.instance.article_id, key=key) if key else None
        )
        return super().save(commit)
