#!/bin/bash
# Container health probe without curl (the native runtime image has none): sends an HTTP/1.0
# request through bash's /dev/tcp and succeeds only on status 200. Bash builtins only.
#
# Usage: olympus-healthcheck [path]      default path: /q/health/live
#   olympus-healthcheck /q/health/ready  also checks the database
# Port: QUARKUS_HTTP_PORT (default 8080), as for the service itself.
set -u
path="${1:-/q/health/live}"
port="${QUARKUS_HTTP_PORT:-8080}"

{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
# Status line: "HTTP/1.1 200 OK". Docker's --timeout kills a probe that hangs; -t is a second guard.
read -r -t 5 _ status _ <&3 || exit 1
exec 3<&-
[ "$status" = "200" ]
