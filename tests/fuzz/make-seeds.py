#!/usr/bin/env python3
"""Writes fuzz seeds for fuzz-frame from capture files: one file per frame, the first
byte selecting the link type as fuzz-frame.c's table does, then the frame's bytes."""
import struct
import sys
from pathlib import Path

# Must follow the order of linktypes[] in fuzz-frame.c.
SELECTOR = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 101: 5, 228: 6, 229: 7, 9: 8}


def frames(path):
    data = Path(path).read_bytes()
    magic = data[:4]
    endian = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<",
              b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if endian is None:
        return
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield linktype, data[off:off + caplen]
        off += caplen


def variants(frame):
    """The same network packet under every link layer peel dissects."""
    ethertype, payload = frame[12:14], frame[14:]
    ipver = 4 if ethertype == b"\x08\x00" else 6
    yield 1, frame
    yield 1, frame[:12] + b"\x81\x00\x00\x0a" + frame[12:]                      # 802.1Q
    yield 1, frame[:12] + b"\x88\xa8\x00\x14\x81\x00\x00\x0a" + frame[12:]  # QinQ
    yield 113, b"\x00\x04\x00\x01\x00\x06" + frame[6:12] + b"\x00\x00" + ethertype + payload
    yield 276, (ethertype + b"\x00\x00" + b"\x00\x00\x00\x01" + b"\x00\x01\x04\x06"
                + frame[6:12] + b"\x00\x00" + payload)
    yield 0, struct.pack("<I", 2 if ipver == 4 else 30) + payload
    yield 108, struct.pack(">I", 2 if ipver == 4 else 30) + payload
    yield 101, payload
    yield 228 if ipver == 4 else 229, payload


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    per_file = int(sys.argv[2])
    for cap in sys.argv[3:]:
        for i, (lt, frame) in enumerate(frames(cap)):
            if i >= per_file or lt not in SELECTOR:
                break
            forms = variants(frame) if lt == 1 and frame[12:14] in (b"\x08\x00", b"\x86\xdd") \
                else [(lt, frame)]
            for j, (vlt, vframe) in enumerate(forms):
                name = f"{Path(cap).stem}-{i + 1}-{j}"
                (out / name).write_bytes(bytes([SELECTOR[vlt]]) + vframe)


if __name__ == "__main__":
    main()
