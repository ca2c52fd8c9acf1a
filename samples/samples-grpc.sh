# samples-grpc.sh - HTTP/2 and gRPC samples (sourced by make-samples.sh).
#
# grpc-calls: python3-grpcio's server and client (samples/grpc/server.py, client.py, the
#   service of samples/grpc/demo.proto) over 127.0.0.1:50051, one connection per call:
#   unary, server-streaming, client-streaming, bidirectional, a gzip-compressed unary
#   call, a call ending NOT_FOUND with a message, and custom metadata (an ASCII and a
#   -bin header). The Python stubs are generated at sample time with grpc_tools.protoc;
#   samples/grpc/demo.pb is the FileDescriptorSet (protoc --include_imports).
# http2-nghttp: nghttp (prior knowledge, cleartext) fetching two files from nghttpd
#   on 127.0.0.1:8080: HTTP/2 that is not gRPC.
# tshark 4.0 does not detect h2c on these ports, so the references use decode-as.

SAMPLES+=(grpc-calls http2-nghttp)
TOOLS+=(protoc nghttpd nghttp)

GRPC_PORT=50051
H2_PORT=8080
# Fields beyond oracle.sh's http2 and grpc groups that the oracle test compares.
H2_FIELDS=(-e http2.header.name -e http2.header.value -e http2.header.count
    -e http2.header.length -e http2.settings.id -e http2.window_update.window_size_increment
    -e http2.flags.end_stream -e http2.rst_stream.error -e http2.goaway.error)
GRPC_FIELDS=(-e grpc.frame_type -e grpc.message_data -e http2.data.data)

sample_grpc_calls() {
    local src=$here/grpc stubs=$tmp/grpc-stubs
    mkdir -p "$stubs"
    "$PYTHON" -m grpc_tools.protoc -I"$src" -I/usr/include --python_out="$stubs" \
        --grpc_python_out="$stubs" "$src/demo.proto" || die "grpc-calls: protoc failed"
    protoc -I"$src" -I/usr/include --include_imports --descriptor_set_out="$src/demo.pb" \
        "$src/demo.proto" || die "grpc-calls: protoc --descriptor_set_out failed"
    listening tcp "$GRPC_PORT" && die "grpc-calls: port $GRPC_PORT is taken"
    start_bg grpc-server "$PYTHON" "$src/server.py" "$GRPC_PORT" "$stubs"
    wait_for "grpc server on port $GRPC_PORT" listening tcp "$GRPC_PORT"
    capture_start grpc-calls "tcp port $GRPC_PORT"
    local kind
    for kind in unary server-stream client-stream bidi gzip error metadata; do
        "$PYTHON" "$src/client.py" "$GRPC_PORT" "$stubs" "$kind" >>"$tmp/grpc-client.log" ||
            die "grpc-calls: the $kind call failed: $(cat "$tmp/grpc-client.log")"
    done
    capture_stop
    stop_bg grpc-server
    finish grpc-calls -g grpc -g http2 "${H2_FIELDS[@]}" "${GRPC_FIELDS[@]}" \
        -d "tcp.port==$GRPC_PORT,http2"
}

sample_http2_nghttp() {
    make_www
    listening tcp "$H2_PORT" && die "http2-nghttp: port $H2_PORT is taken"
    start_bg nghttpd nghttpd --no-tls --htdocs="$tmp/www" --address=127.0.0.1 "$H2_PORT"
    wait_for "nghttpd on port $H2_PORT" listening tcp "$H2_PORT"
    capture_start http2-nghttp "tcp port $H2_PORT"
    nghttp -n --no-dep -s "http://127.0.0.1:$H2_PORT/hello.txt" \
        "http://127.0.0.1:$H2_PORT/big.txt" >"$tmp/nghttp.log" ||
        die "http2-nghttp: nghttp failed: $(cat "$tmp/nghttp.log")"
    capture_stop
    stop_bg nghttpd
    finish http2-nghttp -g http2 "${H2_FIELDS[@]}" -d "tcp.port==$H2_PORT,http2"
}
