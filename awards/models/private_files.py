"""Where applicants' files live: the private storage, never under MEDIA_ROOT.

Stored names are generated (application id + random token); the name the applicant gave is kept,
sanitized, only in the database and used as the download file name.
"""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Callable storage so that tests and deployments can swap STORAGES["private"]."""
    return storages["private"]


def attachment_upload_to(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/attachments/{secrets.token_hex(16)}{suffix}"


def application_pdf_upload_to(instance, filename: str) -> str:
    return f"applications/{instance.pk}/pdf/{secrets.token_hex(8)}-{filename}"
