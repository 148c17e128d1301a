"""What the site records of an uploaded file when it is saved, so that no page view asks the storage
(on object storage: one request to the bucket per file) for it later."""

from django.db.models.signals import pre_save


def record_document_size(sender, instance, **kwargs) -> None:
    """A document saved by code (the seed, an import, a command) gets its size as Wagtail's admin gives
    it one; only a file in hand is measured (an uncommitted upload), never one already in the storage."""
    upload = instance.file
    if instance.file_size is None and upload and not getattr(upload, "_committed", True):
        instance.file_size = upload.size


def connect() -> None:
    from wagtail.documents import get_document_model

    pre_save.connect(record_document_size, sender=get_document_model(), dispatch_uid="casebook-document-size")
