"""What an uploaded file really is, read from its bytes (never its name nor the browser's word),
and the thumbnail of an image. No Django here: puremagic and Pillow only.

A file named `scan.pdf` may be a Windows program; a browser sends whatever type the name
suggests. Only the content decides, and an image must also decode.
"""

import io
import warnings
from typing import BinaryIO

import puremagic
from PIL import Image, ImageOps

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"  # what document scanners often produce
ACCEPTED = (PDF, JPEG, PNG, TIFF)
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}
# File name extensions of each type, the usual one first.
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), TIFF: (".tif", ".tiff")}

HEAD_BYTES = 8192
THUMBNAIL_PX = 256


class UnreadableImage(Exception):
    """The bytes announce an image that Pillow cannot decode (damaged, truncated, too large)."""


def detect_type(head: bytes) -> str | None:
    """The accepted type these first bytes belong to, or None.

    puremagic lists every signature that matches, best first; a type is accepted only when it
    is the single accepted type among the best matches (a polyglot stays refused)."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    if not matches:
        return None
    best = {m.mime_type for m in matches if m.confidence == matches[0].confidence}
    accepted = best & set(ACCEPTED)
    if len(accepted) != 1:
        return None
    mime = accepted.pop()
    # A PDF starts with its header at byte 0 (ISO 32000-1 §7.5.2); readers tolerate junk
    # before it, which is how some polyglot files hide a PDF behind something else.
    if mime == PDF and not head.startswith(b"%PDF-"):
        return None
    return mime


# A 600 dpi A4 scan is about 35 million pixels; beyond 40 million, decoding in the web process
# would take hundreds of megabytes (Pillow's own limit, 89 million, is too generous here).
MAX_PIXELS = 40_000_000


def download_name(original_name: str, mime: str) -> str:
    """The user's file name, with the extension of what the file really is."""
    extensions = EXTENSIONS.get(mime, ("",))
    if original_name.lower().endswith(extensions):
        return original_name
    return original_name + extensions[0]


def _open(fileobj: BinaryIO, mime: str) -> Image.Image:
    fileobj.seek(0)
    with warnings.catch_warnings():
        # Beyond Pillow's pixel limit the image is refused rather than decoded (a "bomb").
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(fileobj, formats=[PILLOW_FORMATS[mime]])
    if image.width * image.height > MAX_PIXELS:
        raise Image.DecompressionBombError(f"{image.width}×{image.height} pixels")
    return image


def image_thumbnail(fileobj: BinaryIO, mime: str) -> bytes:
    """Check that the image decodes as the type detected, and return a JPEG thumbnail of at
    most THUMBNAIL_PX on its longest side (turned upright as the camera meant it)."""
    try:
        with _open(fileobj, mime) as image:
            image.verify()  # structure and checksums, without decoding pixels
        with _open(fileobj, mime) as image:
            image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))  # JPEG: decode at a reduced scale
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))  # decodes the pixels: truncation shows
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, "white")
                image.paste(rgba, mask=rgba.getchannel("A"))
            else:
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80, optimize=True)
            return out.getvalue()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as error:
        raise UnreadableImage(str(error)) from error
    finally:
        fileobj.seek(0)
