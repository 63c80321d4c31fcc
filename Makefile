# renderlink - keep one symlink per referenced render in a Jekyll site.
#
#   make demo    install what is missing, then sync the fixture site
#   make test    install what is missing, then run every test, also under
#                AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench   every row of the README speed table, renderlink beside
#                its floor, also as JSON (never part of `make test`)
#   make fuzz    run each libFuzzer target FUZZ_SECONDS (default 60) seconds
#   make install build, then install under PREFIX (default /usr/local);
#                make uninstall takes it out; make gem builds the gem
#                jekyll-renderlink (the Jekyll plugin) into $(B)/

CC	?= cc
PKGS	 = libgit2 jansson yaml-0.1
DEB_PKGS = gcc make pkg-config libgit2-dev libjansson-dev libyaml-dev \
	   libcriterion-dev git ntfs-3g fuse3 libfuse3-dev jekyll \
	   ruby-bundler valgrind strace pre-commit groff-base man-db mandoc zsh \
	   time bsdutils

# pkg-config is only asked once the packages are there (`make deps`).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	   -Wno-format-nonliteral
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -I$(B)/gen
SAN	 = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

SRC	 = $(wildcard src/*.c src/builtin/*.c)
LIBSRC	 = $(filter-out src/main.c,$(SRC))
UNITSRC	 = $(wildcard tests/unit/*.c)
HDR	 = $(wildcard src/*.h)
GEN	 = $(B)/gen/hook_pre_commit.h

B	 = build
OBJ	 = $(patsubst src/%.c,$(B)/obj/%.o,$(SRC))
LIBOBJ	 = $(patsubst src/%.c,$(B)/obj/%.o,$(LIBSRC))
SANOBJ	 = $(patsubst src/%.c,$(B)/san/obj/%.o,$(SRC))
SANLIBOBJ = $(patsubst src/%.c,$(B)/san/obj/%.o,$(LIBSRC))

# make fuzz (see below); the corpus replay is part of test-san.
FUZZ_CC	 = clang
FUZZ_DEB_PKGS = clang libclang-rt-14-dev
FUZZ_SECONDS = 60
FUZZ_TARGETS = frontmatter frontmatter_read config index wslpath refcheck \
	       plugin_answer jsonread
FUZZ_SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
FUZZ_FLAGS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZOBJ	 = $(patsubst src/%.c,$(B)/fuzz/obj/%.o,$(LIBSRC))
FUZZ_BIN = $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_REPLAY = $(patsubst %,$(B)/san/fuzz/replay_%,$(FUZZ_TARGETS))

.PHONY: all deps demo test unit e2e test-plain test-san valgrind bench \
	bench-deps fuzz fuzz-deps slowfs man clean

all: $(B)/renderlink

deps:
	@missing=; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(B)/obj/%.o: src/%.c $(HDR) $(GEN) | $(B)/obj
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/san/obj/%.o: src/%.c $(HDR) $(GEN) | $(B)/san/obj
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

$(B)/obj $(B)/san/obj $(B)/gen:
	mkdir -p $@

# The pre-commit hook `renderlink hook install` writes, as a C string.
$(GEN): hook/pre-commit | $(B)/gen
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    hook/pre-commit > $@.tmp && mv $@.tmp $@

$(B)/renderlink: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

$(B)/san/renderlink: $(SANOBJ)
	$(CC) $(SAN) -o $@ $(SANOBJ) $(PKG_LIBS)

$(B)/unit: $(UNITSRC) $(LIBOBJ) $(HDR)
	$(CC) $(ALL_CFLAGS) -o $@ $(UNITSRC) $(LIBOBJ) $(PKG_LIBS) -lcriterion

$(B)/san/unit: $(UNITSRC) $(SANLIBOBJ) $(HDR)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(UNITSRC) $(SANLIBOBJ) \
	    $(PKG_LIBS) -lcriterion

# slowfs (tests/slowfs): the media drive that costs 1 ms a call, for the
# e2e tests and the bench only (never `make all`), and only where
# libfuse3 is installed; the tests find it beside the binary they test
# (or one folder up) and skip, saying why, without it.
FUSE_CFLAGS = $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS   = $(shell pkg-config --libs fuse3 2>/dev/null)
SLOWFS	 = $(if $(shell pkg-config --exists fuse3 2>/dev/null && echo y),$(B)/slowfs)

$(B)/slowfs: tests/slowfs/slowfs.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(FUSE_CFLAGS) -o $@ $< \
	    $(FUSE_LIBS)

slowfs: $(SLOWFS)
	@[ -n "$(SLOWFS)" ] || echo "slowfs: not built: libfuse3-dev is" \
	    "missing (make deps installs it); its tests will be skipped"

demo: deps $(B)/renderlink
	sh fixtures/demo.sh

# The suite runs twice: once as shipped, once under ASan+UBSan.
test: deps
	$(MAKE) test-plain test-san

test-plain: $(B)/renderlink $(B)/unit $(SLOWFS)
	$(B)/unit --jobs 2
	sh tests/run.sh $(B)/renderlink

# Criterion runs each test in a child whose sanitizer report would not
# fail the test: reports go to files instead, and any file fails the run.
SANLOG	 = $(CURDIR)/$(B)/san/log
SANENV	 = ASAN_OPTIONS=detect_leaks=1:log_path=$(SANLOG)/asan \
	   UBSAN_OPTIONS=print_stacktrace=1:log_path=$(SANLOG)/ubsan

test-san: $(B)/san/renderlink $(B)/san/unit $(FUZZ_REPLAY) $(SLOWFS)
	rm -rf $(SANLOG) && mkdir -p $(SANLOG)
	$(SANENV) $(B)/san/unit --jobs 2
	$(SANENV) sh tests/run.sh $(B)/san/renderlink
	@for t in $(FUZZ_TARGETS); do \
	  $(SANENV) $(B)/san/fuzz/replay_$$t tests/fuzz/corpus/$$t/* || \
	    echo "replay_$$t: exit $$? on tests/fuzz/corpus/$$t" \
	      >> $(SANLOG)/replay; \
	done
	@if [ -n "$$(ls -A $(SANLOG))" ]; then cat $(SANLOG)/*; \
	    echo "sanitizer reports above"; exit 1; fi

unit: $(B)/unit
	$(B)/unit

e2e: $(B)/renderlink $(SLOWFS)
	sh tests/run.sh $(B)/renderlink

valgrind: deps $(B)/renderlink
	RENDERLINK_NO_OPENAT2=1 RENDERLINK_WRAP="valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite" sh tests/run.sh $(B)/renderlink

# make bench: every row of the speed table (README "Speed"), medians,
# also as JSON in $(B)/bench.json.  Its tools are built into $(B)/bench/;
# GNU Stow, time and strace are bench-only (bench-deps), not `make deps`.
# slowfs is made by a second make: libfuse3-dev may be new from deps.
BENCH_DEB_PKGS = stow time strace python3
BENCH_TOOLS = $(B)/bench/brun $(B)/bench/symlinks

$(B)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $<

bench-deps:
	@missing=; for p in $(BENCH_DEB_PKGS); do \
	  command -v $$p >/dev/null 2>&1 || \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make bench-deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

bench: deps bench-deps $(B)/renderlink $(BENCH_TOOLS)
	@$(MAKE) --no-print-directory slowfs
	sh tests/bench.sh $(B)/renderlink

# Fuzzing: one libFuzzer target per parser of text others write
# (tests/fuzz/fuzz_*.c), built with Debian's clang against the project's
# objects (not main.c).  Each runs FUZZ_SECONDS from the seed corpus in
# tests/fuzz/corpus/<target>/; what it finds new goes to $(B)/fuzz/new/,
# crashes, leaks and hangs to $(B)/fuzz/crashes/ (that target stops, the
# others still run, and make fails naming it).
# `make test` replays the corpus with tests/fuzz/replay.c, built with
# $(CC) and SAN like the rest of test-san, so it needs no clang.
# Named only through pattern rules: keep them between runs.
.SECONDARY: $(FUZZOBJ)

$(B)/fuzz/obj/%.o: src/%.c $(HDR) $(GEN)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

# Archives, so a target links only the modules it calls.
$(B)/fuzz/librenderlink.a: $(FUZZOBJ)
	rm -f $@ && ar rcs $@ $(FUZZOBJ)

$(B)/san/fuzz/librenderlink.a: $(SANLIBOBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $(SANLIBOBJ)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(B)/fuzz/librenderlink.a
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
	    $(B)/fuzz/librenderlink.a $(PKG_LIBS)

$(B)/san/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.h $(B)/san/fuzz/librenderlink.a
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ tests/fuzz/replay.c $< \
	    $(B)/san/fuzz/librenderlink.a $(PKG_LIBS)

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_DEB_PKGS)"

fuzz: deps fuzz-deps
	$(MAKE) $(FUZZ_BIN)
	@mkdir -p $(B)/fuzz/crashes $(B)/fuzz/tmp
	@failed=; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(B)/fuzz/new/$$t; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  TMPDIR=$(CURDIR)/$(B)/fuzz/tmp $(B)/fuzz/fuzz_$$t $(FUZZ_FLAGS) \
	    -max_total_time=$(FUZZ_SECONDS) $$dict \
	    -artifact_prefix=$(B)/fuzz/crashes/$$t- \
	    $(B)/fuzz/new/$$t tests/fuzz/corpus/$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: findings in:$$failed" \
	    "(inputs in $(B)/fuzz/crashes/)"; exit 1; fi

# The manual pages are roff as installed: groff -ww and mandoc -T lint
# must say nothing (tests/e2e/t0520-man.sh also holds them to the binary).
MANPAGES = man/renderlink.1 man/renderlink-config.5

man:
	@for p in $(MANPAGES); do \
	  out=$$(groff -ww -z -man $$p 2>&1; \
	    if command -v mandoc >/dev/null; then mandoc -T lint -W all $$p 2>&1; \
	    else echo "mandoc is not installed (make deps)"; fi); \
	  if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "$$p: ok"; \
	done

# make install / make uninstall, as the GNU Coding Standards say: PREFIX
# (or prefix, default /usr/local), bindir, datadir, mandir, and DESTDIR
# before every path for a staged install (which needs no root).  install
# builds $(B)/renderlink first.  $(pkgdatadir) gets the Jekyll wrapper and
# plugin, the pre-commit hook, the CI workflow and the example plug-ins;
# the installed wrapper and plugin get the bindir written in, absolute
# and relative to their folder, so they find this renderlink with no
# variable, also in a staged or moved tree.  uninstall removes what
# install puts there, and the folders it made in $(pkgdatadir) if empty.
PREFIX	 = /usr/local
prefix	 = $(PREFIX)
exec_prefix = $(prefix)
bindir	 = $(exec_prefix)/bin
datadir	 = $(prefix)/share
mandir	 = $(datadir)/man
pkgdatadir = $(datadir)/renderlink
bashcompdir = $(datadir)/bash-completion/completions
zshcompdir = $(datadir)/zsh/site-functions
INSTALL	 = install
GEM_CMD	 = gem

MANPAGES = $(wildcard man/*.[1-8])
EXAMPLE_PLUGINS = $(wildcard hook/plugins/*)
PKGDATA	 = jekyll renderlink.rb pre-commit ci/renderlink.yml
INSTALL_PATHS = $(DESTDIR)$(bindir)$(pkgdatadir)$(mandir)$(bashcompdir)$(zshcompdir)
# The paths go into shell and Ruby strings (through sed): refuse the few
# characters those would need escaped.
check_paths = $(if $(strip $(foreach c,\ ' | &,$(findstring \
	$c,$(INSTALL_PATHS)))),$(error install paths may not hold \ ' | &))
# The lines `make install` and `make gem` rewrite.
SED_BINDIR = -e "s|^installed_bindir=''$$|installed_bindir='$(bindir)'|" \
	     -e "s|^  BINDIR = .*|  BINDIR = '$(bindir)'|"
SED_BINDIR_REL = -e "s|^installed_bindir_rel=''$$|installed_bindir_rel='$$rel'|" \
	     -e "s|^  BINDIR_FROM_HERE = nil$$|  BINDIR_FROM_HERE = '$$rel'|"

.PHONY: install uninstall gem

install: $(B)/renderlink
	$(check_paths)
	$(INSTALL) -D -m 755 $(B)/renderlink '$(DESTDIR)$(bindir)/renderlink'
	$(INSTALL) -D -m 755 hook/jekyll '$(DESTDIR)$(pkgdatadir)/jekyll'
	$(INSTALL) -D -m 644 hook/renderlink.rb \
	    '$(DESTDIR)$(pkgdatadir)/renderlink.rb'
	rel=$$(realpath -ms --relative-to='$(pkgdatadir)' '$(bindir)') && \
	for f in jekyll renderlink.rb; do \
	  sed -i $(SED_BINDIR) $(SED_BINDIR_REL) \
	      '$(DESTDIR)$(pkgdatadir)/'$$f && \
	  grep -q "^ *\(installed_bindir_rel\|BINDIR_FROM_HERE\)[ =]*'" \
	      '$(DESTDIR)$(pkgdatadir)/'$$f || \
	  { echo "make install: hook/$$f: no bindir line to fill in" >&2; \
	    exit 1; }; \
	done
	$(INSTALL) -D -m 755 hook/pre-commit '$(DESTDIR)$(pkgdatadir)/pre-commit'
	$(INSTALL) -D -m 644 hook/ci/renderlink.yml \
	    '$(DESTDIR)$(pkgdatadir)/ci/renderlink.yml'
	for f in $(EXAMPLE_PLUGINS); do \
	  [ ! -f "$$f" ] || $(INSTALL) -D -m 755 "$$f" \
	      '$(DESTDIR)$(pkgdatadir)/plugins/'"$${f##*/}" || exit 1; \
	done
	for f in $(MANPAGES); do \
	  $(INSTALL) -D -m 644 "$$f" \
	      '$(DESTDIR)$(mandir)/man'"$${f##*.}/$${f##*/}" || exit 1; \
	done
	$(INSTALL) -D -m 644 completion/renderlink.bash \
	    '$(DESTDIR)$(bashcompdir)/renderlink'
	$(INSTALL) -D -m 644 completion/_renderlink \
	    '$(DESTDIR)$(zshcompdir)/_renderlink'

uninstall:
	$(check_paths)
	rm -f '$(DESTDIR)$(bindir)/renderlink' \
	    '$(DESTDIR)$(bashcompdir)/renderlink' \
	    '$(DESTDIR)$(zshcompdir)/_renderlink'
	for f in $(PKGDATA) $(patsubst hook/%,%,$(EXAMPLE_PLUGINS)); do \
	  [ -d "hook/$$f" ] || rm -f '$(DESTDIR)$(pkgdatadir)/'"$$f" || exit 1; \
	done
	for f in $(MANPAGES); do \
	  rm -f '$(DESTDIR)$(mandir)/man'"$${f##*.}/$${f##*/}" || exit 1; \
	done
	for d in plugins ci; do \
	  [ ! -d '$(DESTDIR)$(pkgdatadir)/'$$d ] || rmdir \
	      --ignore-fail-on-non-empty '$(DESTDIR)$(pkgdatadir)/'$$d || exit 1; \
	done
	[ ! -d '$(DESTDIR)$(pkgdatadir)' ] || \
	    rmdir --ignore-fail-on-non-empty '$(DESTDIR)$(pkgdatadir)'

# make gem: the Jekyll plugin as the gem jekyll-renderlink, built offline
# into $(B)/ (every time: it is quick, and bindir may differ) from a copy
# of gem/ that has the bindir written in and the version (src/version.h)
# as VERSION.
GEM_VERSION = $(shell sed -n 's/^\#define[ \t]*RENDERLINK_VERSION[ \t]*"\(.*\)"/\1/p' src/version.h)
GEM_FILE = $(B)/jekyll-renderlink-$(GEM_VERSION).gem

gem:
	$(check_paths)
	rm -rf $(B)/gem && mkdir -p $(B)/gem/lib
	cp gem/jekyll-renderlink.gemspec $(B)/gem/
	echo '$(GEM_VERSION)' >$(B)/gem/VERSION
	sed $(SED_BINDIR) gem/lib/jekyll-renderlink.rb \
	    >$(B)/gem/lib/jekyll-renderlink.rb
	cd $(B)/gem && $(GEM_CMD) build jekyll-renderlink.gemspec \
	    --output ../$(notdir $(GEM_FILE))

clean:
	rm -rf $(B)
