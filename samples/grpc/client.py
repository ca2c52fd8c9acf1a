#!/usr/bin/python3
"""client.py PORT STUBDIR KIND: one kind of call to the Greeter of server.py, on a new
connection: unary, server-stream, client-stream, bidi, gzip (unary, gzip-compressed both
ways), error (NOT_FOUND with a message), metadata (custom ASCII and -bin headers).
Prints what it got; exits 1 when the answer is not the expected one."""
import sys

sys.path.insert(0, sys.argv[2])
import grpc  # noqa: E402
import demo_pb2  # noqa: E402
import demo_pb2_grpc  # noqa: E402


def req(name, times=0):
    return demo_pb2.HelloRequest(name=name, times=times, tags=["x", "y"],
                                 mood=demo_pb2.MOOD_HAPPY)


def main():
    port, kind = sys.argv[1], sys.argv[3]
    options = [("grpc.primary_user_agent", "peel-samples")]
    compression = grpc.Compression.Gzip if kind == "gzip" else None
    with grpc.insecure_channel("127.0.0.1:%s" % port, options=options,
                               compression=compression) as ch:
        stub = demo_pb2_grpc.GreeterStub(ch)
        if kind in ("unary", "gzip"):
            r = stub.SayHello(req("peel " * (40 if kind == "gzip" else 1)), timeout=10)
            ok = r.message.startswith("Hello, peel")
        elif kind == "server-stream":
            got = [r.message for r in stub.SayHelloMany(req("peel", 3), timeout=10)]
            ok = len(got) == 3
        elif kind == "client-stream":
            r = stub.CollectHellos(iter([req("a"), req("b"), req("c")]), timeout=10)
            ok = r.message == "Hello, a, b, c"
        elif kind == "bidi":
            got = [r.message for r in stub.Chat(iter([req("a"), req("b")]), timeout=10)]
            ok = got == ["Hi a", "Hi b"]
        elif kind == "error":
            try:
                stub.SayHello(req("nobody"), timeout=10)
                ok = False
            except grpc.RpcError as e:
                ok = e.code() == grpc.StatusCode.NOT_FOUND
        elif kind == "metadata":
            r, call = stub.SayHello.with_call(
                req("peel"), timeout=10,
                metadata=[("x-peel-note", "hello metadata"),
                          ("x-peel-bin", b"\x00\x01\xfe\xff")])
            ok = dict(call.trailing_metadata()).get("x-peel-bin") == b"\x00\x01\xfe\xff"
        else:
            sys.exit("unknown kind " + kind)
    print(kind, "ok" if ok else "UNEXPECTED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
