"""A small JPEG of a photo attached as evidence, for the entry page and the verifier's queue.

The verifier sees what was attached without opening a download; the thumbnail is made once, when the
photo is attached, at most THUMBNAIL_SIZE px on its long side. A picture Pillow cannot read (a PNG with
a broken body behind a good header) gets none: the file is still kept and served as it is.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from indicators.documents.evidence import JPEG, PNG

THUMBNAIL_SIZE = 320
# a phone photo is about 12 Mpx; Pillow's own bomb guard (about 89 Mpx) stays as the ceiling
IMAGE_TYPES = (JPEG, PNG)


def thumbnail_of(upload, content_type: str) -> ContentFile | None:
    """A JPEG thumbnail of an image upload, or None (not an image, or unreadable)."""
    if content_type not in IMAGE_TYPES:
        return None
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # a phone's portrait photo stands upright
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue())
