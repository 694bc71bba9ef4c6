# Shared by bin/run and bin/test: find Python >= 3.12, make .venv/, install pinned packages.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv shims fail unless the version is selected; the interpreters themselves work.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
  for candidate in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

# ensure_venv REQUIREMENTS_FILE: .venv/ with exactly those pins (re-installs when they change).
ensure_venv() {
  local requirements="$1"
  if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    local python
    python="$(find_python)" || die "pmmhub needs Python 3.12 or newer. Install it (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12."
    say "Making .venv/ with $python"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
  if [ ! -f "$stamp" ]; then
    say "Installing packages from $requirements"
    # PyICU compiles against the system's ICU.
    if ! pkg-config --exists icu-uc 2>/dev/null || ! command -v g++ >/dev/null 2>&1; then
      apt_install libicu-dev pkg-config g++
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

# apt_install PACKAGE...: install Debian packages (only called when something is missing).
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* here: no apt-get. Install them by hand."
  say "Installing $* from Debian's packages"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# start_postgres: a throwaway cluster on a unix socket in its own directory (no port clashes,
# no leftovers), stopped and removed when the calling script exits. Exports DATABASE_URL.
start_postgres() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    apt_install postgresql
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  pg_dir="$(mktemp -d /tmp/pmmhub-pg.XXXXXX)"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  trap stop_postgres EXIT
  say "Starting a throwaway PostgreSQL ($("$pg_bin/postgres" --version))"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-k $pg_dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  "${as_pg[@]}" "$pg_bin/createdb" -h "$pg_dir" -U postgres pmmhub
  local socket
  socket="$(printf '%s' "$pg_dir" | sed 's|/|%2F|g')"
  export DATABASE_URL="postgresql://postgres@${socket}:5432/pmmhub"
  export PMMHUB_PG_BIN="$pg_bin"
}

stop_postgres() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}

random_secret() {
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}
