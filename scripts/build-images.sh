#!/usr/bin/env bash
# Builds a container image tarball of every pxops service with Jib (jib:buildTar), without a Docker daemon and
# without pulling a base image (no registry needs to be reachable): the base is "scratch" plus a jlink'ed Java 17
# runtime and the few shared libraries it links against, copied from this Debian machine (a distroless-style image).
#   scripts/build-images.sh            build target/jib-image.tar in each service module
#   scripts/build-images.sh --verify   then unpack each image and run its entrypoint in a chroot (root only): a bad
#                                      setting must end it with "configuration error" — proof the JVM, the libraries
#                                      and the class path inside the image work
# Load one where Docker runs: docker load -i verifier/target/jib-image.tar
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.1.0
BASE=$PWD/target/image-base
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

build_base() {
  rm -rf "$BASE" && mkdir -p "$BASE/opt" "$BASE/tmp" "$BASE/etc"
  # java.desktop only for java.beans (Jackson and fabric8 touch it); no AWT native library is copied
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,java.desktop,java.instrument,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$BASE/opt/java"
  rm -f "$BASE"/opt/java/lib/lib{awt,awt_xawt,awt_headless,splashscreen,fontmanager,javajpeg,lcms,jsound,mlib_image}.so
  local libs
  libs=$(ldd "$BASE"/opt/java/bin/java "$BASE"/opt/java/lib/server/libjvm.so "$BASE"/opt/java/lib/*.so 2>/dev/null \
    | awk '/=> \// {print $3}' | grep -v "$BASE" | sort -u)
  for lib in $libs /lib64/ld-linux-x86-64.so.2; do
    mkdir -p "$BASE$(dirname "$lib")"
    cp -L "$lib" "$BASE$lib"
  done
  chmod 1777 "$BASE/tmp"
  echo "pxops:x:65532:65532:pxops:/tmp:/sbin/nologin" > "$BASE/etc/passwd"
  echo "pxops:x:65532:" > "$BASE/etc/group"
}

# module, image name, main class
SERVICES=(
  "request-ingest pxops-ingest io.pxops.requestingest.IngestMain"
  "step-runners pxops-coordinator io.pxops.steprunners.coordinator.CoordinatorMain"
  "step-runners pxops-step-runners io.pxops.steprunners.runners.StepRunnerMain"
  "verifier pxops-verifier io.pxops.verifier.VerifierMain"
  "status-projector pxops-status-projector io.pxops.statusprojector.ProjectorMain"
)

[ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -B -q -ntp -DskipTests install -pl request-ingest,step-runners,verifier,status-projector -am
build_base
for s in "${SERVICES[@]}"; do
  read -r module image main <<< "$s"
  ./mvnw -B -q -ntp -pl "$module" com.google.cloud.tools:jib-maven-plugin:buildTar \
    -Djib.from.image=scratch -Djib.to.image="pxops/$image:$VERSION" \
    -Djib.outputPaths.tar="target/$image.tar" -Djib.extraDirectories.paths="$BASE" -Djib.extraDirectories.permissions="/opt/java/bin/*=755,/opt/java/lib/jspawnhelper=755,/tmp=777,/lib64/*=755,/lib/x86_64-linux-gnu/*=755" \
    -Djib.container.entrypoint="/opt/java/bin/java,-XX:+UseSerialGC,-XX:MaxRAMPercentage=75,-XX:+ExitOnOutOfMemoryError,-cp,@/app/jib-classpath-file,$main" \
    -Djib.container.environment=MALLOC_ARENA_MAX=2 -Djib.container.user=65532 -Djib.container.workingDirectory=/tmp -Djib.allowInsecureRegistries=false
  echo "built $module/target/$image.tar ($(du -h "$module/target/$image.tar" | cut -f1))"
done

if [ "${1:-}" = "--verify" ]; then
  for s in "${SERVICES[@]}"; do
    read -r module image main <<< "$s"
    root=$(mktemp -d)
    tar -xf "$module/target/$image.tar" -C "$root"
    rootfs=$root/rootfs && mkdir -p "$rootfs"
    for layer in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$root/manifest.json"); do
      tar -xzf "$root/$layer" -C "$rootfs" 2>/dev/null || tar -xf "$root/$layer" -C "$rootfs"
    done
    entrypoint=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1]))[0]; c=json.load(open(sys.argv[2]+'/'+m['Config'])); print(' '.join(c['config']['Entrypoint']))" "$root/manifest.json" "$root")
    # a container runtime mounts /proc; the JVM's launcher needs it to find its own libraries ($ORIGIN)
    mkdir -p "$rootfs/proc" && mount -t proc proc "$rootfs/proc"
    out=$(env -i KAFKA_BOOTSTRAP_SERVERS= PXOPS_RECHECK_INTERVAL=bad PXOPS_TICK_INTERVAL=bad PXOPS_HTTP_PORT=bad /usr/sbin/chroot "$rootfs" $entrypoint 2>&1 || true)
    umount "$rootfs/proc"
    if grep -q "configuration error" <<< "$out"; then
      echo "verified $image: $(grep 'configuration error' <<< "$out" | head -1)"
    else
      echo "FAILED $image: $out" >&2
      exit 1
    fi
    rm -rf "$root"
  done
fi
