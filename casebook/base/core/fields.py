import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from wagtail import fields

from casebook.base.core.parsing import parse_japanese_date


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Writes Japanese as itself rather than as \\uXXXX escapes: a third of the bytes in SQLite."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


class StreamField(fields.StreamField):
    """Wagtail's StreamField, stored with UnicodeJSONEncoder."""

    @property
    def json_field(self):
        return models.JSONField(encoder=UnicodeJSONEncoder)


class JapaneseDateInput(forms.TextInput):
    """A plain text box for a date: it shows what was typed, never rewritten by a date picker."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "placeholder": "例: 2023-06-20、令和5年6月20日", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)


class JapaneseDateFormField(forms.DateField):
    """Reads the dates a Japanese editor types (casebook.base.core.parsing.parse_japanese_date); anything else
    is refused with a Japanese message and the typed text stays in the box."""

    widget = JapaneseDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_japanese_date(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class JapaneseDateField(models.DateField):
    """A DateField edited with JapaneseDateFormField in the admin and every form."""

    def formfield(self, **kwargs):
        kwargs.pop("widget", None)  # Wagtail's date picker rewrites what was typed
        return super().formfield(**{**kwargs, "form_class": JapaneseDateFormField, "widget": JapaneseDateInput})
