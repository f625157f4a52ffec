"""Documents: files people upload where procurement needs them, judged, kept and audited.

This package knows how to judge an upload (rules.py, pure), keep it (models.Document, one row per
uploaded file, its bytes in app/storage by SHA-256), attach it to something as a version of a
series (models.AttachmentMixin, used by each owning domain's own link table) and give it back
(services.send, .zip_response). It knows nothing of what a document belongs to or who may read
it: the owning domains (competitions, offers, governance) declare their link tables, check their
own permission rules, and call these services, which write the audit entry naming the link (so a
sealed bid document's entries stay hidden with it: audit/sealing.py).
"""
