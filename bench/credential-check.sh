#!/usr/bin/env bash
# Credential check cost in-process (cached and uncached API keys and access tokens): runs CredentialCheckBench
# (src/test/java/dev/olympus/auth) against the test suite's throwaway PostgreSQL and writes
# bench/results/credential-check-<timestamp>.md. Not part of ./mvnw test: surefire's default includes skip it.
#   bench/credential-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${OLYMPUS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q test -DskipITs -Dtest=CredentialCheckBench -Dsurefire.failIfNoSpecifiedTests=false
bench/results/index.sh
ls -t bench/results/credential-check-*.md | head -1
