"""Image uploads that are checked all the way through (settings.WAGTAILIMAGES_IMAGE_FORM_BASE)."""

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, which also decodes the whole picture. Wagtail reads only a file's header,
    so one that starts like a JPEG or PNG and then breaks off passed the form and failed later, making
    the thumbnail, as a server error; now it gets Wagtail's Japanese message at the field."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)  # first: it refuses pictures too large to decode
            f.seek(0)
            with PILImage.open(f) as picture:
                picture.load()
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 — Pillow has no single error for a broken file
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error
        finally:
            f.seek(0)


class CasebookImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:  # made here, like Wagtail's, so it reads the upload limits in force now
            field = self.fields["file"]
            self.fields["file"] = CheckedImageField(label=field.label, required=field.required)
