"""A case in the API as one result of the JSON export (cases/reuse/api.py): `record`, added to the
case page's API fields when the app is ready (register()), so the page model needs no export code."""

from rest_framework.fields import Field
from wagtail.api import APIField

from casebook.base.core.links import public_url
from cases.content.pages import CasePage
from cases.reuse.export import case_records
from measures.models import current_plan


class ExportRecordField(Field):
    """A case as one result of the JSON export."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, case):
        records = self.context.get("export_records") or ExportRecords(self.context.get("request"), [case.pk])
        return records.get(case)


class ExportRecords:
    """The export records of one listing's cases, built at the first case asked for."""

    def __init__(self, request, ids: list[int]):
        self.request, self.ids, self.records = request, ids, None

    def get(self, case):
        if self.records is None:
            index = case.get_parent()
            # As the export writes it: on the site's own address.
            base_url = public_url(index.get_url(self.request), self.request) if index and self.request else ""
            self.records = {}
            for record, pk in zip(case_records(self.ids, base_url, current_plan()), self._present(), strict=False):
                self.records[pk] = record
        return self.records.get(case.pk)

    def _present(self):
        # case_records skips ids that are not cases (an API listing mixes page types), keeping order.
        cases = set(CasePage.objects.filter(pk__in=self.ids).values_list("pk", flat=True))
        return [pk for pk in self.ids if pk in cases]


def register():
    """/api/v2/pages/?type=cases.CasePage&fields=record."""
    if not any(field.name == "record" for field in CasePage.api_fields):
        CasePage.api_fields = [*CasePage.api_fields, APIField("record", serializer=ExportRecordField())]
