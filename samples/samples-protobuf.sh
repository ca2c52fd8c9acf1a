# samples-protobuf.sh - protobuf samples (sourced by make-samples.sh).
#
# grpc-reflection: a reflection-driven gRPC client (samples/protobuf/reflection-client.py)
#   against samples/protobuf/reflection-server.py (the Greeter of samples/grpc plus the
#   server-reflection service, v1alpha) over 127.0.0.1:50052, one connection: a
#   ServerReflectionInfo stream (list_services, then file_containing_symbol answered
#   with the FileDescriptorProtos of demo.proto and timestamp.proto), then a SayHello
#   call. peel learns the schemas from the reflection answer and decodes the SayHello
#   messages by name with no --proto-descriptors; tshark does not (its reference holds
#   the HTTP/2 and gRPC fields only).

SAMPLES+=(grpc-reflection)
TOOLS+=(protoc)

REFLECTION_PORT=50052

sample_grpc_reflection() {
    local stubs=$tmp/reflection-stubs
    mkdir -p "$stubs"
    "$PYTHON" -m grpc_tools.protoc -I"$here/grpc" -I"$repo/dissectors/protobuf" \
        -I/usr/include --python_out="$stubs" --grpc_python_out="$stubs" \
        "$here/grpc/demo.proto" "$repo/dissectors/protobuf/reflection-v1alpha.proto" ||
        die "grpc-reflection: protoc failed"
    listening tcp "$REFLECTION_PORT" && die "grpc-reflection: port $REFLECTION_PORT is taken"
    start_bg reflection-server "$PYTHON" "$here/protobuf/reflection-server.py" \
        "$REFLECTION_PORT" "$stubs"
    wait_for "reflection server on port $REFLECTION_PORT" listening tcp "$REFLECTION_PORT"
    capture_start grpc-reflection "tcp port $REFLECTION_PORT"
    "$PYTHON" "$here/protobuf/reflection-client.py" "$REFLECTION_PORT" "$stubs" \
        >"$tmp/reflection-client.log" ||
        die "grpc-reflection: the client failed: $(cat "$tmp/reflection-client.log")"
    capture_stop
    stop_bg reflection-server
    finish grpc-reflection -g grpc -g http2 -d "tcp.port==$REFLECTION_PORT,http2"
}
