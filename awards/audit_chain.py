"""The hash chain of the audit log: the canonical content of an entry, its hash, and which
authority's chain an object belongs to.

Pure functions over plain values and ``Model._meta`` (no imports of the app's models), so the
data migration that chains the entries written before the chain existed uses exactly the same
rules as ``awards.services.audit.record``.

Each awarding authority has its own chain; entries of no authority (accounts of applicants, data
of the platform) form one more chain. An entry stores the hash of the previous entry of its chain
and its own hash over its canonical content, which includes that previous hash: changing,
removing or inserting an entry breaks the link after it, and ``verify_audit`` names the first
broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import deque

#: The ``previous hash`` of the first entry of every chain.
GENESIS = ""
#: Bumped when the canonical form changes (old entries keep their version's rules).
CHAIN_VERSION = 1
PLATFORM_CHAIN = "platform"
#: Forward relations never followed to find an object's authority: who acted, applicants'
#: organizations (an organization applies to any authority) and generic relations.
_SKIPPED_RELATIONS = {"awards.user", "awards.organization", "contenttypes.contenttype"}
#: Only the portal's own models lead to an authority (not Wagtail's pages, revisions, locales).
_FOLLOWED_APPS = {"awards", "scoring", "home"}
_MAX_DEPTH = 6


def chain_key(authority_id: int | None) -> str:
    """The name of the chain an entry of ``authority_id`` (or of none) belongs to."""
    return PLATFORM_CHAIN if authority_id is None else f"authority-{authority_id}"


def canonical_details(details) -> str:
    """``details`` as canonical JSON: keys sorted, no spaces, non-ASCII kept as is."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_time(moment: dt.datetime) -> str:
    """A timestamp in UTC with microseconds: the same text whatever the database returns."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_content(
    *,
    authority_id: int | None,
    action: str,
    actor_pk: int | None,
    actor_name: str,
    target_type: str,
    target_id: str,
    target_label: str,
    details,
    created_at: dt.datetime,
    prev_hash: str,
    note_code: str = "",
    note_params=None,
) -> dict:
    """The fields an entry's hash covers, as plain values.

    The note (code and parameters) joined the entry later: it is covered only when the entry
    has one, so every entry written before keeps exactly the content, and hash, it had."""
    content = {
        "version": CHAIN_VERSION,
        "authority": authority_id,
        "action": str(action),
        "actor": actor_pk,
        "actor_name": actor_name,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "details": json.loads(canonical_details(details)),
        "created_at": canonical_time(created_at),
        "prev_hash": prev_hash,
    }
    if note_code:
        content["note_code"] = note_code
        content["note_params"] = json.loads(canonical_details(note_params or {}))
    return content


def entry_hash(**fields) -> str:
    """SHA-256 (hex) of the canonical JSON of :func:`entry_content`."""
    text = canonical_details(entry_content(**fields))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(entry) -> str:
    """The hash an ``AuditEntry`` (or a historical model of it) should carry."""
    return entry_hash(
        authority_id=entry.authority_id,
        action=entry.action,
        actor_pk=entry.actor_pk,
        actor_name=entry.actor_name,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_label=entry.target_label,
        details=entry.details,
        created_at=entry.created_at,
        prev_hash=entry.prev_hash,
        # A historical model from before the note existed has neither field.
        note_code=getattr(entry, "note_code", ""),
        note_params=getattr(entry, "note_params", None),
    )


def authority_id_of(obj) -> int | None:
    """The awarding authority whose chain an entry about ``obj`` belongs to, or None.

    An authority is itself; a row with an ``authority`` relation is that authority's (a staff
    account, a programme, a framework); any other row is its nearest related row's, found by
    following forward relations breadth first (a scorecard → assignment → panel → stage → cycle →
    programme → authority). Works on historical models too (only ``_meta`` is read).
    """
    queue = deque([(obj, 0)])
    seen = set()
    while queue:
        current, depth = queue.popleft()
        meta = current._meta
        label = meta.concrete_model._meta.label_lower
        key = (label, current.pk)
        if key in seen:
            continue
        seen.add(key)
        if label == "awards.awardingauthority":
            return current.pk
        names = {field.name for field in meta.concrete_fields}
        if "authority" in names:
            authority_id = getattr(current, "authority_id", None)
            if authority_id is not None or label == "awards.user":
                return authority_id
        if depth >= _MAX_DEPTH or label in _SKIPPED_RELATIONS:
            continue
        for field in meta.concrete_fields:
            if not field.is_relation or field.name == "authority":
                continue
            related_meta = field.related_model._meta.concrete_model._meta
            if (
                related_meta.label_lower in _SKIPPED_RELATIONS
                or related_meta.app_label not in _FOLLOWED_APPS
            ):
                continue
            related = getattr(current, field.name, None)
            if related is not None:
                queue.append((related, depth + 1))
    return None
