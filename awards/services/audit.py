"""The audit log: append an entry to its authority's hash chain, and verify the chains.

``record`` is the one way entries are written. It locks the chain's head row
(``AuditChainHead``, ``select_for_update``) for the rest of the caller's transaction, so two
requests appending to one authority's chain at once are serialised instead of both linking to the
same previous entry (the race would fork the chain). ``verify_chains`` recomputes every hash and
reports, per chain, the first broken link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.audit_chain import (
    GENESIS,
    PLATFORM_CHAIN,
    authority_id_of,
    chain_key,
    entry_hash,
    hash_of,
)
from awards.models import AuditChainHead, AuditEntry, AwardingAuthority


def _locked_head(key: str) -> AuditChainHead:
    """The chain's head row, locked until the end of the transaction (created on first use)."""
    head = AuditChainHead.objects.select_for_update().filter(key=key).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(key=key)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs
    return AuditChainHead.objects.select_for_update().get(key=key)


def record(
    *, actor, action: AuditAction, target: models.Model, summary: dict | None = None, **details
) -> AuditEntry:
    """Append one entry to the audit log; services call this for every state change.

    Only a member of :class:`AuditAction` is accepted, not a bare string (even a known one), so
    every action in the log is declared, labelled and findable in one place. The entry joins the
    chain of the target's awarding authority (``awards.audit_chain.authority_id_of``). An unsaved
    ``target`` (a login attempt for a username nobody has) is recorded without a number.
    ``summary`` (``awards.notes.note(code, **params)``) is a sentence for the reader, worded in
    their language when shown; the hash covers it. (``note`` stays an ordinary detail.)"""
    if not isinstance(action, AuditAction):
        raise ValueError(
            f"unknown audit action {action!r}: pass a member of awards.audit_actions.AuditAction"
        )
    actor = actor if getattr(actor, "pk", None) else None
    authority_id = authority_id_of(target)
    fields = {
        "authority_id": authority_id,
        "action": action.value,
        "actor_pk": actor.pk if actor else None,
        "actor_name": (actor.get_full_name() or actor.get_username())[:150] if actor else "",
        "target_type": target._meta.label_lower,
        "target_id": "" if target.pk is None else str(target.pk),
        "target_label": str(target)[:200],
        "details": details,
        "note_code": summary["code"] if summary else "",
        "note_params": summary["params"] if summary else {},
    }
    # No savepoint: the lock needs a transaction (the caller's, or this one), nothing to undo.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain_key(authority_id))
        created_at = timezone.now()
        digest = entry_hash(**fields, created_at=created_at, prev_hash=head.last_hash)
        entry = AuditEntry.objects.create(
            actor=actor,
            created_at=created_at,
            prev_hash=head.last_hash,
            hash=digest,
            **fields,
        )
        head.last_entry_id = entry.pk
        head.last_hash = digest
        head.save(update_fields=["last_entry_id", "last_hash"])
    return entry


@dataclasses.dataclass(frozen=True)
class BrokenLink:
    entry_id: int | None
    created_at: dt.datetime | None
    problem: str


@dataclasses.dataclass(frozen=True)
class ChainReport:
    key: str
    authority_id: int | None
    label: str
    entries: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _verify_chain(entries, head: AuditChainHead | None) -> tuple[int, BrokenLink | None]:
    previous_hash, previous = GENESIS, None
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != previous_hash:
            return count, BrokenLink(
                entry.pk,
                entry.created_at,
                _(
                    "记录的“前一条哈希”与链中前一条记录（%(previous)s）的哈希不符："
                    "其间的记录被删除、插入或改动。"
                )
                % {"previous": f"#{previous.pk}" if previous else _("链首")},
            )
        computed = hash_of(entry)
        if entry.hash != computed:
            return count, BrokenLink(
                entry.pk,
                entry.created_at,
                _(
                    "记录的内容与其哈希不符：记录在写入后被改动（存储 %(stored)s…，按内容应为 %(computed)s…）。"
                )
                % {"stored": entry.hash[:12], "computed": computed[:12]},
            )
        previous_hash, previous = entry.hash, entry
    head_hash = head.last_hash if head else GENESIS
    if head_hash != previous_hash:
        return count, BrokenLink(
            head.last_entry_id if head else None,
            None,
            _("链的最后一条记录应为 #%(expected)s，现为 %(found)s：链尾的记录被删除或改动。")
            % {
                "expected": head.last_entry_id if head else "",
                "found": f"#{previous.pk}" if previous else _("空"),
            },
        )
    return count, None


def verify_chains(authority_ids=None, *, include_platform: bool = True) -> list[ChainReport]:
    """Recompute every chain (or those of ``authority_ids``): per chain, the number of entries
    and the first broken link, if any. Read only."""
    heads = {head.key: head for head in AuditChainHead.objects.all()}
    authorities = AwardingAuthority.objects.order_by("name", "pk")
    if authority_ids is not None:
        authorities = authorities.filter(pk__in=authority_ids)
    chains = [(authority.pk, str(authority)) for authority in authorities]
    known = {pk for pk, _label in chains}
    # Entries of an authority that no longer exists still form a chain worth checking.
    if authority_ids is None:
        orphaned = (
            AuditEntry.objects.exclude(authority_id__isnull=True)
            .exclude(authority_id__in=known)
            .values_list("authority_id", flat=True)
            .distinct()
        )
        chains += [(pk, _("已删除的授奖机关 #%(id)s") % {"id": pk}) for pk in sorted(orphaned)]
    if include_platform and authority_ids is None:
        chains.append((None, _("平台（不属于任何授奖机关）")))
    reports = []
    for authority_id, label in chains:
        key = chain_key(authority_id)
        entries = AuditEntry.objects.filter(authority_id=authority_id).order_by("pk")
        if authority_id is None:
            entries = AuditEntry.objects.filter(authority_id__isnull=True).order_by("pk")
        count, broken = _verify_chain(entries.iterator(chunk_size=2000), heads.get(key))
        reports.append(ChainReport(key, authority_id, label, count, broken))
    return reports


__all__ = ["PLATFORM_CHAIN", "BrokenLink", "ChainReport", "record", "verify_chains"]
