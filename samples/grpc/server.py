#!/usr/bin/python3
"""server.py PORT STUBDIR: the Greeter service of demo.proto on 127.0.0.1:PORT (grpcio).

SayHello answers NOT_FOUND with a message (percent-encoded on the wire) when the name is
"nobody", and echoes any custom metadata it got as trailing metadata (x-peel-bin stays
binary). Timestamps are fixed so the captures are repeatable."""
import sys
from concurrent import futures

sys.path.insert(0, sys.argv[2])
import grpc  # noqa: E402
import demo_pb2  # noqa: E402
import demo_pb2_grpc  # noqa: E402

FIXED = 1700000000


def reply(text, seq):
    r = demo_pb2.HelloReply(message=text, sequence=seq, counts={"a": 1, "b": seq})
    r.sent.seconds = FIXED + seq
    if seq % 2:
        r.note = "odd"
    else:
        r.blob = bytes([seq, 0xFF])
    return r


class Greeter(demo_pb2_grpc.GreeterServicer):
    def SayHello(self, request, context):
        md = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-peel")]
        if md:
            context.set_trailing_metadata(md)
        if request.name == "nobody":
            context.abort(grpc.StatusCode.NOT_FOUND, "no such user: nobody (100% sure)")
        return reply("Hello, %s!" % request.name, 1)

    def SayHelloMany(self, request, context):
        for i in range(max(1, request.times)):
            yield reply("Hello #%d, %s" % (i, request.name), i)

    def CollectHellos(self, request_iterator, context):
        names = [r.name for r in request_iterator]
        return reply("Hello, " + ", ".join(names), len(names))

    def Chat(self, request_iterator, context):
        for i, r in enumerate(request_iterator):
            yield reply("Hi " + r.name, i)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    demo_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    server.add_insecure_port("127.0.0.1:%s" % sys.argv[1])
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
