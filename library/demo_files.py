"""Small real files for the demo library, built in code: PDF, PNG, ZIP, CSV and text.

Each builder is deterministic (no dates or random bytes inside), so a second demo run
produces identical files.
"""

import csv
import io
import struct
import textwrap
import zipfile
import zlib

BRAND = (13, 110, 89)  # the site's brand green
WHITE = (255, 255, 255)


def _pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi (cp1252), so umlauts and accents print with the standard fonts."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", errors="replace") + b")"


def pdf_document(title: str, paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF with a bold title and wrapped paragraphs; readers open it as any PDF."""
    lines = [b"BT", b"/F2 18 Tf", b"72 770 Td", _pdf_text(title) + b" Tj", b"/F1 11 Tf", b"0 -14 Td"]
    for paragraph in paragraphs:
        lines.append(b"0 -12 Td")
        for line in textwrap.wrap(paragraph, 88) or [""]:
            lines.append(b"0 -15 Td " + _pdf_text(line) + b" Tj")
    lines.append(b"ET")
    stream = b"\n".join(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _pdf_text(title) + b" /Producer (Partner extranet demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def png_logo(size: int, background: tuple[int, int, int], foreground: tuple[int, int, int]) -> bytes:
    """A square PNG: a shield-like block of `foreground` on `background`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = []
    for y in range(size):
        # A rectangle that narrows towards the bottom, roughly a shield.
        inset = size // 4 + (max(0, y - size // 2) * size // (2 * size))
        inside = size // 5 <= y < size * 4 // 5
        row = [foreground if inside and inset <= x < size - inset else background for x in range(size)]
        rows.append(b"\x00" + b"".join(bytes(pixel) for pixel in row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def zip_archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2005, 9, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def logo_pack() -> bytes:
    return zip_archive(
        {
            "partner-logo-colour.png": png_logo(256, WHITE, BRAND),
            "partner-logo-white.png": png_logo(256, BRAND, WHITE),
            "README.txt": (
                b"Partner logo pack\n\n"
                b"Use the colour logo on light backgrounds and the white logo on dark ones.\n"
                b"Keep a clear space of half the logo's width around it; do not stretch or recolour it.\n"
                b"Place the logo next to your own, never inside it.\n"
            ),
        }
    )


def csv_table(header: list[str], rows: list[list[str]], *, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def text(body: str) -> bytes:
    return (textwrap.dedent(body).strip() + "\n").encode()
