"""The audit trail can be trusted: entries are hash-chained per authority, a tampered entry is
named by ``verify_audit`` and the console page, entries are never edited or deleted, and a
deleted user's name stays on their entries.

The race needs PostgreSQL, where two connections really append at the same time."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from awards.audit_actions import AuditAction
from awards.audit_chain import GENESIS, hash_of
from awards.models import AuditChainHead, AuditEntry
from awards.models.audit import ReadOnlyAuditError
from awards.services.audit import record, verify_chains
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def run_verify(*args) -> tuple[str, int]:
    """(output, exit status) of ``manage.py verify_audit``."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def tamper(entry_id: int, label: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE awards_auditentry SET target_label = %s WHERE id = %s", [label, entry_id]
        )


@pytest.fixture
def chain():
    """Three entries of one authority's chain, one of another authority, one of no authority."""
    cycle = CycleFactory()
    authority = cycle.programme.authority
    official = OfficialFactory(authority=authority, full_name="王审计")
    other = CycleFactory()
    entries = [
        record(actor=official, action=AuditAction.CREATE_CYCLE, target=cycle, note="一"),
        record(actor=official, action=AuditAction.CHANGE_CYCLE_STATUS, target=cycle, to="open"),
        record(actor=None, action=AuditAction.CREATE_OFFICIAL, target=official),
    ]
    other_entry = record(actor=None, action=AuditAction.CREATE_CYCLE, target=other)
    platform_entry = record(
        actor=None, action=AuditAction.REGISTER_ORGANIZATION, target=OrganizationFactory()
    )
    return {
        "cycle": cycle,
        "authority": authority,
        "official": official,
        "other": other,
        "entries": entries,
        "other_entry": other_entry,
        "platform_entry": platform_entry,
    }


def test_each_authority_has_its_own_chain_linked_by_hashes(chain):
    first, second, third = (AuditEntry.objects.get(pk=e.pk) for e in chain["entries"])
    authority = chain["authority"]
    assert [first.authority_id, second.authority_id, third.authority_id] == [authority.pk] * 3
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [hash_of(e) for e in (first, second, third)] == [first.hash, second.hash, third.hash]
    assert len({first.hash, second.hash, third.hash}) == 3
    other = AuditEntry.objects.get(pk=chain["other_entry"].pk)
    assert (other.authority_id, other.prev_hash) == (
        chain["other"].programme.authority_id,
        GENESIS,
    )
    platform = AuditEntry.objects.get(pk=chain["platform_entry"].pk)
    assert (platform.authority_id, platform.prev_hash) == (None, GENESIS)
    head = AuditChainHead.objects.get(key=f"authority-{authority.pk}")
    assert (head.last_entry_id, head.last_hash) == (third.pk, third.hash)
    assert (first.actor_pk, first.actor_name) == (chain["official"].pk, "王审计")


def test_an_application_entry_joins_its_cycles_authority_chain():
    application = ApplicationFactory()
    entry = record(actor=None, action=AuditAction.START_APPLICATION, target=application)
    assert entry.authority_id == application.cycle.programme.authority_id


def test_verify_audit_says_ok_for_every_intact_chain(chain):
    output, status = run_verify()
    assert status == 0
    lines = output.splitlines()
    assert f"OK      {chain['authority']}: 3 entries" in lines
    assert f"OK      {chain['other'].programme.authority}: 1 entries" in lines
    assert "OK      平台（不属于任何授奖机关）: 1 entries" in lines
    assert [line for line in lines if not line.startswith("OK")] == []


def test_a_tampered_entry_is_the_first_broken_link_named_by_the_command(chain):
    second = chain["entries"][1]
    tamper(second.pk, "改过的对象")
    output, status = run_verify()
    assert status == 1
    broken = [line for line in output.splitlines() if line.startswith("BROKEN")]
    when = timezone.localtime(second.created_at).isoformat(timespec="seconds")
    stored = AuditEntry.objects.get(pk=second.pk)
    assert broken == [
        f"BROKEN  {chain['authority']}: entry #{second.pk} at {when}: "
        f"记录的内容与其哈希不符：记录在写入后被改动（存储 {second.hash[:12]}…，"
        f"按内容应为 {hash_of(stored)[:12]}…）。"
    ]
    assert f"OK      {chain['other'].programme.authority}: 1 entries" in output


def test_a_removed_entry_breaks_the_link_of_the_next_one(chain):
    first, second, third = chain["entries"]
    AuditEntry._base_manager.filter(pk=second.pk)._raw_delete(using="default")
    [report] = verify_chains([chain["authority"].pk])
    assert report.broken.entry_id == third.pk
    assert report.broken.problem == (
        f"记录的“前一条哈希”与链中前一条记录（#{first.pk}）的哈希不符："
        "其间的记录被删除、插入或改动。"
    )


def test_a_removed_last_entry_is_found_through_the_chain_head(chain):
    third = chain["entries"][2]
    AuditEntry._base_manager.filter(pk=third.pk)._raw_delete(using="default")
    [report] = verify_chains([chain["authority"].pk])
    assert (report.entries, report.broken.entry_id) == (2, third.pk)


def test_the_console_page_shows_the_same_first_broken_link(client, chain):
    second = chain["entries"][1]
    tamper(second.pk, "改过的对象")
    client.force_login(chain["official"])
    response = client.get("/admin/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    key = f"authority-{chain['authority'].pk}"
    assert f'data-chain="{key}" data-chain-ok="false"' in html
    assert f'data-broken-entry="{second.pk}"' in html
    assert html.count("data-broken-entry=") == 1
    # An official sees their authority's chain only.
    assert html.count("data-chain=") == 1
    assert f"authority-{chain['other'].programme.authority_id}" not in html
    assert f'data-entry="{chain["other_entry"].pk}"' not in html
    # The chain's entries and the official's own sign-in (audited, in the same chain).
    logins = list(AuditEntry.objects.filter(action=AuditAction.LOG_IN).values_list("pk", flat=True))
    assert len(logins) == 1
    assert sorted(int(pk) for pk in _entry_ids(html)) == sorted(
        [e.pk for e in chain["entries"]] + logins
    )


def _entry_ids(html: str) -> list[str]:
    import re

    return re.findall(r'data-entry="(\d+)"', html)


def test_a_platform_administrator_sees_every_chain(client, chain):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/admin/audit/").content.decode()
    assert html.count('data-chain-ok="true"') == html.count("data-chain=") >= 3
    assert 'data-chain="platform"' in html
    assert len(_entry_ids(html)) == 5 + 1  # the fixture's five and the administrator's sign-in


def test_the_page_answers_get_only(client, chain):
    client.force_login(chain["official"])
    assert client.post("/admin/audit/").status_code == 405
    assert AuditEntry.objects.exclude(action=AuditAction.LOG_IN).count() == 5


def test_entries_cannot_be_changed_or_deleted_through_the_model(chain):
    entry = AuditEntry.objects.get(pk=chain["entries"][0].pk)
    entry.target_label = "改"
    with pytest.raises(ReadOnlyAuditError):
        entry.save()
    with pytest.raises(ReadOnlyAuditError):
        entry.delete()
    with pytest.raises(ReadOnlyAuditError):
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="改")
    with pytest.raises(ReadOnlyAuditError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).target_label == chain["entries"][0].target_label
    assert AuditEntry._meta.default_permissions == ("view",)


def test_deleting_a_user_keeps_their_name_on_their_entries(client, chain):
    official = chain["official"]
    official_pk = official.pk
    official.delete()
    entry = AuditEntry.objects.get(pk=chain["entries"][0].pk)
    assert (entry.actor_id, entry.actor_pk, entry.actor_display) == (None, official_pk, "王审计")
    assert all(report.ok for report in verify_chains())
    client.force_login(OfficialFactory(authority=chain["authority"]))
    html = client.get("/admin/audit/").content.decode()
    assert html.count("<td data-actor>王审计</td>") == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs two writing connections")
def test_two_concurrent_appends_to_one_chain_do_not_fork_it():
    cycle = CycleFactory()
    barrier = threading.Barrier(2)
    errors = []

    def append(note: str) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                record(actor=None, action=AuditAction.CREATE_CYCLE, target=cycle, note=note)
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    for _round in range(5):
        threads = [threading.Thread(target=append, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        barrier.reset()
    assert errors == []
    entries = list(
        AuditEntry.objects.filter(authority_id=cycle.programme.authority_id).order_by("pk")
    )
    assert len(entries) == 10
    assert [e.prev_hash for e in entries] == [GENESIS] + [e.hash for e in entries[:-1]]
    assert len({e.prev_hash for e in entries}) == 10
    assert all(report.ok for report in verify_chains([cycle.programme.authority_id]))
