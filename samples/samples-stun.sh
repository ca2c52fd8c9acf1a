# samples-stun.sh - STUN and TURN samples for make-samples.sh (sourced by it).
#
# Each sample runs coturn's turnserver in the script's namespace with its own command-line
# configuration (-n: no config file): listening on 127.0.0.1:3478 only, relaying on
# 127.0.0.1 ports 49152-49160, long-term credentials (user alice, password secret, realm
# peel.test), FINGERPRINT on, no TLS/DTLS, no database, no CLI, loopback peers allowed;
# turnutils_peer echoes on 127.0.0.1:3480. Clients send few, short messages.
#
# stun-turn-udp: turnutils_stunclient (Binding) and turnutils_uclient over UDP: 401 then an
#   authenticated Allocate, Refresh, ChannelBind, CreatePermission, ChannelData both ways,
#   Refresh lifetime 0.
# stun-turn-tcp: turnutils_uclient over TCP to the server (UDP relay): the same over TCP,
#   ChannelData padded to 4 bytes.
# stun-turn-send: the classic RFC 3489 `stun` client (stun-client package) and
#   turnutils_uclient -s: Send and Data indications instead of channels.
#
# MESSAGE-INTEGRITY verifies with: peel -o stun.credentials:alice:peel.test:secret

SAMPLES+=(stun-turn-udp stun-turn-tcp stun-turn-send)
TOOLS+=(turnserver turnutils_uclient turnutils_stunclient turnutils_peer stun)

STUN_FIELDS=(-g stun -e stun.cookie -e stun.att.length -e stun.att.family -e stun.att.ipv4
    -e stun.att.port -e stun.att.ipv4-xord -e stun.att.port-xord -e stun.att.username
    -e stun.att.realm -e stun.att.nonce -e stun.att.error.class -e stun.att.error
    -e stun.att.error.reason -e stun.att.crc32 -e stun.att.crc32.status -e stun.att.lifetime
    -e stun.att.channelnum -e stun.att.software -e stun.att.transp -e stun.att.hmac
    -e stun.att.padding -e stun.response-in -e stun.response-to -e stun.time
    -e stun.reqduplicate -e stun.value -e stun.att.reserved -e stun.att.type.comprehension
    -e stun.att.type.assignment -e stun.type.method-assignment -e stun.network_version
    -e stun.attribute -e classicstun.id -e classicstun.att.type -e classicstun.att.port
    -e classicstun.att.ipv4 -e classicstun.att.change.ip -e classicstun.att.change.port
    -e classicstun.response_in -e classicstun.response_to -e classicstun.time)

turn_start() { # turnserver and the echo peer, polled until they listen
    start_bg turnserver turnserver -n --listening-ip=127.0.0.1 --listening-port=3478 \
        --relay-ip=127.0.0.1 --min-port=49152 --max-port=49160 --lt-cred-mech \
        --user=alice:secret --realm=peel.test --no-tls --no-dtls --no-cli \
        --allow-loopback-peers --fingerprint --log-file=stdout --simple-log \
        --pidfile="$tmp/turnserver.pid"
    start_bg turnpeer turnutils_peer -L 127.0.0.1 -p 3480
    wait_for "turnserver on udp 3478" listening udp 3478
    wait_for "turnserver on tcp 3478" listening tcp 3478
    wait_for "turnutils_peer on udp 3480" listening udp 3480
}

turn_stop() {
    stop_bg turnpeer
    stop_bg turnserver
}

STUN_FILTER='port 3478 or port 3480 or portrange 49152-49160'

uclient() { # ARGS...: one TURN client session against the server, 1 or 2 short messages
    timeout 30 turnutils_uclient -u alice -w secret -e 127.0.0.1 -r 3480 -l 40 -z 50 -c "$@" \
        127.0.0.1 >>"$tmp/uclient.log" 2>&1 ||
        die "turnutils_uclient $* failed: $(tail -5 "$tmp/uclient.log")"
}

sample_stun_turn_udp() {
    turn_start
    capture_start stun-turn-udp "$STUN_FILTER"
    timeout 10 turnutils_stunclient 127.0.0.1 >"$tmp/stunclient.log" 2>&1 ||
        die "turnutils_stunclient failed: $(cat "$tmp/stunclient.log")"
    uclient -n 2
    capture_stop
    turn_stop
    finish stun-turn-udp "${STUN_FIELDS[@]}"
}

sample_stun_turn_tcp() {
    turn_start
    capture_start stun-turn-tcp "$STUN_FILTER"
    uclient -t -n 1
    capture_stop
    turn_stop
    finish stun-turn-tcp "${STUN_FIELDS[@]}"
}

sample_stun_turn_send() {
    turn_start
    capture_start stun-turn-send "$STUN_FILTER"
    # The classic client exits with the NAT type it found (non-zero); it must have sent.
    timeout 10 stun 127.0.0.1 >"$tmp/stun-classic.log" 2>&1 || true
    grep -q 'Primary' "$tmp/stun-classic.log" ||
        die "stun (classic) did not get an answer: $(cat "$tmp/stun-classic.log")"
    uclient -s -n 1
    capture_stop
    turn_stop
    finish stun-turn-send "${STUN_FIELDS[@]}"
}
