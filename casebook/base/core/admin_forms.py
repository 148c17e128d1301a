"""Admin form bases: every text field whose help text gives an example shows it as a placeholder, and
none is cut short by the browser (the length is checked on the server, in Japanese)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from casebook.base.core.text import normalise

# 「例: 体験者数」 in a help text → placeholder 「例: 体験者数」 (up to the first 。 or 、 that ends it).
_EXAMPLE = re.compile(r"例[:：]\s*([^。]+)")
_TEXT_INPUT_TYPES = {"text", "number", "url", "email", "search"}
# Wagtail's own page fields keep Wagtail's help texts as they are.
_WAGTAIL_FIELDS = {"slug", "seo_title", "search_description"}


def example_placeholder(help_text) -> str | None:
    match = _EXAMPLE.search(str(help_text or ""))
    return f"例: {match.group(1).strip()}" if match else None


def add_placeholders(fields, explicit=None):
    for name, field in fields.items():
        widget = field.widget
        is_text = isinstance(widget, forms.Textarea) or getattr(widget, "input_type", None) in _TEXT_INPUT_TYPES
        if is_text:
            # A browser cuts what is typed or pasted at maxlength without a word; the server says
            # 「…文字以下」 in Japanese instead and keeps the whole text in the form.
            widget.attrs.pop("maxlength", None)
        if not is_text or name in _WAGTAIL_FIELDS or widget.attrs.get("placeholder"):
            continue
        placeholder = (explicit or {}).get(name) or example_placeholder(field.help_text)
        if placeholder:
            widget.attrs["placeholder"] = placeholder


class PlaceholderMixin:
    """Placeholders on the form and on every inline child form (existing rows and new ones)."""

    placeholders: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_placeholders(self.fields, self.placeholders)
        for formset in getattr(self, "formsets", {}).values():
            add_placeholders(formset.form.base_fields)  # rows added in the browser
            for form in formset.forms:
                add_placeholders(form.fields)


class CasebookPageForm(PlaceholderMixin, WagtailAdminPageForm):
    pass


class NormalisingMixin:
    """Fields listed in `normalised_fields` are read through the one text normaliser before any check:
    an LG code typed in full-width digits (「４０１３０７」) is 401307."""

    normalised_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.normalised_fields:
            if name in self.fields:
                field = self.fields[name]
                field.to_python = _normalising(field.to_python)


def _normalising(to_python):
    def read(value):
        return to_python(normalise(value).strip() if isinstance(value, str) else value)

    return read


class CasebookModelForm(PlaceholderMixin, NormalisingMixin, WagtailAdminModelForm):
    pass


class MunicipalityForm(CasebookModelForm):
    """The prefecture follows from the LG code (its first two digits): left empty, it is filled in."""

    normalised_fields = ("code",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "prefecture" in self.fields:
            self.fields["prefecture"].required = False
            self.fields["prefecture"].help_text = "空欄なら団体コードの先頭2桁から決まります（例: 401307 → 福岡県）。"

    def clean_prefecture(self):
        prefecture = self.cleaned_data.get("prefecture")
        code = self.cleaned_data.get("code") or ""
        if prefecture is None and len(code) == 6 and code[:2].isdigit():
            prefecture = self.fields["prefecture"].queryset.filter(code=code[:2]).first()
        if prefecture is None:
            raise ValidationError("都道府県を選ぶか、正しい団体コードを入力してください。")
        return prefecture
