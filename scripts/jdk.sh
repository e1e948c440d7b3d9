# Sourced by the scripts in this directory: finds a JDK >= 21 and Maven, or says what is missing.
# Sets JAVA_HOME and JAVA. Prefers $JAVA_HOME, then the newest JDK under /usr/lib/jvm.

java_major() { # java_major /path/to/java -> major version number, or nothing
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "esctl: no JDK 21 or newer found (looked at JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm/*); install one, e.g. 'apt-get install openjdk-21-jdk', or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
  JAVA="$JAVA_HOME/bin/java"
}

need_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "esctl: Maven ('mvn') is needed to build esctl and was not found on PATH; install it, e.g. 'apt-get install maven'." >&2
  return 1
}
