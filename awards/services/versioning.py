"""Optimistic locking: rows that two tabs or two people may change carry a ``version``.

A page remembers the version it was loaded with and sends it back; the save moves the version on
only if it is still the one the page saw. The check and the increment are one conditional UPDATE
(``… SET version = version + 1 WHERE pk = … AND version = <expected>``), so of two saves of the
same version the database lets exactly one match, on SQLite and PostgreSQL alike, and the other
changes nothing. What a miss means (someone saved in between, the row was locked, the work was
already done) differs per service, so ``bump_version`` reports whether it wrote and the service
raises its own refusal, usually a ``StaleVersion``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, QuerySet


class StaleVersion(ValidationError):
    """Someone saved after this page was loaded; nothing was written.

    ``current_version``, when the service knows it, is the version now saved, so the page can
    reload from it.
    """

    def __init__(
        self, message: str, *, current_version: int | None = None, code: str = "stale"
    ) -> None:
        super().__init__(message, code=code)
        self.current_version = current_version


def bump_version(target: QuerySet | models.Model, *, expected: int | None, **changes: Any) -> bool:
    """Write ``changes`` and move ``version`` on by one, if the version is still ``expected``.

    ``target`` is either the rows to update (a queryset naming the row, or rows, and any other
    condition such as a status), written by one conditional UPDATE; or a model instance that the
    caller has locked with ``select_for_update``, whose in-memory values are then the row's: it
    is compared, changed in memory and saved with ``update_fields`` (so the model's ``save`` and
    its signals still run). ``expected=None`` says on purpose that any version will do: an
    official's action that must invalidate whatever page a reviewer still has open, or a
    service that has already compared the version under its lock.

    Returns whether any row was written; nothing is written otherwise.
    """
    if isinstance(target, models.Model):
        if expected is not None and target.version != expected:
            return False
        for name, value in changes.items():
            setattr(target, name, value)
        target.version += 1
        target.save(update_fields=["version", *changes])
        return True
    rows = target if expected is None else target.filter(version=expected)
    return rows.update(version=F("version") + 1, **changes) > 0


def parts_written_after(versions: Mapping[str, int], seen: Mapping[str, int]) -> list[str]:
    """The parts of a row locked part by part that were saved after the page saw them.

    A row whose parts (wizard steps, scorecard items) are edited on separate pages keeps, per
    part, the row's version at the part's last save (``versions``, e.g.
    ``Application.step_versions``). A page sends back the version it was built from, per part
    (``seen``): the part's own or the whole row's. A part is stale only when it was saved after
    that, so two tabs on different parts both save, and of two tabs on the same part only the
    first save wins. A part never saved accepts any version. Read ``versions`` under the row's
    lock (after the UPDATE that moves its version on) so that two saves cannot both pass.
    """
    return sorted(part for part, version in seen.items() if int(versions.get(part, 0)) > version)
