# contrib/: running credtools as a service. `make install-contrib` installs
# the systemd units (credctl's path set to BINDIR), the udev rule and the
# examples (the crontab's PATH line starting with BINDIR); it is
# not part of `make install`, since units and device
# permissions are the administrator's choice (see contrib/README.md).
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR   ?= $(PREFIX)/lib/udev/rules.d
EXAMPLESDIR    ?= $(DATADIR)/doc/credtools/examples

CONTRIB_EXAMPLES := contrib/README.md contrib/cron/credtools.crontab contrib/default/credtools

.PHONY: install-contrib uninstall-contrib
install-contrib:
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(EXAMPLESDIR)
	sed 's|/usr/local/bin/credctl|$(BINDIR)/credctl|' contrib/systemd/credtools-check.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/credtools-check.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/credtools-check.service
	install -m 0644 contrib/systemd/credtools-check.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0644 contrib/udev/70-credtools.rules $(DESTDIR)$(UDEVRULESDIR)/
	install -m 0644 $(CONTRIB_EXAMPLES) $(DESTDIR)$(EXAMPLESDIR)/
	sed 's|^PATH=/usr/local/bin:|PATH=$(BINDIR):|' contrib/cron/credtools.crontab \
		> $(DESTDIR)$(EXAMPLESDIR)/credtools.crontab

uninstall-contrib:
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/credtools-check.service $(DESTDIR)$(SYSTEMDUNITDIR)/credtools-check.timer
	rm -f $(DESTDIR)$(UDEVRULESDIR)/70-credtools.rules
	rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(notdir $(CONTRIB_EXAMPLES)))
	$(call rmdirs,$(SYSTEMDUNITDIR) $(UDEVRULESDIR) $(EXAMPLESDIR))
