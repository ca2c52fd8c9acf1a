#!/usr/bin/python3
"""reflection-server.py PORT STUBDIR: the Greeter of samples/grpc (demo.proto) plus the
gRPC server-reflection service (v1alpha) on 127.0.0.1:PORT, with python3-grpcio.

Debian has no grpcio-reflection, so the reflection service is served here from stubs of
peel's own transcription of its schema (dissectors/protobuf/reflection-v1alpha.proto,
generated into STUBDIR): list_services names the Greeter; file_by_filename and
file_containing_symbol answer with the serialized FileDescriptorProtos of demo.proto and
of google/protobuf/timestamp.proto, which it imports."""
import os
import sys
from concurrent import futures

sys.path.insert(0, sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "grpc"))
import grpc  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402
import demo_pb2  # noqa: E402
import demo_pb2_grpc  # noqa: E402
import reflection_v1alpha_pb2 as rpb  # noqa: E402
import reflection_v1alpha_pb2_grpc as rgrpc  # noqa: E402
import server as demo_server  # noqa: E402  samples/grpc/server.py: the Greeter


class Reflection(rgrpc.ServerReflectionServicer):
    def ServerReflectionInfo(self, request_iterator, context):
        for req in request_iterator:
            resp = rpb.ServerReflectionResponse(valid_host=req.host, original_request=req)
            kind = req.WhichOneof("message_request")
            if kind == "list_services":
                resp.list_services_response.service.add(name="peel.demo.Greeter")
            elif kind in ("file_by_filename", "file_containing_symbol"):
                files = resp.file_descriptor_response.file_descriptor_proto
                files.append(demo_pb2.DESCRIPTOR.serialized_pb)
                files.append(timestamp_pb2.DESCRIPTOR.serialized_pb)
            else:
                resp.error_response.error_code = grpc.StatusCode.UNIMPLEMENTED.value[0]
                resp.error_response.error_message = "not served here"
            yield resp


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    demo_pb2_grpc.add_GreeterServicer_to_server(demo_server.Greeter(), server)
    rgrpc.add_ServerReflectionServicer_to_server(Reflection(), server)
    server.add_insecure_port("127.0.0.1:%s" % sys.argv[1])
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
