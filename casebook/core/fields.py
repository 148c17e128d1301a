from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from wagtail import fields


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Writes Japanese as itself rather than as \\uXXXX escapes: a third of the bytes in SQLite."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


class StreamField(fields.StreamField):
    """Wagtail's StreamField, stored with UnicodeJSONEncoder."""

    @property
    def json_field(self):
        return models.JSONField(encoder=UnicodeJSONEncoder)
