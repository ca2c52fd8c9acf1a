# samples-http.sh - HTTP/1.x samples (sourced by make-samples.sh).
#
# nginx (its own configuration, prefix and temporary paths under $tmp, in the
# foreground without a master process, on 127.0.0.1 and ::1 and a free port) and
# curl, plus one raw python3 socket client for pipelining:
#   http-nginx     one keep-alive connection: GET with cookies and basic auth (answered
#                  with a Set-Cookie), a gzip
#                  response (chunked, as nginx compresses on the fly), a 404, a 301 with
#                  Location, a POST with Expect: 100-continue and a body
#   http-big       a 1.5 MB response body (about 1000 segments), no loss
#   http-10        HTTP/1.0: a gzip response without Content-Length, ended by the close
#   http-pipeline  over [::1]: GET, HEAD and GET sent in one segment, answered in order

SAMPLES+=(http-nginx http-big http-10 http-pipeline)
TOOLS+=(nginx)

HTTP_FIELDS=(-g http -e http.request -e http.response -e http.request.full_uri
    -e http.user_agent -e http.accept -e http.content_length -e http.transfer_encoding
    -e http.content_encoding -e http.cookie -e http.set_cookie -e http.authorization
    -e http.response.phrase -e http.response.version -e http.server -e http.location
    -e http.chunk_size -e http.request.line -e http.response.line -e http.response_in
    -e http.request_in -e http.time -e http.prev_request_in -e http.next_request_in
    -e http.prev_response_in -e http.response_for.uri)

http_www() { # fixed files for nginx: small text, a 40 KiB page, 1.5 MB of lines
    local www=$tmp/nginx-www
    [ -d "$www" ] && return 0
    mkdir -p "$www/dir"
    printf 'Hello from the peel sample server.\n' >"$www/hello.txt"
    printf 'index of dir\n' >"$www/dir/index.html"
    "$PYTHON" -c 'import sys
line = "<p>%05d the quick brown fox jumps over the lazy dog</p>\n"
sys.stdout.write("<html><body>\n" + "".join(line % i for i in range(700)) + "</body></html>\n")' \
        >"$www/page.html"
    "$PYTHON" -c 'import sys
line = "%07d peel sample: a large body that spans many TCP segments\n"
sys.stdout.write("".join(line % i for i in range(1, 1536 * 1024 // len(line % 0) + 1)))' \
        >"$www/big.txt"
    touch -d '2024-01-01 00:00:00 UTC' "$www/hello.txt" "$www/page.html" "$www/big.txt" \
        "$www/dir/index.html"
}

nginx_start() { # PORT: nginx on 127.0.0.1:PORT and [::1]:PORT, in the foreground
    local port=$1 p=$tmp/nginx
    http_www
    mkdir -p "$p/logs" "$p/tmp"
    cat >"$p/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $p/nginx.pid;
error_log $p/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $p/tmp/body;
    proxy_temp_path $p/tmp/proxy;
    fastcgi_temp_path $p/tmp/fastcgi;
    uwsgi_temp_path $p/tmp/uwsgi;
    scgi_temp_path $p/tmp/scgi;
    types { text/html html; text/plain txt; }
    default_type text/plain;
    keepalive_requests 100;
    server {
        listen 127.0.0.1:$port;
        listen [::1]:$port;
        root $tmp/nginx-www;
        gzip on;
        gzip_types text/plain text/html;
        gzip_min_length 1000;
        gzip_http_version 1.0;
        add_header Set-Cookie "peel_session=s3ss10n; Path=/; HttpOnly";
        location = /post { return 200 "posted\n"; }
        location = /big.txt { gzip off; }
    }
}
EOF
    start_bg nginx nginx -p "$p" -c "$p/nginx.conf" -e "$p/logs/error.log"
    wait_for "nginx on port $port" listening tcp "$port"
}

sample_http_nginx() {
    local port out
    port=$(free_port 127.0.0.1)
    nginx_start "$port"
    capture_start http-nginx "tcp port $port"
    local base="http://127.0.0.1:$port"
    out=$(curl -q -sS --noproxy '*' --http1.1 --max-time 20 -w '%{http_code} %{num_connects}\n' \
        -b 'session=abc123; theme=dark' -u peel:sample \
        -o /dev/null "$base/hello.txt" --compressed -o /dev/null "$base/page.html" \
        -o /dev/null "$base/missing.txt" -o /dev/null "$base/dir" \
        --next --http1.1 -H 'Expect: 100-continue' --data-binary 'name=peel&sample=post+body' \
        -o /dev/null -w '%{http_code} %{num_connects}\n' "$base/post")
    capture_stop
    stop_bg nginx
    [ "$(tr '\n' ' ' <<<"$out")" = "200 1 200 0 404 0 301 0 200 0 " ] ||
        die "http-nginx: expected 200 200 404 301 200 on one connection, curl said: $out"
    finish http-nginx "${HTTP_FIELDS[@]}" -e http.file_data
}

sample_http_big() {
    local port out
    port=$(free_port 127.0.0.1)
    nginx_start "$port"
    capture_start http-big "tcp port $port"
    out=$(curl -q -sS --noproxy '*' --http1.1 --max-time 30 -w '%{http_code} %{size_download}' \
        -o "$tmp/big.out" "http://127.0.0.1:$port/big.txt")
    capture_stop
    stop_bg nginx
    cmp -s "$tmp/big.out" "$tmp/nginx-www/big.txt" || die "http-big: the body differs"
    [ "${out%% *}" = 200 ] || die "http-big: curl said $out"
    finish http-big "${HTTP_FIELDS[@]}"
}

sample_http_10() {
    local port out
    port=$(free_port 127.0.0.1)
    nginx_start "$port"
    capture_start http-10 "tcp port $port"
    out=$(curl -q -sS --noproxy '*' --http1.0 --compressed --max-time 20 -w '%{http_code}' \
        -o "$tmp/page.out" "http://127.0.0.1:$port/page.html")
    capture_stop
    stop_bg nginx
    [ "$out" = 200 ] || die "http-10: curl said $out"
    cmp -s "$tmp/page.out" "$tmp/nginx-www/page.html" || die "http-10: the page differs"
    finish http-10 "${HTTP_FIELDS[@]}" -e http.file_data
}

# Three requests in one send(), then every response read until the server closes.
PIPELINE_CLIENT='import socket, sys
port = int(sys.argv[1])
s = socket.create_connection(("::1", port), timeout=10)
host = "[::1]:%d" % port
req = "".join("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: peel-pipeline\r\n%s\r\n" % (m, u, host, extra)
              for m, u, extra in (("GET", "/hello.txt", ""), ("HEAD", "/page.html", ""),
                                  ("GET", "/missing.txt", "Connection: close\r\n")))
s.sendall(req.encode())
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print(data.count(b"HTTP/1.1 "), data.count(b"HTTP/1.1 404"))'

sample_http_pipeline() {
    local port out
    port=$(free_port ::1)
    nginx_start "$port"
    capture_start http-pipeline "tcp port $port"
    out=$("$PYTHON" -c "$PIPELINE_CLIENT" "$port")
    capture_stop
    stop_bg nginx
    [ "$out" = "3 1" ] || die "http-pipeline: expected 3 responses, one 404; got $out"
    finish http-pipeline "${HTTP_FIELDS[@]}" -e http.file_data
}
