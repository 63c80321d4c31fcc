# renderlink - keep one symlink per referenced render in a Jekyll site.
#
#   make demo    install what is missing, then sync the fixture site
#   make test    install what is missing, then run every test, also under
#                AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench   print timings of the hot paths (never part of `make test`)

CC	?= cc
PKGS	 = libgit2 jansson yaml-0.1
DEB_PKGS = gcc make pkg-config libgit2-dev libjansson-dev libyaml-dev \
	   libcriterion-dev git ntfs-3g fuse3 jekyll ruby-bundler valgrind \
	   strace pre-commit

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

.PHONY: all deps demo test unit e2e test-plain test-san valgrind bench clean

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

demo: deps $(B)/renderlink
	sh fixtures/demo.sh

# The suite runs twice: once as shipped, once under ASan+UBSan.
test: deps
	$(MAKE) test-plain test-san

test-plain: $(B)/renderlink $(B)/unit
	$(B)/unit --jobs 2
	sh tests/run.sh $(B)/renderlink

# Criterion runs each test in a child whose sanitizer report would not
# fail the test: reports go to files instead, and any file fails the run.
SANLOG	 = $(CURDIR)/$(B)/san/log
SANENV	 = ASAN_OPTIONS=detect_leaks=1:log_path=$(SANLOG)/asan \
	   UBSAN_OPTIONS=print_stacktrace=1:log_path=$(SANLOG)/ubsan

test-san: $(B)/san/renderlink $(B)/san/unit
	rm -rf $(SANLOG) && mkdir -p $(SANLOG)
	$(SANENV) $(B)/san/unit --jobs 2
	$(SANENV) sh tests/run.sh $(B)/san/renderlink
	@if [ -n "$$(ls -A $(SANLOG))" ]; then cat $(SANLOG)/*; \
	    echo "sanitizer reports above"; exit 1; fi

unit: $(B)/unit
	$(B)/unit

e2e: $(B)/renderlink
	sh tests/run.sh $(B)/renderlink

valgrind: deps $(B)/renderlink
	RENDERLINK_WRAP="valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite" sh tests/run.sh $(B)/renderlink

bench: deps $(B)/renderlink
	sh tests/bench.sh $(B)/renderlink

clean:
	rm -rf $(B)
