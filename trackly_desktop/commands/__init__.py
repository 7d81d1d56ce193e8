"""The subcommands of the `trackly` command line. No Qt."""
