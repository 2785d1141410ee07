"""Organization logos: checked from their own bytes, then re-encoded with Pillow.

Only the pixels are kept (no metadata, no extra chunks, no second frame), and a logo is capped in
pixels as well as bytes: a small file can unpack into a huge image (a 490 KB PNG of 13000x13000
pixels took 7 s and 1.3 GB to draw into a PDF). The size is read from the header before any
pixel is decoded.
"""

import warnings
from io import BytesIO

from workshop.platform.errors import N_

MAX_BYTES = 512 * 1024
MAX_SIDE = 2000  # pixels, either side
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MIMETYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """A logo that is refused; the message is for the person uploading it."""


def prepare_logo(data: bytes) -> tuple[bytes, str]:
    """``(bytes to store, mimetype)`` for an uploaded logo, or LogoError."""
    if len(data) > MAX_BYTES:
        raise LogoError(N_("The logo must be at most 512 KB."))
    claimed = next((kind for signature, kind in SIGNATURES.items() if data.startswith(signature)), None)
    if claimed is None:
        raise LogoError(N_("The logo must be a PNG or JPEG image."))
    # Pillow (~2 MiB) only in the worker that takes an upload: pages never decode a logo.
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format != claimed:
                raise LogoError(N_("The logo must be a PNG or JPEG image."))
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise LogoError(N_("The logo must be at most 2000 by 2000 pixels. Make it smaller and upload it again."))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(N_("The logo must be at most 2000 by 2000 pixels. Make it smaller and upload it again.")) from None
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, LogoError):
            raise
        raise LogoError(N_("The logo could not be read as an image. Save it again as PNG or JPEG and upload it.")) from None
    return _reencoded(image, claimed), MIMETYPES[claimed]


def _reencoded(image, kind: str) -> bytes:
    out = BytesIO()
    if kind == "JPEG":
        image = image.convert("L" if image.mode in ("1", "L") else "RGB")
        image.save(out, format="JPEG", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()
