from khuyencong.core.text import fold


def test_fold_strips_marks_and_d():
    assert fold("Bến Tre") == "ben tre"
    assert fold("Công ty TNHH Đinh Lâm") == "cong ty tnhh dinh lam"
    assert fold("  Thạch  DỪA ") == "thach dua"
