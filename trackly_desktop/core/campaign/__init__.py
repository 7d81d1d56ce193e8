"""A campaign as recorded: the spec, its options and its rows."""
