"""Resend timing on its own: sends counted per connection, what is due, what an ack reports."""

from __future__ import annotations

from edge.outbox.items import Delivered, Pending
from edge.outbox.resend import SendLog


def held(*seqs: int) -> list[Pending]:
    return [Pending(seq, f"m-{seq}", "telemetry", b"{}") for seq in seqs]


def test_marks_count_sends_and_keep_the_last_time() -> None:
    log = SendLog()
    log.mark([1, 2], now=10.0)
    log.mark([2], now=12.5)
    marked = log.annotate(held(1, 2, 3))
    assert [(p.seq, p.sent_at, p.sends) for p in marked] == [
        (1, 10.0, 1),
        (2, 12.5, 2),
        (3, None, 0),
    ]
    assert len(log) == 2


def test_a_new_connection_starts_every_message_unsent() -> None:
    log = SendLog()
    log.mark([1, 2], now=1.0)
    stale = log.annotate(held(1, 2))
    log.reset()
    assert [(p.sent_at, p.sends) for p in log.annotate(stale)] == [(None, 0), (None, 0)]
    assert len(log) == 0


def test_due_are_the_unsent_and_those_sent_at_least_resend_after_ago() -> None:
    log = SendLog()
    log.mark([1], now=100.0)
    log.mark([2], now=105.0)
    assert [p.seq for p in log.due(held(1, 2, 3), now=109.0, resend_after_s=10)] == [3]
    assert [p.seq for p in log.due(held(1, 2, 3), now=110.0, resend_after_s=10)] == [1, 3]
    due = log.due(held(1, 2, 3), now=200.0, resend_after_s=10)
    assert [(p.seq, p.sends) for p in due] == [(1, 1), (2, 1), (3, 0)]


def test_an_ack_reports_each_message_sends_in_order_and_forgets_them() -> None:
    log = SendLog()
    log.mark([3, 1], now=5.0)
    log.mark([3], now=7.0)
    assert log.delivered([3, 9, 1]) == [
        Delivered(1, 5.0, 1),
        Delivered(3, 7.0, 2),
        Delivered(9, None, 0),
    ]
    assert log.delivered([1, 3]) == [Delivered(1, None, 0), Delivered(3, None, 0)]  # once only
    assert len(log) == 0


def test_dropped_messages_are_forgotten_and_a_later_number_starts_at_one_send() -> None:
    log = SendLog()
    log.mark([1, 2], now=1.0)
    log.forget([1, 7])
    assert [(p.seq, p.sends) for p in log.annotate(held(1, 2))] == [(1, 0), (2, 1)]
    log.mark([1], now=3.0)
    assert log.annotate(held(1))[0].sends == 1
