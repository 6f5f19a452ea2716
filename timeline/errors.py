"""The one error policy of the command line, shared by every layer.

A user mistake (a missing or unreadable input, a bad date, an unknown language,
nothing to do) raises :class:`UsageError`, whichever layer finds it; the command
line prints it as one line on stderr naming the input and the fix, and exits with
:data:`EXIT_USAGE`. The exit statuses are the same for every subcommand.
"""

from __future__ import annotations

#: Exit statuses, the same for every subcommand.
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
#: Ended by SIGTERM (128 + 15, as a shell reports it).
EXIT_TERMINATED = 143


class UsageError(Exception):
    """A user mistake: the message names the input and says how to fix it (status 2)."""
