"""Values found everywhere in a file (piiscan.protect.known): names added one by one
while a file is written are found at once, before and after the pattern is compiled again."""

from faker import Faker

from piiscan.protect.known import KnownValues


def test_names_added_while_writing_are_found_at_once_and_after_recompiling():
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    known = KnownValues()
    accepted = []
    for name in dict.fromkeys(fake.name() for _ in range(400)):
        known.name_seen(name, 0.85)
        if name in known.values:  # read as a name on its own
            accepted.append(name)
            text = f"经办：{accepted[len(accepted) // 2]}；客户{name}。"
            assert {d.value for d in known.find(text)} == {name, accepted[len(accepted) // 2]}
    assert len(accepted) > 300  # past several recompilations
    assert {d.value for d in known.find("、".join(accepted))} == set(accepted)
    known.name_seen("市长", 0.7)  # a title does not read as a name on its own
    assert known.find("市长讲话") == []
