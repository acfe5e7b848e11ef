"""Error codes in pasted text, in every spelling, reduced to one key each.

The table and its parser live in the top-level `errorcodes` package, which the
article search in kb/ reads too (kb never imports triage). The triage keeps
importing them from here.
"""

from errorcodes import (  # noqa: F401
    DATA_FILE,
    OTHER_SYSTEMS,
    CodeHit,
    ErrorCode,
    all_codes,
    find_codes,
    find_codes_in_paste,
    is_success,
    lookup,
    message_phrases,
    normalise_message,
    spellings,
)
