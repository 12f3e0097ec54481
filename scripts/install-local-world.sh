#!/usr/bin/env bash
# Installs what the local world needs on a Debian machine (run as root):
#   - MariaDB + galera-4 + rsync from Debian (system copy is never started: it only brings libraries,
#     the galera provider, the SST tools and the `mysql` user);
#   - the two newest mariadb server builds Debian offers, unpacked side by side under
#     $PXOPS_MARIADB_BUILDS (default /opt/pxops/mariadb/<version>), so that a rolling update between two
#     real server binaries is possible;
#   - chromium and chromium-driver, for the dashboard's browser test (Selenium drives them; no test tool may
#     download a browser).
# Idempotent: a second run with everything in place returns in well under a second.
set -euo pipefail

BUILDS=${PXOPS_MARIADB_BUILDS:-/opt/pxops/mariadb}
PKGS=(mariadb-server-core mariadb-server mariadb-client-core mariadb-client mariadb-backup)
log() { echo "[install-local-world] $*" >&2; }

complete() {
  [ -x /usr/lib/galera/libgalera_smm.so ] || [ -f /usr/lib/galera/libgalera_smm.so ] || return 1
  id mysql >/dev/null 2>&1 || return 1
  command -v rsync >/dev/null || return 1
  [ -x /usr/bin/chromedriver ] || return 1
  [ -f "$BUILDS/versions" ] || return 1
  while read -r v; do [ -x "$BUILDS/$v/usr/sbin/mariadbd" ] || return 1; done < "$BUILDS/versions"
}
if complete; then log "already installed: $(tr '\n' ' ' < "$BUILDS/versions")"; exit 0; fi

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
$SUDO apt-get update -qq
# A machine without policy-rc.d would start a system mariadbd on 3306 during the install: forbid that for the
# duration of the install only.
added_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
  added_policy=1
fi
log "apt-get install mariadb-server mariadb-backup galera-4 rsync chromium chromium-driver"
$SUDO apt-get install -y -qq --no-install-recommends mariadb-server mariadb-backup galera-4 rsync socat iproute2 \
  chromium chromium-driver >/dev/null
[ -z "$added_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d

# The two newest builds Debian offers (e.g. bookworm-security and bookworm main).
mapfile -t FULL < <(apt-cache madison mariadb-server-core | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -uV)
if [ "${#FULL[@]}" -eq 0 ]; then log "apt-cache madison found no mariadb-server-core build"; exit 1; fi
if [ "${#FULL[@]}" -ge 2 ]; then SEL=("${FULL[-2]}" "${FULL[-1]}"); else SEL=("${FULL[0]}"); fi
log "server builds: ${SEL[*]} (of ${FULL[*]})"

$SUDO mkdir -p "$BUILDS/debs"
: > "$BUILDS/versions.tmp"
for full in "${SEL[@]}"; do
  short=${full#*:}; short=${short%%-*}          # 1:10.11.19-0+deb12u1 -> 10.11.19
  dest="$BUILDS/$short"
  if [ ! -x "$dest/usr/sbin/mariadbd" ]; then
    (cd "$BUILDS/debs" && for p in "${PKGS[@]}"; do $SUDO apt-get download -qq "$p=$full" 2>/dev/null; done)
    $SUDO mkdir -p "$dest"
    for p in "${PKGS[@]}"; do
      deb=$(ls "$BUILDS/debs/${p}_"*"$(printf '%s' "${full#*:}")"*.deb 2>/dev/null | head -1)
      [ -n "$deb" ] || { log "missing package $p=$full"; exit 1; }
      $SUDO dpkg -x "$deb" "$dest"
    done
  fi
  "$dest/usr/sbin/mariadbd" --version >&2
  echo "$short" >> "$BUILDS/versions.tmp"
done
$SUDO mv "$BUILDS/versions.tmp" "$BUILDS/versions"
# mariadbd drops to the mysql user, which runs the SST scripts of the build: the tree must be readable by it.
$SUDO chmod -R a+rX "$BUILDS"
log "installed: $(tr '\n' ' ' < "$BUILDS/versions")"
