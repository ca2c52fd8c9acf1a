#!/usr/bin/python3
"""ws-peer.py - the WebSocket server and client of peel's websocket samples.

Usage:
  ws-peer.py server PORT deflate|none    serve on 127.0.0.1:PORT until killed
  ws-peer.py client PORT deflate|none    run the scripted conversation and exit
  ws-peer.py drop PORT none              one message each way, then close TCP with no
                                         close frame (the peers see 1006)

Uses Debian's python3-websockets (10.4). With "deflate" both sides negotiate
permessage-deflate (RFC 7692) with context takeover, so repeated messages
compress to a few bytes; with "none" compression is off.

The client sends, in order: a text message, a JSON text message, the same
text again, a binary message, a fragmented text message (three frames), a
ping with a payload, a request for a fragmented reply, a 70000-byte text
message (a 64-bit length when uncompressed), and closes with status 4000 and
a reason. The server echoes every message, answers "fragments please" with a
three-frame message, and echoes the close.
"""
import asyncio
import sys

import websockets


def compression(mode):
    return "deflate" if mode == "deflate" else None


async def handler(ws, path=None):
    async for message in ws:
        if message == "fragments please":
            await ws.send(iter(["server part one; ", "server part two; ", "server part three"]))
        else:
            await ws.send(message)


async def serve(port, mode):
    async with websockets.serve(handler, "127.0.0.1", port, compression=compression(mode),
                                ping_interval=None):
        await asyncio.Future()


async def client(port, mode):
    uri = "ws://127.0.0.1:%d/peel" % port
    async with websockets.connect(uri, compression=compression(mode),
                                  ping_interval=None) as ws:
        text = "Hello from the peel WebSocket sample, a text message."
        await ws.send(text)
        await ws.recv()
        await ws.send('{"sample": "peel", "kind": "json", "values": [1, 2.5, true, null]}')
        await ws.recv()
        await ws.send(text)  # again: with context takeover it compresses to a few bytes
        await ws.recv()
        await ws.send(bytes(range(256)) * 2)
        await ws.recv()
        await ws.send(iter(["client part one; ", "client part two; ", "client part three"]))
        await ws.recv()
        pong = await ws.ping(b"peel-ping")
        await pong
        await ws.send("fragments please")
        await ws.recv()
        big = "".join("%05d the quick brown fox jumps over the lazy dog\n" % i
                      for i in range(1400))[:70000]
        await ws.send(big)
        await ws.recv()
        await ws.close(code=4000, reason="peel sample done")


async def drop(port, mode):
    uri = "ws://127.0.0.1:%d/peel" % port
    ws = await websockets.connect(uri, compression=compression(mode), ping_interval=None)
    await ws.send("this connection ends without a close frame")
    await ws.recv()
    ws.transport.close()  # FIN with no WebSocket close frame
    await asyncio.sleep(0.5)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("server", "client", "drop"):
        sys.exit(__doc__)
    port, mode = int(sys.argv[2]), sys.argv[3]
    if sys.argv[1] == "server":
        asyncio.run(serve(port, mode))
    elif sys.argv[1] == "drop":
        asyncio.run(drop(port, mode))
    else:
        asyncio.run(client(port, mode))


if __name__ == "__main__":
    main()
