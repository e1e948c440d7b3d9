package dev.esctl.testing.crashfs;

/** A file or directory in a {@link Disk}'s model: the thing a directory entry points at (an inode). */
sealed interface Node permits TrackedFile, TrackedDirectory {}
