# libcred: one .c per object; public API in lib/cred*.h.
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
LIB_HDRS := $(wildcard lib/cred*.h)
LIBCRED_A  := $(B)/libcred.a
LIBCRED_SO := $(B)/libcred.so.0

all: $(LIBCRED_A) $(LIBCRED_SO)

$(LIBCRED_A): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBCRED_SO): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libcred.so.0 $(LDFLAGS) -o $@ $^ $(LINK_LIBS)

install: install-lib
install-lib: $(LIBCRED_A) $(LIBCRED_SO)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)
	install -m 0755 $(LIBCRED_SO) $(DESTDIR)$(LIBDIR)/libcred.so.0
	ln -sf libcred.so.0 $(DESTDIR)$(LIBDIR)/libcred.so
	install -m 0644 $(LIB_HDRS) $(DESTDIR)$(INCLUDEDIR)/

uninstall: uninstall-lib
uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libcred.so.0 $(DESTDIR)$(LIBDIR)/libcred.so
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(notdir $(LIB_HDRS)))
