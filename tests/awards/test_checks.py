from pathlib import Path

from awards.checks import check_cjk_font, check_harfbuzz_subset, find_cjk_fonts


def test_installed_cjk_font_is_found_and_the_check_passes():
    assert any("CJK" in family for family in find_cjk_fonts())
    assert check_cjk_font() == []


def test_without_any_cjk_font_the_check_is_an_error(tmp_path: Path, monkeypatch):
    empty_fonts = tmp_path / "fonts"
    empty_fonts.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{empty_fonts}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    assert find_cjk_fonts() == []
    errors = check_cjk_font()
    assert [error.id for error in errors] == ["awards.E001"]
    assert errors[0].msg == "没有安装中文（CJK）字体，PDF 中的汉字会显示为空白方框。"
    assert errors[0].hint == "请安装中文字体，例如：apt-get install fonts-noto-cjk"


def test_harfbuzz_subset_present_gives_no_warning_and_missing_gives_one():
    assert check_harfbuzz_subset() == []
    warnings = check_harfbuzz_subset(library="harfbuzz-subset-not-installed")
    assert [warning.id for warning in warnings] == ["awards.W001"]
    assert warnings[0].hint == "请安装：apt-get install libharfbuzz-subset0"
