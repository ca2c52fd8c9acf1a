#!/usr/bin/env bash
# setup-debian.sh - install what peel needs to build, test, make samples and
# benchmark on Debian 12, as root and without questions. The README's quick
# start and .ci/run both call this script, so they install the same things.
set -euo pipefail

PACKAGES=(
    build-essential meson ninja-build pkg-config        # toolchain
    libglib2.0-dev libpcap-dev libnet1-dev zlib1g-dev   # libraries
    libgtk-4-dev                                        # peel-gui
    clang libclang-rt-14-dev                            # fuzzing (libFuzzer), sanitizers
    tshark tcpdump                                      # oracle tests, samples
    dnsmasq-base bind9-dnsutils iproute2 iputils-ping curl python3 # samples
    time                                                # /usr/bin/time for the benchmark
    node-llhttp                                         # HTTP/1.x parser (C sources)
    libnghttp2-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler # HTTP/2, gRPC
    libprotobuf-dev                                     # descriptor.proto, well-known types
    nginx python3-websockets                            # HTTP/WebSocket samples
    python3-grpcio python3-grpc-tools nghttp2-client nghttp2-server # gRPC/HTTP2 samples
    rabbitmq-server python3-pika amqp-tools             # AMQP samples
    coturn stun-client                                  # STUN/TURN samples
)

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-debian.sh: run as root (apt-get install)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark's wireshark-common asks whether non-root users may capture; say no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update
apt-get install -y "${PACKAGES[@]}"
