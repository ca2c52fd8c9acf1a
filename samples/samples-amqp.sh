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
    finish amqp-rabbitmq -g amqp -e amqp.length -e amqp.method.arguments.consumer_tag \
        -e amqp.method.arguments.delivery_tag -e amqp.header.body-size \
        -e amqp.method.properties.content_type -e amqp.payload -e amqp.init.id_major \
        -e amqp.init.id_minor -e amqp.method.arguments.reply_code \
        -e amqp.method.arguments.heartbeat -e amqp.method.arguments.frame_max \
        -e amqp.method.arguments.publish_number -e amqp.message_in \
        -e amqp.method.properties.delivery_mode -e amqp.method.properties.priority \
        -e amqp.method.properties.correlation_id -e amqp.method.properties.reply_to \
        -e amqp.method.properties.expiration -e amqp.method.properties.message_id \
        -e amqp.method.properties.timestamp -e amqp.method.properties.type \
        -e amqp.method.properties.user_id -e amqp.method.properties.app_id \
        -e amqp.method.properties.content_encoding -e amqp.field.timestamp \
        -e amqp.field.byte_array -e amqp.method.arguments.multiple \
        -e amqp.method.arguments.mandatory -e amqp.method.arguments.virtual_host \
        -e amqp.method.arguments.reply_text -e amqp.method.arguments.mechanism
}
