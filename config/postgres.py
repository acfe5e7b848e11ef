"""A psycopg connection that stops waiting for a server that does not answer.

PostgreSQL's statement_timeout only helps while the server still runs its
side; TCP keepalives and tcp_user_timeout only notice a peer whose kernel no
longer acknowledges. A server that accepts connections and then answers
nothing (a stopped postmaster, a wedged proxy or pooler in between) defeats
all three: the socket stays healthy and psycopg would wait forever. So every
wait on the server is bounded here, on the client, and a connection that ran
out of time is closed: it is mid-protocol and cannot be used again, and the
pool replaces closed connections by itself.
"""

import psycopg
from psycopg import errors


class BoundedConnection(psycopg.Connection):
    """Gives up on any one round trip to the server after `answer_timeout` seconds."""

    answer_timeout = None

    @classmethod
    def bounded(cls, seconds):
        """This class with its waits bounded to `seconds` (None: unbounded)."""
        return type(cls.__name__, (cls,), {"answer_timeout": seconds})

    def wait(self, gen, interval=0.1, timeout=None):
        if timeout is not None or self.answer_timeout is None:
            # psycopg's own bounded waits (notifies, cancel) handle their timeout.
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.answer_timeout)
        except errors._WaitTimeout:
            self.close()
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_timeout:g} s"
            ) from None
