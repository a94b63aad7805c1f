# Man pages (man/*.1, man/*.7) and shell completions.
MAN_PAGES := $(wildcard man/*.[1-8])
BASH_COMPS := $(wildcard completions/bash/*)
ZSH_COMPS  := $(wildcard completions/zsh/_*)

install: install-doc
install-doc:
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	for p in $(MAN_PAGES); do s=$${p##*.}; install -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/; done
	$(if $(BASH_COMPS),install -m 0644 $(BASH_COMPS) $(DESTDIR)$(BASHCOMPDIR)/)
	$(if $(ZSH_COMPS),install -m 0644 $(ZSH_COMPS) $(DESTDIR)$(ZSHCOMPDIR)/)

uninstall: uninstall-doc
uninstall-doc:
	for p in $(MAN_PAGES); do s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; done
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(notdir $(BASH_COMPS)))
	rm -f $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/,$(notdir $(ZSH_COMPS)))
