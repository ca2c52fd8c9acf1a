#!/usr/bin/python3
"""impair-bridge.py - a lossy Ethernet wire between two TAP devices, for sample captures.

Usage:
    samples/impair-bridge.py [options] TAP_A TAP_B

Creates the TAP devices TAP_A and TAP_B (they exist while this program runs), prints
"ready" on stdout, and then forwards every Ethernet frame that one side sends out of the
other side, like a cable. The caller moves the two devices into different network
namespaces and gives them addresses; this program needs none, and opens nothing else.

Frames that carry TCP (IPv4 protocol 6, or IPv6 next header 6 directly after the fixed
header) are impaired; every other frame (ARP, ICMP, neighbour discovery, ...) passes
untouched and at once. For each TCP frame one draw from Python's random.Random(SEED)
decides, in this order:

    drop       (--drop, default 0.02)   the frame is lost;
    duplicate  (--dup, default 0.01)    the frame is sent twice, back to back;
    delay      (--delay, default 0.03)  the frame is held back until --hold further
                                        frames (default 3) have gone the same way, or
                                        --hold-ms milliseconds (default 20) have passed,
                                        whichever comes first, so it arrives after frames
                                        sent later: reordering;
    otherwise  the frame is forwarded at once.

With the same seed and the same sequence of frames the same frames are impaired; which
frames the endpoints send still depends on their timing. On SIGTERM or SIGINT the held
frames are released, one line of counts is printed on stderr, and the program exits 0.

Python 3 standard library only; needs CAP_NET_ADMIN (root) to create the devices.
"""
import argparse
import fcntl
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def is_tcp(frame):
    """True for an Ethernet frame (optionally one 802.1Q tag) carrying TCP over IP."""
    off = 12
    if len(frame) < off + 2:
        return False
    etype = struct.unpack_from("!H", frame, off)[0]
    if etype == 0x8100 and len(frame) >= off + 6:
        off += 4
        etype = struct.unpack_from("!H", frame, off)[0]
    off += 2
    if etype == 0x0800:
        return len(frame) > off + 9 and frame[off + 9] == 6
    if etype == 0x86DD:
        return len(frame) > off + 6 and frame[off + 6] == 6
    return False


class Side:
    """One direction of the wire: frames read from src are written to dst."""

    def __init__(self, src, dst):
        self.src = src
        self.dst = dst
        self.held = []  # [frame, frames still to pass, deadline]


def main():
    ap = argparse.ArgumentParser(
        usage="%(prog)s [options] TAP_A TAP_B",
        description=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("tap_a", metavar="TAP_A", help="name of the first TAP device to create")
    ap.add_argument("tap_b", metavar="TAP_B", help="name of the second TAP device to create")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--drop", type=float, default=0.02, help="share of TCP frames dropped")
    ap.add_argument("--dup", type=float, default=0.01, help="share of TCP frames sent twice")
    ap.add_argument("--delay", type=float, default=0.03, help="share of TCP frames held back")
    ap.add_argument("--hold", type=int, default=3, help="frames a held frame waits for")
    ap.add_argument("--hold-ms", type=float, default=20.0, help="longest hold, in milliseconds")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    counts = dict(frames=0, tcp=0, dropped=0, duplicated=0, delayed=0)
    fd_a = open_tap(args.tap_a)
    fd_b = open_tap(args.tap_b)
    sides = {fd_a: Side(fd_a, fd_b), fd_b: Side(fd_b, fd_a)}

    def send(side, frame):
        try:
            os.write(side.dst, frame)
        except OSError:
            pass  # the other device is not up yet: the frame is lost, as on a cable

    def release_due(side, passed):
        now = time.monotonic()
        still = []
        for h in side.held:
            h[1] -= passed
            if h[1] <= 0 or h[2] <= now:
                send(side, h[0])
            else:
                still.append(h)
        side.held = still

    def finish(signum, frame):
        for side in sides.values():
            for h in side.held:
                send(side, h[0])
        print(" ".join("%s=%d" % kv for kv in counts.items()), file=sys.stderr, flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    print("ready", flush=True)

    while True:
        deadlines = [h[2] for s in sides.values() for h in s.held]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        readable, _, _ = select.select(list(sides), [], [], timeout)
        for fd in readable:
            side = sides[fd]
            try:
                frame = os.read(fd, 65536)
            except OSError:
                continue
            counts["frames"] += 1
            if not is_tcp(frame):
                send(side, frame)
                continue
            counts["tcp"] += 1
            r = rng.random()
            if r < args.drop:
                counts["dropped"] += 1
            elif r < args.drop + args.dup:
                counts["duplicated"] += 1
                send(side, frame)
                send(side, frame)
                release_due(side, 1)
            elif r < args.drop + args.dup + args.delay:
                counts["delayed"] += 1
                side.held.append([frame, args.hold, time.monotonic() + args.hold_ms / 1000])
            else:
                send(side, frame)
                release_due(side, 1)
        for side in sides.values():
            release_due(side, 0)


if __name__ == "__main__":
    main()
