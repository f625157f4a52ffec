"""Judging an upload by its content (app/documents/rules.py): pure, no app."""
from __future__ import annotations

import pytest

from app.documents.rules import Limits, Refused, judge, megabytes, safe_name, TYPES

from tests.documents import samples

MB = 1024 * 1024
LIMITS = Limits(max_bytes=20 * MB, max_unpacked_bytes=10 * MB, max_entries=100)


@pytest.mark.parametrize("data, name, kind, stored", [
    (samples.pdf(), "Specification v2.pdf", "pdf", "Specification v2.pdf"),
    (samples.docx(), "Answers.DOCX", "docx", "Answers.docx"),
    (samples.png(), "diagram.png", "png", "diagram.png"),
    (samples.csv_text(), "prices.csv", "csv", "prices.csv"),
    (samples.pdf(), "no extension", "pdf", "no extension.pdf"),
])
def test_allowed_files_are_judged_by_content_and_keep_a_safe_name(data, name, kind, stored):
    judged = judge(data, name, LIMITS)
    assert judged.type.key == kind and judged.name == stored and judged.size == len(data)


def test_a_pdf_renamed_exe_is_refused_for_its_name():
    with pytest.raises(Refused) as e:
        judge(samples.pdf(), "tender.exe", LIMITS)
    assert e.value.message == ("The selected file is a PDF but its name ends in .exe: rename it to end in .pdf "
                               "and upload it again")


@pytest.mark.parametrize("data", [samples.exe(), b"\x7fELF" + b"\x00" * 100, bytes(range(256)) * 4])
def test_a_program_or_unknown_binary_named_pdf_is_refused_for_its_content(data):
    with pytest.raises(Refused) as e:
        judge(data, "specification.pdf", LIMITS)
    assert e.value.message == "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV, PNG or JPEG"


def test_an_empty_file_is_refused():
    with pytest.raises(Refused, match="The selected file is empty"):
        judge(b"", "empty.pdf", LIMITS)


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words():
    with pytest.raises(Refused) as e:
        judge(samples.pdf() + b"\x00" * (LIMITS.max_bytes), "big.pdf", LIMITS)
    assert e.value.message == "The selected file must be smaller than 20 MB"
    assert judge(samples.pdf(), "small.pdf", LIMITS)  # under it, accepted


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to_not_what_it_claims():
    bomb = samples.zip_bomb(LIMITS.max_unpacked_bytes + 1)
    assert len(bomb) < MB  # small when packed
    with pytest.raises(Refused, match="unpacks to more than 10 MB"):
        judge(bomb, "answers.docx", LIMITS)
    assert judge(samples.zip_bomb(LIMITS.max_unpacked_bytes // 2), "answers.docx", LIMITS).type.key == "docx"


def test_a_zipped_document_with_too_many_parts_is_refused():
    with pytest.raises(Refused, match="or 100 parts"):
        judge(samples.many_entries(LIMITS.max_entries), "answers.docx", LIMITS)


def test_a_document_with_macros_is_refused():
    with pytest.raises(Refused, match="contains macros"):
        judge(samples.docx({"word/vbaProject.bin": b"\x00" * 10}), "answers.docx", LIMITS)


def test_a_zip_that_is_no_word_document_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/other.xml", "<x/>")  # filetype sees word/, but the document part is missing
    with pytest.raises(Refused):
        judge(out.getvalue(), "answers.docx", LIMITS)


@pytest.mark.parametrize("given, expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\ann\\Spécification – lot 1.pdf", "Spécification lot 1.pdf"),
    ("<script>alert(1)</script>.pdf", "script.pdf"),  # "/" is a folder: only the last part is kept
    ("<b onmouseover=x>.pdf", "b onmouseoverx.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("\x00\x1b[31m.pdf", "31m.pdf"),
    ("", "document.pdf"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
])
def test_names_are_made_safe(given, expected):
    assert safe_name(given, TYPES["pdf"]) == expected


def test_text_with_control_characters_is_not_a_csv():
    with pytest.raises(Refused):
        judge(b"a,b\n\x01\x02,c\n", "x.csv", LIMITS)


def test_megabytes_reads_as_people_say_it():
    assert megabytes(20 * MB) == "20 MB" and megabytes(MB // 2) == "0.5 MB"
