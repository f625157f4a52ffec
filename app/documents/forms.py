"""The file field every document upload uses: the upload is judged while the form validates, so a
refusal shows at once in the error summary, linked to the field, and nothing is stored."""
from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField
from wtforms.validators import StopValidation

from .rules import ACCEPT, ALLOWED_TEXT, Refused, megabytes
from .services import Upload, check_upload


class DocumentField(FileField):
    """A file input judged by content (documents.rules). After validation `upload` holds the
    accepted bytes and their judgement (None when the field was optional and left empty)."""

    def __init__(self, label=None, validators=None, *, required: bool = True, **kwargs):
        render_kw = {"accept": ACCEPT, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.required = required
        self.upload: Upload | None = None

    @property
    def description(self) -> str:
        """The hint under the label: what it is for (if given), then the formats and the limit."""
        formats = f"{ALLOWED_TEXT}, up to {megabytes(current_app.config['DOCUMENT_MAX_BYTES'])}."
        return f"{self._purpose} {formats}" if self._purpose else formats

    @description.setter
    def description(self, value: str) -> None:
        self._purpose = value or ""

    def pre_validate(self, form) -> None:
        self.upload = None
        storage = self.data
        chosen = storage is not None and hasattr(storage, "stream") and (storage.filename or "") != ""
        if not chosen:
            if self.required:
                raise StopValidation("Select a file")
            return
        # Read one byte past the limit: enough to know it is too large, never the whole of a huge body.
        data = storage.stream.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)
        try:
            self.upload = check_upload(data, storage.filename)
        except Refused as e:
            raise StopValidation(e.message) from None
