#!/usr/bin/python3
"""reflection-client.py PORT STUBDIR: on one connection, asks reflection-server.py for
its services and for the file that defines peel.demo.Greeter, then calls SayHello, as a
reflection-driven client (grpcurl and the like) does. Exits 1 on an unexpected answer."""
import sys

sys.path.insert(0, sys.argv[2])
import grpc  # noqa: E402
import demo_pb2  # noqa: E402
import demo_pb2_grpc  # noqa: E402
import reflection_v1alpha_pb2 as rpb  # noqa: E402
import reflection_v1alpha_pb2_grpc as rgrpc  # noqa: E402


def main():
    with grpc.insecure_channel("127.0.0.1:%s" % sys.argv[1]) as ch:
        reqs = [rpb.ServerReflectionRequest(host="localhost", list_services=""),
                rpb.ServerReflectionRequest(host="localhost",
                                            file_containing_symbol="peel.demo.Greeter")]
        got = [r.WhichOneof("message_response")
               for r in rgrpc.ServerReflectionStub(ch).ServerReflectionInfo(iter(reqs),
                                                                             timeout=10)]
        reply = demo_pb2_grpc.GreeterStub(ch).SayHello(
            demo_pb2.HelloRequest(name="reflected", tags=["r"], mood=demo_pb2.MOOD_GRUMPY),
            timeout=10)
    print(got, reply.message)
    ok = got == ["list_services_response", "file_descriptor_response"] and \
        reply.message == "Hello, reflected!"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
