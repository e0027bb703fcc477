# Builds and installs the C libraries the way C teams consume them (Linux/ELF; GNU make):
#
#   make                                  # release libportal_codes.a and libportal_codes.so
#   make install PREFIX=/usr/local DESTDIR=
#   make install-static / install-shared  # one of the two libraries (plus header and .pc): the
#                                         # linker takes the .so over the .a whenever both are
#                                         # there, even with `pkg-config --static`
#   make uninstall                        # same PREFIX/LIBDIR/INCLUDEDIR/DESTDIR as install
#   make dist                             # release tarball for C teams (below); DISTDIR=
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
#
# Run-time lookup (RPATH=auto, the default): the .pc file's Libs carry -Wl,-rpath,${libdir}
# unless LIBDIR is a directory the dynamic loader searches by itself (/lib, /usr/lib, /lib64,
# /usr/lib64, /lib/<multiarch>, /usr/lib/<multiarch>), so a program linked through pkg-config
# against a private PREFIX (or /usr/local) runs without LD_LIBRARY_PATH or ldconfig, while a
# distribution install (PREFIX=/usr) gets no run path. RPATH=yes or RPATH=no forces it.
#
# `make dist` writes $(DISTDIR)/portal_codes-VERSION-TRIPLE.tar.gz (TRIPLE: rustc's host) holding
# one folder: include/, lib/ (both libraries, the symlinks, a relocatable pkgconfig/portal_codes.pc
# whose prefix is ${pcfiledir}/../..), install.sh, README.md (packaging/README.md), docs/ (c-api.md,
# verdicts.md, upgrading.md, revoke.md, device-trust.md), CHANGELOG.md and the licences. Also needs GNU tar, gzip and objdump.

PREFIX = /usr/local
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
DESTDIR =
INSTALL = install
CARGO ?= cargo
RPATH = auto

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

ifeq ($(filter auto yes no,$(RPATH)),)
$(error RPATH must be auto, yes or no (got '$(RPATH)'))
endif
comma := ,
# The directories glibc's loader searches without a run path, ld.so.cache or LD_LIBRARY_PATH.
loader_dirs = /lib /usr/lib /lib64 /usr/lib64 /lib/%-linux-gnu /usr/lib/%-linux-gnu \
	/lib/%-linux-gnueabihf /usr/lib/%-linux-gnueabihf
rpath_wanted = $(or $(filter yes,$(RPATH)),$(and $(filter auto,$(RPATH)), \
	$(if $(filter $(loader_dirs),$(patsubst %/,%,$(LIBDIR))),,yes)))
# What @RPATH@ in portal_codes.pc.in becomes: nothing, or ` -Wl,-rpath,${libdir}`.
rpath_libs = $(if $(rpath_wanted), -Wl$(comma)-rpath$(comma)$${libdir})

lib = libportal_codes
soname = $(lib).so.$(MAJOR)
shared_full = $(lib).so.$(MAJOR).$(MINOR).$(PATCH)
# Written last by the build: the link flags the static library needs (rustc's native-static-libs).
stamp = $(out)/native-static-libs
sources := $(top)/Makefile $(top)/Cargo.toml $(top)/Cargo.lock $(top)/README.md \
	$(shell find '$(top)/src' -type f)

.PHONY: all install install-static install-shared install-common uninstall dist clean java-natives
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
	$(call write_pc,$(PREFIX),$(LIBDIR),$(INCLUDEDIR),$(rpath_libs),$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc)
	chmod 644 '$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc'

# $(call write_pc,prefix,libdir,includedir,rpath flags,output file)
write_pc = sed -e 's|@PREFIX@|$(1)|g' -e 's|@LIBDIR@|$(2)|g' -e 's|@INCLUDEDIR@|$(3)|g' \
	-e 's|@RPATH@|$(4)|g' -e 's|@VERSION@|$(VERSION)|g' \
	-e "s|@LIBS_PRIVATE@|$$(cat '$(stamp)')|g" '$(top)/portal_codes.pc.in' > '$(5)'

uninstall:
	rm -f '$(DESTDIR)$(INCLUDEDIR)/portal_codes.h' '$(DESTDIR)$(PKGCONFIGDIR)/portal_codes.pc' \
		'$(DESTDIR)$(LIBDIR)/$(lib).a' '$(DESTDIR)$(LIBDIR)/$(lib).so' \
		'$(DESTDIR)$(LIBDIR)/$(soname)' '$(DESTDIR)$(LIBDIR)/$(shared_full)'

# The release tarball (see the top of this file). Deterministic for one build: names sorted, owner
# root, every mtime $(SOURCE_DATE_EPOCH) (default: the last commit's time; in a copy without git,
# such as an unpacked source archive, Cargo.toml's mtime), gzip without a name.
# (Asked once, and only when used.)
TRIPLE = $(eval TRIPLE := $$(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p'))$(TRIPLE)
DISTDIR = $(CARGO_TARGET_DIR)/dist
SOURCE_DATE_EPOCH ?= $(or $(shell git -C '$(top)' log -1 --format=%ct 2>/dev/null),$(shell date -r '$(top)/Cargo.toml' +%s))
dist_name = portal_codes-$(VERSION)-$(TRIPLE)
# The C team's reference pages (c-api.md links to the others).
dist_docs = c-api.md verdicts.md upgrading.md revoke.md device-trust.md
dist_tree = $(out)/dist/$(dist_name)

dist: $(stamp)
	@test -n '$(TRIPLE)' || { echo 'no host triple from rustc -vV: pass TRIPLE=' >&2; exit 1; }
	rm -rf '$(out)/dist'
	$(INSTALL) -d -m 755 '$(dist_tree)/include' '$(dist_tree)/lib/pkgconfig' '$(DISTDIR)'
	$(INSTALL) -m 644 '$(top)/include/portal_codes.h' '$(dist_tree)/include/portal_codes.h'
	$(INSTALL) -m 644 '$(out)/$(lib).a' '$(dist_tree)/lib/$(lib).a'
	$(INSTALL) -m 755 '$(out)/$(shared_full)' '$(dist_tree)/lib/$(shared_full)'
	ln -s '$(shared_full)' '$(dist_tree)/lib/$(soname)'
	ln -s '$(soname)' '$(dist_tree)/lib/$(lib).so'
	$(call write_pc,$${pcfiledir}/../..,$${prefix}/lib,$${prefix}/include, -Wl$(comma)-rpath$(comma)$${libdir},$(dist_tree)/lib/pkgconfig/portal_codes.pc)
	chmod 644 '$(dist_tree)/lib/pkgconfig/portal_codes.pc'
	$(INSTALL) -m 644 '$(top)/CHANGELOG.md' '$(top)/LICENSE-MIT' '$(top)/LICENSE-APACHE' '$(dist_tree)/'
	$(INSTALL) -d -m 755 '$(dist_tree)/docs'
	$(INSTALL) -m 644 $(foreach d,$(dist_docs),'$(top)/docs/$(d)') '$(dist_tree)/docs/'
	glibc=$$(objdump -T '$(out)/$(shared_full)' | sed -n 's/.*GLIBC_\([0-9][0-9.]*\).*/\1/p' \
		| sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1) && test -n "$$glibc" && \
	for f in README.md install.sh; do \
		sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@TRIPLE@|$(TRIPLE)|g' -e 's|@SONAME@|$(soname)|g' \
			-e 's|@SHARED_FULL@|$(shared_full)|g' -e "s|@GLIBC@|$$glibc|g" \
			'$(top)/packaging/'$$f > '$(dist_tree)/'$$f || exit 1; \
	done
	chmod 644 '$(dist_tree)/README.md'
	chmod 755 '$(dist_tree)/install.sh'
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@$(SOURCE_DATE_EPOCH)' \
		-C '$(out)/dist' -cf '$(out)/dist/$(dist_name).tar' '$(dist_name)'
	gzip -n '$(out)/dist/$(dist_name).tar'
	mv '$(out)/dist/$(dist_name).tar.gz' '$(DISTDIR)/$(dist_name).tar.gz'
	@echo 'wrote $(DISTDIR)/$(dist_name).tar.gz'
# Not a file rule: cargo knows when to rebuild, and the script rechecks both libraries every time.
java-natives:
	CARGO_TARGET_DIR='$(CARGO_TARGET_DIR)' bash '$(top)/tools/java-natives.sh' '$(out)/jna'

clean:
	rm -rf '$(out)'
