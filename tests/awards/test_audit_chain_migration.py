"""The migration that introduced the chain gives the entries written before it their authority,
their actor's name and their hashes, chained in id order, so ``verify_audit`` finds them intact."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from awards.audit_chain import GENESIS, hash_of
from awards.models import AuditChainHead, AuditEntry
from awards.services.audit import verify_chains
from tests.factories import CycleFactory, OfficialFactory, OrganizationFactory

BEFORE = [("awards", "0008_committee_rules_and_four_eyes")]
AFTER = [("awards", "0009_trail_audit_chain")]


@pytest.fixture
def back_to_the_latest_schema():
    """The test moves the schema back and forth; every later test needs all migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_entries_are_chained_per_authority_in_id_order(back_to_the_latest_schema):
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority, full_name="赵旧账")
    organization = OrganizationFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("awards", "AuditEntry")
    rows = [
        old.objects.create(
            actor_id=official.pk,
            action="create_cycle",
            target_type="awards.cycle",
            target_id=str(cycle.pk),
            target_label=str(cycle),
            details={"b": 2, "a": [1, "一"]},
        ),
        old.objects.create(
            action="register_organization",
            target_type="awards.organization",
            target_id=str(organization.pk),
            target_label=str(organization),
        ),
        old.objects.create(
            actor_id=official.pk,
            action="change_cycle_status",
            target_type="awards.cycle",
            target_id=str(cycle.pk),
            target_label=str(cycle),
        ),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # Read with today's model: later columns (the note) must leave these hashes as they were.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    first, platform, third = (AuditEntry.objects.get(pk=row.pk) for row in rows)
    authority_id = cycle.programme.authority_id
    assert (first.authority_id, first.actor_pk, first.actor_name) == (
        authority_id,
        official.pk,
        "赵旧账",
    )
    assert (first.prev_hash, third.prev_hash) == (GENESIS, first.hash)
    assert (platform.authority_id, platform.prev_hash) == (None, GENESIS)
    assert [hash_of(e) for e in (first, platform, third)] == [
        e.hash for e in (first, platform, third)
    ]
    head = AuditChainHead.objects.get(key=f"authority-{authority_id}")
    assert (head.last_entry_id, head.last_hash) == (third.pk, third.hash)
    assert all(report.ok for report in verify_chains())
