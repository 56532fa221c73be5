from trainees.tests.factories import OnDutyPlacementFactory


def test_factories_build_a_placement_with_encrypted_id(db):
    placement = OnDutyPlacementFactory()
    trainee = placement.trainee
    assert trainee.id_number.startswith("22010220020304")
    assert trainee.id_number not in trainee.id_number_cipher
    assert trainee.id_number_masked.startswith("220102********")
    assert placement.region.code == "changchun"
