
def test_type_written_twice_is_read_once() -> None:
    """Registries copy a ward's full name after its prefix: 'phường Phường 8'."""
    from hub.units.resolver import split_prefix

    assert split_prefix("phường Phường 8") == ("phuong", "8")
    assert split_prefix("xã Xuân Trường") == ("xa", "Xuân Trường")
