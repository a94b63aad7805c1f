# libcred: one .c per object; public API in lib/cred*.h, installed in
# $(INCLUDEDIR)/credtools/ with a pkg-config file (libcred.pc).
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
LIB_HDRS := $(wildcard lib/cred*.h)
LIBCRED_A  := $(B)/libcred.a
# In build/lib/ as in $(LIBDIR): the tools find it at $ORIGIN/../lib in
# both trees (see cmd/Module.mk).
LIBCRED_SO := $(B)/lib/libcred.so.0
# The packages libcred itself links (a subset of PKGS), for libcred.pc.
LIB_PKGS := libserialport libusb-1.0 cfitsio nettle libmicrohttpd libpng
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CRED_INCDIR := $(INCLUDEDIR)/credtools

all: $(LIBCRED_A) $(LIBCRED_SO)

$(LIBCRED_A): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBCRED_SO): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libcred.so.0 -Wl,--as-needed $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LINK_LIBS)

# libcred.pc is written at install time, so it names the folders of that
# install (PREFIX, LIBDIR, INCLUDEDIR as given to make install).
install: install-lib
install-lib: $(LIBCRED_SO)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(CRED_INCDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIBCRED_SO) $(DESTDIR)$(LIBDIR)/libcred.so.0
	ln -sf libcred.so.0 $(DESTDIR)$(LIBDIR)/libcred.so
	install -m 0644 $(LIB_HDRS) $(DESTDIR)$(CRED_INCDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES@|$(LIB_PKGS)|' lib/libcred.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/libcred.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libcred.pc

uninstall: uninstall-lib
uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libcred.so.0 $(DESTDIR)$(LIBDIR)/libcred.so
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/libcred.pc
	rm -f $(addprefix $(DESTDIR)$(CRED_INCDIR)/,$(notdir $(LIB_HDRS)))
