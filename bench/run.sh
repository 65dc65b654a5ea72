#!/usr/bin/env bash
# bench/run.sh CLASS [ARGS...]: builds the benchmarks (after `mvn install` of the project) and runs one
# main class from dev.knet.bench, e.g. bench/run.sh control.ControlPlaneBench
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
. "$HERE/../scripts/find-java.sh"
knet_find_java
knet_require_maven
(cd "$HERE" && mvn -q -B package -DskipTests >/dev/null)
cls=$1; shift
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx4g -cp "$HERE/target/classes:$(cat "$HERE/target/classpath.txt")" \
  "dev.knet.bench.$cls" "$@"
