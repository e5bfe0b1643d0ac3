"""Sans-I/O core: wire logic shared by the sync and async drivers. No sockets, threads, sleeps."""
