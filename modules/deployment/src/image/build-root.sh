#!/usr/bin/env bash
# Builds the root file system of Pulse's container image: the directory Jib adds on top of `scratch`, because no base
# image can be pulled here and no Docker daemon runs. Everything comes from the build machine:
#
#   /opt/java                     a Java runtime made by jlink from the build's JDK, with only the modules Pulse uses
#   /lib/x86_64-linux-gnu, /lib64 the shared libraries that runtime and Pulse's JNI libraries (RocksDB, ND4J/OpenBLAS,
#                                 zstd, lz4, snappy) load: glibc, libstdc++, libgcc_s, zlib, and fontconfig/freetype
#                                 for the trainer's report plots; found with ldd, copied with their dependencies
#   /usr/share/fonts, /etc/fonts  one font family (DejaVu), so the trainer can draw text into its PNG plots
#   /usr/lib/locale/C.utf8        so LANG=C.UTF-8 gives Java 17 a UTF-8 default charset and file-name encoding
#   /etc/passwd, /etc/group       root and the unprivileged user `pulse` the image runs as
#   /var/lib/pulse, /tmp          the state volume's mount point and the temp directory (made writable by Jib)
#
# Usage: build-root.sh OUT_DIR JAVA_HOME UID GID
# Needs: a glibc x86_64 Linux (Debian/Ubuntu layout) with the JDK's jmods, ldd, ldconfig, and the Debian packages
# fontconfig + fonts-dejavu-core (or any DejaVuSans.ttf). Skips the work when OUT_DIR was built from the same inputs (OUT_DIR.stamp).
set -euo pipefail

OUT=${1:?usage: build-root.sh OUT_DIR JAVA_HOME UID GID}
JDK=${2:?JAVA_HOME of the JDK to take the runtime from}
PULSE_UID=${3:?uid of the image user}
PULSE_GID=${4:?gid of the image user}

# The modules of the runtime. `jdeps --ignore-missing-deps --multi-release 17 --print-module-deps --class-path
# <pulse-cli runtime class path> pulse-cli.jar` (33 s here, so not run on every build) prints java.base,
# java.compiler, java.desktop, java.instrument, java.naming, java.net.http, java.rmi, java.scripting,
# java.security.jgss, java.security.sasl, java.sql, jdk.httpserver, jdk.incubator.vector, jdk.jfr, jdk.management,
# jdk.unsupported. Added on purpose: TLS with EC keys (jdk.crypto.ec), Kerberos/SASL login modules Kafka clients load
# by name (jdk.security.auth, jdk.security.jgss), DNS lookups through JNDI (jdk.naming.dns), charsets beyond the
# standard ones (jdk.charsets), the zip file system (jdk.zipfs), and diagnostics (jdk.jcmd: jcmd, jstack, jmap, so
# `kubectl exec POD -- /opt/java/bin/jcmd 1 Thread.print` works in an image without a shell).
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.rmi,java.scripting,\
java.security.jgss,java.security.sasl,java.sql,jdk.httpserver,jdk.incubator.vector,jdk.jfr,jdk.management,\
jdk.unsupported,jdk.crypto.ec,jdk.security.auth,jdk.security.jgss,jdk.naming.dns,jdk.charsets,jdk.zipfs,jdk.jcmd

# Loaded with dlopen or by JNI libraries that are unpacked at run time, so not visible to ldd on the runtime:
# libstdc++/libgcc_s/libz/librt/libdl/libpthread (RocksDB, ND4J, OpenBLAS, JavaCPP), libgomp (XGBoost's OpenMP, for
# the trainer's --fraud-trees), libfontconfig (AWT's font lookup), libnss_dns/libnss_files/libresolv (host name
# resolution through glibc).
SEED_LIBS="libstdc++.so.6 libgcc_s.so.1 libz.so.1 librt.so.1 libdl.so.2 libpthread.so.0 libm.so.6 libc.so.6
libgomp.so.1 libfontconfig.so.1 libnss_dns.so.2 libnss_files.so.2 libresolv.so.2"

FONT_DIR=/usr/share/fonts/truetype/dejavu
FONTS="DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf"

die() { echo "build-root.sh: $*" >&2; exit 1; }
[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] || die "builds an x86_64 Linux image, so it must run on x86_64 Linux"
[[ -x "$JDK/bin/jlink" ]] || die "no jlink in $JDK/bin: JAVA_HOME must be a full JDK"
[[ -d "$JDK/jmods" ]] || die "no $JDK/jmods: this JDK cannot jlink (Debian: apt-get install openjdk-17-jdk-headless)"
for tool in ldd ldconfig sha256sum; do command -v "$tool" >/dev/null || die "'$tool' not found"; done
for font in $FONTS; do
  [[ -f "$FONT_DIR/$font" ]] || die "$FONT_DIR/$font missing (Debian: apt-get install fonts-dejavu-core fontconfig)"
done

stamp=$( { cat "$0"; "$JDK/bin/java" -version 2>&1; echo "$PULSE_UID:$PULSE_GID"; } | sha256sum | cut -d' ' -f1)
if [[ -f "$OUT.stamp" && "$(cat "$OUT.stamp")" == "$stamp" ]]; then
  echo "build-root.sh: $OUT is up to date"
  exit 0
fi
rm -rf "$OUT" "$OUT.stamp"
mkdir -p "$OUT"

# --- Java runtime -------------------------------------------------------------------------------------------------
# No --compress: Jib gzips the layer anyway, and compressed jimage resources only make start-up slower.
# --generate-cds-archive: the class-data sharing archive the JDK ships but jlink leaves out (faster JVM start,
# which the Compose health check, a JVM per probe, notices most).
"$JDK/bin/jlink" --add-modules "$MODULES" --output "$OUT/opt/java" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive
# Never used in a headless container, and they would drag in X11 and ALSA: the X11 toolkit (AWT runs headless and
# loads libawt_headless instead), sound, the splash screen, and the native AWT interface. The CDS archive for heaps
# above 32 GB (no compressed oops) is left out too (11 MB).
rm -f "$OUT/opt/java/lib/"{libawt_xawt.so,libjsound.so,libsplashscreen.so,libjawt.so} \
  "$OUT/opt/java/lib/server/classes_nocoops.jsa"
# Debian's JDK links its trust store and security files to /etc; jlink copies the files, the check makes sure.
[[ -s "$OUT/opt/java/lib/security/cacerts" ]] || die "the runtime has no lib/security/cacerts (TLS would not work)"

# --- shared libraries ---------------------------------------------------------------------------------------------
declare -A copied=()
queue=()
LDCONFIG_CACHE=$(ldconfig -p)
resolve_seed() {
  awk -v lib="$1" '$1 == lib && /x86-64/ && !found { print $NF; found = 1 }' <<<"$LDCONFIG_CACHE"
}
copy_lib() {  # copies the file a library path resolves to, under the path the loader looks it up by
  local path=$1
  [[ -n "${copied[$path]:-}" ]] && return 0
  copied[$path]=1
  mkdir -p "$OUT$(dirname "$path")"
  cp -L "$path" "$OUT$path"
  queue+=("$path")
}
deps_of() {  # the absolute paths ldd resolves for one ELF file; fails on a library it cannot find
  local file=$1 out
  out=$(ldd "$file" 2>&1) || { [[ "$out" == *"not a dynamic executable"* ]] && return 0; die "ldd $file: $out"; }
  if grep -v 'libjvm.so\|libjava.so\|libjli.so\|libawt.so\|libnet.so\|libnio.so' <<<"$out" | grep -q 'not found'; then
    die "$file needs a library this machine does not have: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
  fi
  awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(/ { print $1 }' <<<"$out"
}
for seed in $SEED_LIBS; do
  path=$(resolve_seed "$seed")
  [[ -n "$path" ]] || die "$seed not found by ldconfig"
  copy_lib "$path"
done
# The loader itself, where every x86_64 ELF file names it.
copy_lib /lib64/ld-linux-x86-64.so.2
while IFS= read -r -d '' elf; do
  for dep in $(deps_of "$elf"); do
    [[ "$dep" == "$OUT"* ]] || copy_lib "$dep"
  done
done < <(find "$OUT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0)
# Dependencies of the copied libraries, until nothing new turns up.
i=0
while (( i < ${#queue[@]} )); do
  for dep in $(deps_of "${queue[$i]}"); do copy_lib "$dep"; done
  i=$((i + 1))
done

# --- fonts, locale, users -----------------------------------------------------------------------------------------
mkdir -p "$OUT/usr/share/fonts/dejavu" "$OUT/etc/fonts"
for font in $FONTS; do cp -L "$FONT_DIR/$font" "$OUT/usr/share/fonts/dejavu/"; done
cat > "$OUT/etc/fonts/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- The image's only fonts; the cache goes to /tmp because the root file system may be read-only. -->
<fontconfig>
  <dir>/usr/share/fonts</dir>
  <cachedir>/tmp/fontconfig</cachedir>
</fontconfig>
CONF
if [[ -d /usr/lib/locale/C.utf8 ]]; then
  mkdir -p "$OUT/usr/lib/locale"
  cp -R /usr/lib/locale/C.utf8 "$OUT/usr/lib/locale/"
else
  die "/usr/lib/locale/C.utf8 missing (Debian: part of libc-bin)"
fi

cat > "$OUT/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
pulse:x:$PULSE_UID:$PULSE_GID:Pulse:/var/lib/pulse:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat > "$OUT/etc/group" <<GROUP
root:x:0:
pulse:x:$PULSE_GID:
nogroup:x:65534:
GROUP
cat > "$OUT/etc/nsswitch.conf" <<'NSS'
passwd: files
group:  files
hosts:  files dns
NSS
mkdir -p "$OUT/var/lib/pulse" "$OUT/tmp" "$OUT/root"

echo "$stamp" > "$OUT.stamp"
echo "build-root.sh: built $OUT ($(du -sh "$OUT" | cut -f1): runtime $(du -sh "$OUT/opt/java" | cut -f1)," \
  "${#copied[@]} shared libraries)"
