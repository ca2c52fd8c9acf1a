#!/usr/bin/python3
"""amqp-peer.py: the AMQP 0-9-1 clients of samples/samples-amqp.sh, with python3-pika.

Usage: amqp-peer.py producer|consumer|idle|bad-header PORT

producer: declares an exchange and a queue (with arguments of many field-value types),
binds them, turns on publisher confirms, publishes a message with every basic property
and a body larger than frame_max (4096, so it spans body frames), publishes an
unroutable mandatory message (returned), idles with heartbeat=1 so heartbeats flow,
and closes the channel; then, on a second channel, declares a fanout exchange bound to
the first, publishes in a transaction (commit, then rollback) and closes.
consumer: sets a prefetch of 2, consumes the two confirmed messages and acks them (the
second with multiple), cancels, gets the committed message (get-ok), nacks it back,
gets it again redelivered and rejects it, gets from the empty queue (get-empty), asks
for recover, passively declares a missing queue (the channel is closed with 404),
cleans up on a new channel (unbinds, purge, deletes) and closes the connection.
idle: opens a connection with heartbeat=1 and stays silent for 1.8 s, so the client's
heartbeats are missed, then closes it if the broker has not already.
bad-header: sends an AMQP 0-10 protocol header on a raw socket; the server answers with
the header of the version it speaks (0-9-1) and closes.
"""
import datetime
import decimal
import socket
import sys
import time

import pika

HOST = "127.0.0.1"


def params(port):
    return pika.ConnectionParameters(host=HOST, port=port, frame_max=4096, heartbeat=1,
                                     credentials=pika.PlainCredentials("guest", "guest"),
                                     client_properties={"connection_name": "peel-sample"})


def producer(port):
    conn = pika.BlockingConnection(params(port))
    ch = conn.channel()
    ch.exchange_declare("orders", exchange_type="direct", durable=False, auto_delete=False,
                        arguments={"alternate-exchange": "none"})
    ch.queue_declare("orders.new", durable=False, arguments={
        "x-message-ttl": 600000,                      # integer
        "x-max-length-bytes": 10 ** 10,               # long int
        "x-peel-flag": True,                          # boolean
        "x-peel-ratio": decimal.Decimal("12.50"),     # decimal
        "x-peel-when": datetime.datetime(2024, 1, 1, 12, 0, 0),  # timestamp
        "x-peel-blob": b"\x00\x01\x02peel",          # byte array
        "x-peel-list": [1, "two", False, [3]],        # array, nested
        "x-peel-table": {"inner": {"depth": 2}, "none": None},  # nested tables, void
    })
    ch.queue_bind("orders.new", "orders", routing_key="new")
    ch.confirm_delivery()
    props = pika.BasicProperties(
        content_type="application/json", content_encoding="identity",
        headers={"source": "peel", "attempt": 1, "tags": ["a", "b"],
                 "at": datetime.datetime(2024, 1, 1, 12, 0, 0)},
        delivery_mode=2, priority=5, correlation_id="corr-42", reply_to="replies",
        expiration="600000", message_id="msg-1", timestamp=1704110400, type="order.created",
        user_id="guest", app_id="peel-sample")
    ch.basic_publish("orders", "new", b'{"order": 1, "item": "book"}', properties=props)
    big = ("".join("%05d peel sample body line\n" % i for i in range(800))).encode()
    ch.basic_publish("orders", "new", big,
                     properties=pika.BasicProperties(content_type="text/plain"))
    try:
        ch.basic_publish("orders", "nowhere", b"unroutable", mandatory=True)
    except pika.exceptions.UnroutableError:
        pass  # basic.return, then the confirm
    conn.sleep(2.5)  # heartbeats both ways
    ch.close()
    # A transaction on a channel of its own, and an exchange-to-exchange binding.
    ch2 = conn.channel()
    ch2.exchange_declare("audit", exchange_type="fanout")
    ch2.exchange_bind(destination="audit", source="orders", routing_key="new")
    ch2.tx_select()
    ch2.basic_publish("orders", "new", b"tx-1")
    ch2.tx_commit()
    ch2.basic_publish("orders", "new", b"tx-2")
    ch2.tx_rollback()
    ch2.close()
    conn.close()


def consumer(port):
    conn = pika.BlockingConnection(params(port))
    ch = conn.channel()
    ch.basic_qos(prefetch_count=2)
    got = []
    for method, props, body in ch.consume("orders.new", inactivity_timeout=2):
        if method is None:
            break
        got.append(method.delivery_tag)
        if len(got) == 2:
            break
    if len(got) != 2:
        sys.exit("consumer: expected 2 messages, got %d" % len(got))
    ch.basic_ack(got[0])
    ch.basic_ack(got[1], multiple=True)
    ch.cancel()
    method, _, _ = ch.basic_get("orders.new")  # get-ok: tx-1
    if method is None:
        sys.exit("consumer: tx-1 should be in the queue")
    ch.basic_nack(method.delivery_tag, requeue=True)
    method, _, _ = ch.basic_get("orders.new")  # get-ok again, redelivered
    if method is None or not method.redelivered:
        sys.exit("consumer: tx-1 should come back redelivered")
    ch.basic_reject(method.delivery_tag, requeue=False)
    method, _, _ = ch.basic_get("orders.new")  # get-empty
    if method is not None:
        sys.exit("consumer: the queue should be empty")
    ch.basic_recover(requeue=True)
    try:
        ch.queue_declare("no-such-queue", passive=True)
    except pika.exceptions.ChannelClosedByBroker:
        pass  # channel.close 404 NOT_FOUND
    ch = conn.channel()
    ch.queue_unbind("orders.new", "orders", routing_key="new")
    ch.queue_purge("orders.new")
    ch.queue_delete("orders.new")
    ch.exchange_unbind(destination="audit", source="orders", routing_key="new")
    ch.exchange_delete("audit")
    ch.exchange_delete("orders")
    ch.close()
    conn.close()


def idle(port):
    """Stays silent past the heartbeat interval, then speaks again."""
    conn = pika.BlockingConnection(params(port))
    time.sleep(1.8)  # no frames from the client: heartbeats missed
    try:
        conn.sleep(0.6)
        conn.close()
    except pika.exceptions.AMQPError:
        pass  # the broker may have given up on us first


def bad_header(port):
    s = socket.create_connection((HOST, port), timeout=5)
    s.sendall(b"AMQP\x01\x01\x00\x0a")
    reply = b""
    try:
        while True:
            data = s.recv(64)
            if not data:
                break
            reply += data
    except ConnectionResetError:
        pass  # the broker may reset after its answer
    s.close()
    if reply not in (b"AMQP\x00\x00\x09\x01", b""):
        sys.exit("bad-header: unexpected reply %r" % reply)


if __name__ == "__main__":
    role, port = sys.argv[1], int(sys.argv[2])
    {"producer": producer, "consumer": consumer, "idle": idle,
     "bad-header": bad_header}[role](port)
    time.sleep(0.1)
