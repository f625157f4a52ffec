"""Small real files of every kind the tests upload, made here (no binary fixtures in the repo)."""
from __future__ import annotations

import io
import zipfile


def pdf(text: str = "Specification") -> bytes:
    """A minimal, valid one-page PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def exe() -> bytes:
    """The start of a Windows program (a DOS MZ header and a PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29)
    header += b"\x00" * (0x3C - len(header)) + (0x80).to_bytes(4, "little")
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x00" * 200
    return bytes(header)


def docx(extra: dict[str, bytes] | None = None, *, document: bytes | None = None) -> bytes:
    """A Word document's minimal parts ([Content_Types].xml first, as Word writes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", document if document is not None else b"<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A DOCX whose document part unpacks to `unpacked_bytes` of zeros (a few hundred KB packed)."""
    return docx(document=b"\x00" * unpacked_bytes)


def many_entries(n: int) -> bytes:
    return docx({f"word/media/image{i}.png": b"" for i in range(n)})


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x02\x00\x00\x00" + b"\x00" * 40


def csv_text() -> bytes:
    return "question,answer\nWhen,“Next spring” – café\n".encode("utf-8")
