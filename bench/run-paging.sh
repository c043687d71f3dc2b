#!/usr/bin/env bash
# Keyset vs OFFSET paging on embedded PostgreSQL. Not run by CI. Usage: bench/run-paging.sh [models]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" bench/PagingBenchmark.java "$@"
