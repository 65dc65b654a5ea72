# Sourced by ./knet, ./test.sh and .ci/run: sets JAVA_HOME to a JDK >= 25.
# Order: JAVA_HOME if it is one, else the newest JDK >= 25 under /usr/lib/jvm.
knet_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
knet_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local m; m=$(knet_java_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge 25 ]; then export JAVA_HOME; return 0; fi
  fi
  local best="" bestm=0 d m
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    m=$(knet_java_major "$d")
    if [ -n "$m" ] && [ "$m" -ge 25 ] && [ "$m" -gt "$bestm" ]; then best=$d; bestm=$m; fi
  done
  if [ -z "$best" ]; then
    echo "knet needs a JDK 25 or newer, and found none: JAVA_HOME is '${JAVA_HOME:-unset}' and /usr/lib/jvm has no JDK >= 25." >&2
    echo "Install one (for example Temurin 25) under /usr/lib/jvm or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
knet_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "knet builds with Apache Maven, and 'mvn' is not on PATH. Install it: apt-get install -y maven" >&2
    return 1
  fi
}
