import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded dossiers go to a temporary MEDIA_ROOT (real files, removed after the test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
