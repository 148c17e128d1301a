"""A case in the API as one result of the JSON export (cases/api.py). Kept apart from the API's
views, which cannot be imported while the models load."""

from rest_framework.fields import Field


class ExportRecordField(Field):
    """A case as one result of the JSON export."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, case):
        from cases.export import case_records
        from measures.plan import current_plan

        request = self.context.get("request")
        index = case.get_parent()
        # As the export writes it: on the host the request came to.
        base_url = request.build_absolute_uri(index.get_url(request)) if index and request else ""
        records = case_records([case.pk], base_url, current_plan())
        return records[0] if records else None
