"""The private object store: an S3 bucket whose files have no URL.

Evidence, application PDFs and certificates are someone's private data. On the local disk they
live outside MEDIA_ROOT; in an object store they live in a bucket of their own that is never
public, and this storage refuses to make a URL (not even a signed one), so that every private
file leaves through the permission-checked views of ``awards/views/downloads.py``.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(
            "Private files have no URL: serve them through awards/views/downloads.py."
        )
