# samples-websocket.sh - WebSocket samples (sourced by make-samples.sh).
#
# python3-websockets server and client (samples/ws-peer.py) on 127.0.0.1:8080, a port
# tshark and peel both decode as HTTP, so the 101 upgrade switches the connection to
# WebSocket: text, JSON text, binary, a fragmented message each way, ping/pong, a
# 70000-byte message and a close with status 4000 and a reason; once with
# permessage-deflate (context takeover) and once without compression; and a connection
# the client drops (TCP FIN) with no close frame.

SAMPLES+=(websocket-deflate websocket-plain websocket-drop)

ws_sample() { # NAME MODE [ROLE]: one conversation of ws-peer.py with compression MODE
    local name=$1 mode=$2 role=${3:-client} port=8080
    start_bg ws-server "$PYTHON" "$here/ws-peer.py" server "$port" "$mode"
    wait_for "ws-peer.py server on port $port" listening tcp "$port"
    capture_start "$name" "tcp port $port"
    "$PYTHON" "$here/ws-peer.py" "$role" "$port" "$mode" >"$tmp/ws-client.log" 2>&1 ||
        die "$name: the WebSocket client failed: $(cat "$tmp/ws-client.log")"
    capture_stop
    stop_bg ws-server
    finish "$name" -g websocket -e websocket.pmc -e websocket.masking_key \
        -e websocket.payload.text -e websocket.payload.close.status_code \
        -e websocket.payload.close.reason -e websocket.payload.ping \
        -e websocket.payload.pong -e websocket.fragment -e websocket.fragment.count \
        -e websocket.reassembled.length -e websocket.payload.continue
}

sample_websocket_deflate() { ws_sample websocket-deflate deflate; }
sample_websocket_plain() { ws_sample websocket-plain none; }
sample_websocket_drop() { ws_sample websocket-drop none drop; }
