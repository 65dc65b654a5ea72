#!/usr/bin/env bash
# Runs every knet test: unit tests everywhere, lab tests (real namespaces, as root) where root.
# Installs the system tools the lab tests use when run as root on Debian; otherwise names what is missing.
set -euo pipefail
KNET_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
. "$KNET_ROOT/scripts/find-java.sh"
knet_find_java
knet_require_maven
"$KNET_ROOT/scripts/lab-tools.sh" ensure
cd "$KNET_ROOT"
exec mvn -B install -Dstyle.color=never "$@"
