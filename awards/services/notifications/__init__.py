"""Notifications: one catalogue of events, per-authority message templates, an outbox.

A service where something happens calls ``outbox.notify`` in one line. That renders the event's
template (the authority's own, or the catalogue's default: ``templates``) for each recipient and
each channel (e-mail, SMS, the portal's notice list), and queues one outbox row per recipient and
channel under a dedupe key, so the same event never reaches the same person twice. E-mail and SMS
rows go to the task worker after the transaction commits (``tasks.deliver_notification``); a
failed delivery is retried with a growing delay (``delivery``) by ``manage.py
send_due_notifications``. The package sits in ``awards`` so that every app may call it; the
events of ``scoring`` are declared here as names and words only (``events``, ``events_results``).
"""
