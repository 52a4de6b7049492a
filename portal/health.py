"""``/healthz``: is this process able to serve? Asked by the container runtime and the load balancer.

It checks what every request may need: the database answers (and is migrated), and both file
stores (public media and private files) are reachable. The answer names each check and says only
``ok`` or ``failed``: no host names, no error text, no data, since anyone may ask. What failed is
logged with its cause for the operators.
"""

import logging
import os
import time

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("portal.health")

#: The storages the portal writes to (STORAGES aliases), each checked on its own.
CHECKED_STORAGES = ("default", "private")


def check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")


def check_storage(storage: Storage) -> None:
    """The store answers: an object store's bucket exists and accepts our keys; a local directory
    exists (or can be made) and is writable."""
    if isinstance(storage, FileSystemStorage):
        location = storage.location
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError("storage directory not writable")
        return
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return
    storage.exists(".healthz")  # any other backend: a round trip that changes nothing


def run_checks() -> dict[str, str]:
    checks = {"database": check_database}
    for alias in CHECKED_STORAGES:
        checks[f"storage:{alias}"] = lambda alias=alias: check_storage(storages[alias])
    results = {}
    for name, check in checks.items():
        started = time.monotonic()
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure is a failed check, logged with its cause
            logger.exception(
                "health check failed", extra={"check": name, "seconds": time.monotonic() - started}
            )
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_GET
def healthz(request):
    checks = run_checks()
    failed = sorted(name for name, result in checks.items() if result != "ok")
    body = {"status": "failed" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
