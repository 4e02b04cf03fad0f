from limix._data import DroppedSamples


def test_counts_and_message():
    d = DroppedSamples(
        10, unmatched=3, absent={"M": 2, "K": 2}, missing={"Y": 2, "M": 1}, ntraits=2
    )
    assert d.total == 6
    assert d.kept == 4
    assert d.message("Y") == (
        "6 of the 10 samples of Y were dropped: 3 absent from a labelled input (M lacks 2, "
        "K lacks 2); 3 with a missing value (Y: 2, M: 1; a sample missing any of the 2 traits "
        "is dropped). 4 sample(s) are analysed."
    )


def test_nothing_dropped():
    d = DroppedSamples(5)
    assert d.total == 0 and d.kept == 5
