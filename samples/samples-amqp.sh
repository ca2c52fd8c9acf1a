# samples-amqp.sh - AMQP 0-9-1 samples for make-samples.sh (sourced by it).
#
# amqp-rabbitmq: a RabbitMQ broker (Debian's rabbitmq-server, run here as root with its
# state, logs and config in the script's temporary directory, node rabbit@localhost,
# listening on 127.0.0.1:5672 only) and samples/amqp-peer.py with python3-pika: a
# producer (declares, bind, confirms, a message with every basic property, a body larger
# than frame_max 4096, a returned mandatory message, heartbeats at 1 s, an exchange
# binding, a transaction committed and rolled back), a consumer (qos, consume, deliver,
# ack, cancel, get-ok, nack, reject, get-empty, recover, a channel closed with 404,
# unbinds, purge, deletes, closes), an idle client whose heartbeats are missed, and a raw
# socket sending an AMQP 0-10 protocol header that the server refuses with its own.

SAMPLES+=(amqp-rabbitmq)
TOOLS+=(/usr/lib/rabbitmq/bin/rabbitmq-server epmd)

# Every amqp field peel shares with tshark 4.0, beyond oracle.sh's amqp group, so the
# oracle test compares them all on this sample.
AMQP_FIELDS=(
    amqp.field amqp.field.byte_array amqp.field.timestamp amqp.header.body-size
    amqp.header.class amqp.header.properties amqp.header.property-flags amqp.header.weight
    amqp.init.id amqp.init.id_major amqp.init.id_minor amqp.init.version_revision amqp.length
    amqp.message_in amqp.method.arguments amqp.method.arguments.active
    amqp.method.arguments.arguments amqp.method.arguments.auto_delete
    amqp.method.arguments.capabilities amqp.method.arguments.challenge
    amqp.method.arguments.channel_id amqp.method.arguments.channel_max
    amqp.method.arguments.class_id amqp.method.arguments.client_properties
    amqp.method.arguments.cluster_id amqp.method.arguments.consumer_count
    amqp.method.arguments.consumer_tag amqp.method.arguments.delivery_tag
    amqp.method.arguments.destination amqp.method.arguments.durable
    amqp.method.arguments.exclusive amqp.method.arguments.filter
    amqp.method.arguments.frame_max amqp.method.arguments.global
    amqp.method.arguments.heartbeat amqp.method.arguments.host amqp.method.arguments.if_empty
    amqp.method.arguments.if_unused amqp.method.arguments.immediate
    amqp.method.arguments.insist amqp.method.arguments.internal
    amqp.method.arguments.known_hosts amqp.method.arguments.locale
    amqp.method.arguments.locales amqp.method.arguments.mandatory
    amqp.method.arguments.mechanism amqp.method.arguments.mechanisms
    amqp.method.arguments.message_count amqp.method.arguments.method_id
    amqp.method.arguments.multiple amqp.method.arguments.no_ack amqp.method.arguments.no_local
    amqp.method.arguments.nowait amqp.method.arguments.out_of_band
    amqp.method.arguments.passive amqp.method.arguments.prefetch_count
    amqp.method.arguments.prefetch_size amqp.method.arguments.publish_number
    amqp.method.arguments.read amqp.method.arguments.realm amqp.method.arguments.reason
    amqp.method.arguments.redelivered amqp.method.arguments.reply_code
    amqp.method.arguments.reply_text amqp.method.arguments.requeue
    amqp.method.arguments.response amqp.method.arguments.server_properties
    amqp.method.arguments.source amqp.method.arguments.ticket amqp.method.arguments.type
    amqp.method.arguments.version_major amqp.method.arguments.version_minor
    amqp.method.arguments.virtual_host amqp.method.arguments.write
    amqp.method.properties.app_id amqp.method.properties.cluster_id
    amqp.method.properties.content_encoding amqp.method.properties.content_type
    amqp.method.properties.correlation_id amqp.method.properties.delivery_mode
    amqp.method.properties.expiration amqp.method.properties.headers
    amqp.method.properties.message_id amqp.method.properties.priority
    amqp.method.properties.reply_to amqp.method.properties.timestamp
    amqp.method.properties.type amqp.method.properties.user_id amqp.payload
)

rabbit_start() { # start the broker in the namespace; poll until it listens (up to 180 s: busy machines are slow)
    local dir=$tmp/rabbit
    mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
    printf '[].\n' >"$dir/enabled_plugins"
    cat >"$dir/rabbitmq.conf" <<'EOF'
listeners.tcp.default = 127.0.0.1:5672
loopback_users.guest = true
log.console = false
log.file.level = info
EOF
    start_bg epmd epmd -address 127.0.0.1
    wait_for "epmd" listening tcp 4369
    start_bg rabbitmq env HOME="$dir/home" RABBITMQ_NODENAME=rabbit@localhost \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
        RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        RABBITMQ_PID_FILE="$dir/rabbit.pid" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
        /usr/lib/rabbitmq/bin/rabbitmq-server
    local i
    for i in $(seq 1800); do
        listening tcp 5672 && return 0
        kill -0 "${bg_pid[rabbitmq]}" 2>/dev/null ||
            die "rabbitmq-server exited: $(tail -20 "$tmp/rabbitmq.log")"
        sleep 0.1
    done
    die "timed out waiting for rabbitmq-server on 127.0.0.1:5672"
}

rabbit_stop() {
    stop_bg rabbitmq
    # beam may outlive the wrapper script for a moment; epmd goes last
    local pid
    pid=$(cat "$tmp/rabbit/rabbit.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    stop_bg epmd
}

sample_amqp_rabbitmq() {
    rabbit_start
    capture_start amqp-rabbitmq 'tcp port 5672'
    "$PYTHON" "$here/amqp-peer.py" producer 5672
    "$PYTHON" "$here/amqp-peer.py" consumer 5672
    "$PYTHON" "$here/amqp-peer.py" idle 5672
    "$PYTHON" "$here/amqp-peer.py" bad-header 5672
    capture_stop
    rabbit_stop
    local e=() f
    for f in "${AMQP_FIELDS[@]}"; do e+=(-e "$f"); done
    finish amqp-rabbitmq -g amqp "${e[@]}"
}
