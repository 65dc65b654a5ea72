#!/usr/bin/env bash
# Store-to-DNS freshness: bench/dns/freshness.sh [ROUNDS=200] [BACKGROUND_SERVICES=1000]
# In-memory store -> watch -> DNS index -> DnsServer on 127.0.0.1 (ephemeral port); prints p50/p99/max
# from a Service write returning until its name answers over UDP. Needs a JDK >= 25 and Maven, and the
# knet modules installed in the local repository.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
. "$BENCH/../scripts/find-java.sh"
knet_find_java
knet_require_maven
(cd "$BENCH" && mvn -q -o -B package -DskipTests >/dev/null)
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED \
  -Dlogback.configurationFile="$HERE/logback.xml" \
  -cp "$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")" dev.knet.bench.dns.DnsFreshnessBench "$@"
