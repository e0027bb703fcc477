# Builds and installs the C libraries the way C teams consume them (Linux/ELF; GNU make):
#
#   make                                  # release libportal_codes.a and libportal_codes.so
#   make install PREFIX=/usr/local DESTDIR=
#   make install-static / install-shared  # one of the two libraries (plus header and .pc): the
#                                         # linker takes the .so over the .a whenever both are
#                                         # there, even with `pkg-config --static`
#   make uninstall                        # same PREFIX/LIBDIR/INCLUDEDIR/DESTDIR as install
#   make java-natives                     # the Java jar's libraries, glibc 2.17, x86-64 and aarch64:
#                                         # target/make/jna/linux-{x86-64,aarch64}/ (bindings/java;
#                                         # tools/java-natives.sh, which also needs python3 and PyPI)
#
# Installs $(INCLUDEDIR)/portal_codes.h, $(LIBDIR)/libportal_codes.a,
# $(LIBDIR)/libportal_codes.so.MAJOR.MINOR.PATCH (SONAME libportal_codes.so.MAJOR) with the
# symlinks libportal_codes.so.MAJOR and libportal_codes.so, and $(PKGCONFIGDIR)/portal_codes.pc.
# The version is Cargo.toml's; the ABI policy (what bumps MAJOR) is in docs/c-api.md, "Versions".
# `install` never runs cargo when `make` has already built everything, so `sudo make install`
# works without cargo in root's PATH. Needs only make, sh, sed, find, cargo and coreutils.

PREFIX = /usr/local
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
DESTDIR =
INSTALL = install
CARGO ?= cargo

top := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CARGO_TARGET_DIR ?= $(top)/target
# What this Makefile built, copied out of cargo's folder (which other cargo commands overwrite).
out = $(CARGO_TARGET_DIR)/make

# Cargo.toml's [package] version (the first `version = "..."` line); MAJOR.MINOR.PATCH without
# any pre-release or build suffix.
VERSION := $(shell sed -n 's/^version *= *"\([^"]*\)".*/\1/p' '$(top)/Cargo.toml' | sed 1q)
version_parts := $(subst ., ,$(firstword $(subst -, ,$(firstword $(subst +, ,$(VERSION))))))
MAJOR := $(word 1,$(version_parts))
MINOR := $(word 2,$(version_parts))
PATCH := $(word 3,$(version_parts))
ifeq ($(PATCH),)
$(error cannot read MAJOR.MINOR.PATCH from $(top)/Cargo.toml (got '$(VERSION)'))
endif

lib = libportal_codes
soname = $(lib).so.$(MAJOR)
shared_full = $(lib).so.$(MAJOR).$(MINOR).$(PATCH)
# Written last by the build: the link flags the static library needs (rustc's native-static-libs).
stamp = $(out)/native-static-libs
sources := $(top)/Makefile $(top)/Cargo.toml $(top)/Cargo.lock $(top)/README.md \
	$(shell find '$(top)/src' -type f)

.PHONY: all install install-static install-shared install-common uninstall clean java-natives
.DELETE_ON_ERROR:

all: $(stamp)

# One rustc run makes both libraries: the soname is a link argument (only the cdylib is linked),
# and the staticlib's native-static-libs note goes to the log, which the stamp is cut from.
$(stamp): $(sources)
	mkdir -p '$(out)'
	rm -f '$(stamp)'
	{ $(CARGO) rustc --manifest-path '$(top)/Cargo.toml' --target-dir '$(CARGO_TARGET_DIR)' \
		--lib --release --features capi --crate-type staticlib,cdylib \
		-- -C link-arg=-Wl,-soname,$(soname) --print native-static-libs 2>&1; \
		echo $$? > '$(out)/cargo.status'; } | tee '$(out)/cargo.log'
	test "$$(cat '$(out)/cargo.status')" = 0
	cp '$(CARGO_TARGET_DIR)/release/$(lib).a' '$(out)/$(lib).a'
	cp '$(CARGO_TARGET_DIR)/release/$(lib).so' '$(out)/$(shared_full)'
	cp '$(CARGO_TARGET_DIR)/release/$(lib).so' '$(out)/$(lib).so'
	sed -n 's/^.*native-static-libs: *//p' '$(out)/cargo.log' | sed 1q > '$(stamp).tmp'
	@test -s '$(stamp).tmp' || { echo 'no native-static-libs line in $(out)/cargo.log' >&2; \
		echo '(cargo did not rerun rustc? touch src/lib.rs and run make again)' >&2; exit 1; }
	mv '$(stamp).tmp' '$(stamp)'

install: install-static install-shared

install-static: $(stamp) install-common
	$(INSTALL) -d '$(DESTDIR)$(LIBDIR)'
	$(INSTALL) -m 644 '$(out)/$(lib).a' '$(DESTDIR)$(LIBDIR)/$(lib).a'

install-shared: $(stamp) install-common
	$(INSTALL) -d '$(DESTDIR)$(LIBDIR)'
	$(INSTALL) -m 755 '$(out)/$(shared_full)' '$(DESTDIR)$(LIBDIR)/$(shared_full)'
	ln -sf '$(shared_full)' '$(DESTDIR)$(LIBDIR)/$(soname)'
	ln -sf '$(soname)' '$(DESTDIR)$(LIBDIR)/$(lib).so'

# The .pc file is written at install time, so it always names the PREFIX/LIBDIR installed to
# (and nothing in the build tree is written as root by `sudo make install`).
install-common: $(stamp)
	$(INSTALL) -d '$(DESTDIR)$(INCLUDEDIR)' '$(DESTDIR)$(PKGCONFIGDIR)'
	$(INSTALL) -m 644 '$(top)/include/portal_codes.h' '$(DESTDIR)$(INCLUDEDIR)/portal_codes.h'
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e "s|@LIBS_PRIVATE@|$$(cat '$(stamp)')|g" \
		'$(top)/portal_codes.pc.in' > '$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc'
	chmod 644 '$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc'

uninstall:
	rm -f '$(DESTDIR)$(INCLUDEDIR)/portal_codes.h' '$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc' \
		'$(DESTDIR)$(LIBDIR)/$(lib).a' '$(DESTDIR)$(LIBDIR)/$(lib).so' \
		'$(DESTDIR)$(LIBDIR)/$(soname)' '$(DESTDIR)$(LIBDIR)/$(shared_full)'

# Not a file rule: cargo knows when to rebuild, and the script rechecks both libraries every time.
java-natives:
	CARGO_TARGET_DIR='$(CARGO_TARGET_DIR)' bash '$(top)/tools/java-natives.sh' '$(out)/jna'

clean:
	rm -rf '$(out)'
