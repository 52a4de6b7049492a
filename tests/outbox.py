"""Tests' view of the notification outbox: services queue messages and hand them to the task
worker when their transaction commits, which inside a test's transaction never happens; wrap the
call in ``delivered()`` to run the hand-over (and, with the immediate task backend, the sending)
when the block ends."""

from django.test import TestCase


def delivered():
    return TestCase.captureOnCommitCallbacks(execute=True)
