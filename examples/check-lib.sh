# Shared by the examples' check.sh scripts: run rolemap and compare its answer with the expected one.
# ROLEMAP names the command (default: rolemap on PATH); it may be several words, e.g. "dotnet path/rolemap.dll".
ROLEMAP="${ROLEMAP:-rolemap}"
failures=0

rolemap() {
  # shellcheck disable=SC2086 # ROLEMAP is deliberately split into words
  $ROLEMAP "$@"
}

# expect yes|no COMMAND...: exit 0 means yes, 1 means no, anything else is a failure of the example.
expect() {
  local want=$1 got code=0
  shift
  rolemap "$@" > /dev/null 2>&1 || code=$?
  case $code in
    0) got=yes ;;
    1) got=no ;;
    *) echo "FAIL  rolemap $* exited $code"; failures=$((failures + 1)); return ;;
  esac
  if [ "$got" = "$want" ]; then
    echo "ok    $want   rolemap $*"
  else
    echo "FAIL  expected $want, got $got: rolemap $*"
    failures=$((failures + 1))
  fi
}

# expect_output TEXT COMMAND...: the command answers (exit 0 or 1, not a failure) and its output contains TEXT.
expect_output() {
  local want=$1 out code=0
  shift
  out=$(rolemap "$@" 2>&1) || code=$?
  # A here-string, not a pipe: with pipefail, 'grep -q' closing the pipe early would fail printf with SIGPIPE.
  if [ "$code" -le 1 ] && grep -F -- "$want" <<< "$out" > /dev/null; then
    echo "ok    rolemap $* prints '$want'"
  else
    echo "FAIL  rolemap $* does not print '$want':"
    printf '%s\n' "$out" | sed 's/^/      /'
    failures=$((failures + 1))
  fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
  fi
  echo "all checks passed"
}
