#!/bin/sh
# Installs portal_codes @VERSION@ (@TRIPLE@) from this folder, as the source tree's
# `make install` does:
#
#   ./install.sh PREFIX               header, both libraries, lib/pkgconfig/portal_codes.pc
#   ./install.sh --shared PREFIX      header, the shared library and its symlinks, the .pc file
#   ./install.sh --static PREFIX      header, libportal_codes.a, the .pc file (the linker takes
#                                     the .so over the .a whenever both are in one folder, even
#                                     with `pkg-config --static`)
#   ./install.sh --uninstall PREFIX   removes every file any of the above installs
#
# Files go to PREFIX/include and PREFIX/lib (DESTDIR, if set, is put in front, as with make).
# The installed .pc file names PREFIX; its Libs carry -Wl,-rpath,${libdir} (programs linked
# through pkg-config then find the library without LD_LIBRARY_PATH or ldconfig) unless PREFIX/lib
# is a folder the dynamic loader searches by itself (PREFIX / or /usr). RPATH=yes or RPATH=no
# forces it.
set -eu

usage() {
    echo "usage: $0 [--shared | --static | --uninstall] PREFIX" >&2
    exit 2
}

what=both
case ${1-} in
--shared | --static | --uninstall) what=${1#--}; shift ;;
-*) usage ;;
esac
[ $# -eq 1 ] || usage
case $1 in
/*) ;;
*) echo "$0: PREFIX must be an absolute path (got '$1')" >&2; exit 2 ;;
esac
case $1 in
*[!A-Za-z0-9/._+@-]*) echo "$0: PREFIX has a character a run path or pkg-config cannot carry ('$1')" >&2; exit 2 ;;
esac
prefix=$(printf '%s\n' "$1" | sed 's|/*$||')
case ${RPATH:-auto} in
yes) rpath=yes ;;
no) rpath= ;;
auto) case $prefix in '' | /usr) rpath= ;; *) rpath=yes ;; esac ;;
*) echo "$0: RPATH must be auto, yes or no" >&2; exit 2 ;;
esac

src=$(cd "$(dirname "$0")" && pwd)
inc=${DESTDIR-}$prefix/include
lib=${DESTDIR-}$prefix/lib
files="$inc/portal_codes.h $lib/pkgconfig/portal_codes.pc $lib/libportal_codes.a
$lib/libportal_codes.so $lib/@SONAME@ $lib/@SHARED_FULL@"

if [ "$what" = uninstall ]; then
    for f in $files; do
        rm -f "$f"
    done
    exit 0
fi

mkdir -p "$inc" "$lib/pkgconfig"
cp "$src/include/portal_codes.h" "$inc/portal_codes.h"
chmod 644 "$inc/portal_codes.h"
if [ "$what" != static ]; then
    cp "$src/lib/@SHARED_FULL@" "$lib/@SHARED_FULL@"
    chmod 755 "$lib/@SHARED_FULL@"
    ln -sf @SHARED_FULL@ "$lib/@SONAME@"
    ln -sf @SONAME@ "$lib/libportal_codes.so"
fi
if [ "$what" != shared ]; then
    cp "$src/lib/libportal_codes.a" "$lib/libportal_codes.a"
    chmod 644 "$lib/libportal_codes.a"
fi
pc_in=$src/lib/pkgconfig/portal_codes.pc
pc=$lib/pkgconfig/portal_codes.pc
if [ -n "$rpath" ]; then
    sed -e "s|^prefix=.*|prefix=$prefix|" "$pc_in" > "$pc"
else
    sed -e "s|^prefix=.*|prefix=$prefix|" -e 's| -Wl,-rpath,${libdir}||' "$pc_in" > "$pc"
fi
chmod 644 "$lib/pkgconfig/portal_codes.pc"
