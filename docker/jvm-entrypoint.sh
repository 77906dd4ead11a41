#!/bin/sh
# Entrypoint of the JVM image (docker/Dockerfile.jvm): runs Olympus from /deployments and uses the
# AOT cache (app.aot) when the image has one. Also used by the image's AOT training run, so the
# training and production JVMs get the same options.
#
#   JAVA_OPTS             replaces the default JVM options below
#   JAVA_OPTS_APPEND      is added after them, e.g. -Xlog:aot to see whether the cache was accepted
#   JAVA_AOT_CACHE=false  starts without the cache (troubleshooting)
# Arguments given to the container (docker run IMAGE -Dkey=value) are passed on to Quarkus.
#
# The AOT cache is only accepted by the exact JVM that wrote it (same JDK build and lib/modules)
# and with jar files whose size and modification time are unchanged; otherwise the JVM starts
# normally without it. On JDK 25 it is not usable with ZGC.
set -eu
cd "${APP_DIR:-/deployments}"

: "${JAVA_OPTS:=-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dquarkus.http.host=0.0.0.0}"

aot=""
if [ -f app.aot ] && [ "${JAVA_AOT_CACHE:-true}" != "false" ]; then
  aot="-XX:AOTCache=app.aot"
fi

# Word splitting of the option strings is intended.
# shellcheck disable=SC2086
exec java $JAVA_OPTS $aot ${JAVA_OPTS_APPEND:-} -jar quarkus-run.jar "$@"
