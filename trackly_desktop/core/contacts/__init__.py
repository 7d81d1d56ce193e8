"""Which column holds what: mapping, header aliases, consent, names."""
