"""Validation of the signatures editors write, supplied by whoever matches them.

kb does not know how a pattern is matched. The triage app registers its
validator when it starts (triage/apps.py), and `Signature.clean()` asks every
registered one, so the admin form refuses a pattern the engine could not use.
"""

_pattern_validators = []


def register_pattern_validator(validator):
    """Add validator(pattern) -> message or None; registering twice has no effect."""
    if validator not in _pattern_validators:
        _pattern_validators.append(validator)
    return validator


def pattern_problems(pattern):
    """The messages of every registered validator that refuses pattern."""
    return [message for validator in _pattern_validators if (message := validator(pattern))]
