"""Standards: names, hashes, distribution file names, core metadata. Pure: no I/O."""
