"""The DfE's Unique Pupil Number check letter: one definition for the records, the returns and the demo."""

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # the 23 check letters: A-Z without I, O and S


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2-13 of a UPN (DfE: weights 2-13, total modulo 23)."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        # a temporary UPN ends in a letter, which counts by its place in the check-letter alphabet
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]
