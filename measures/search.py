"""What a measure page puts in the Japanese search index."""

from casebook.base.search import documents
from casebook.base.search.documents import Document, stream_text
from measures.models import MeasurePage


def measure_document(measure: MeasurePage) -> Document:
    body = [
        measure.short_name,
        measure.summary,
        stream_text(measure.body),
        " ".join(f"{t.description} {t.deadline} {t.baseline}" for t in measure.targets.all()),
        " ".join(f"{s.group} {s.label} {s.note} {s.source}" for s in measure.statistics.all()),
        " ".join(f"{s.name} {s.description}" for s in measure.support_measures.all()),
        " ".join(b.name for b in measure.standard_businesses.all()),
    ]
    return Document("measure", measure.title, "", " ".join(body))


def register():
    documents.register(MeasurePage, measure_document)
