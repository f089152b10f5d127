"""The word-lexicon features of the NER model (piiscan.detect.ner.features)."""

import numpy

from piiscan.detect.ner.features import N_FEATURES, char_features, compile_table, word_table

# groups: 0 person, 1 transliterated person, 2 place, 3 organisation, 4 other word
PERSON_B, PERSON_M, PERSON_E = 0, 1, 2
FOREIGN_B, FOREIGN_M, FOREIGN_E = 3, 4, 5
PLACE_B, PLACE_E = 6, 8


def compiled(tmp_path, lines):
    path = tmp_path / "dict.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = compile_table(word_table(path))
    return {int(k): (numpy.array(h, dtype=numpy.uint64), numpy.array(b, dtype=numpy.uint8)) for k, (h, b) in table.items()}


def test_each_character_learns_which_known_words_begin_continue_or_end_on_it(tmp_path):
    table = compiled(tmp_path, ["鲁迅 1507 nr", "克洛普 2 nrt", "香港 3000 ns", "见到 10 v", "罕见词 1 v"])
    text = "克洛普在香港见到了鲁迅"
    features = char_features(text, table)
    assert features.shape == (len(text), N_FEATURES)
    on = {i: set(numpy.flatnonzero(features[i]).tolist()) for i in range(len(text))}
    assert on[0] == {FOREIGN_B} and on[1] == {FOREIGN_M} and on[2] == {FOREIGN_E}
    assert on[4] == {PLACE_B} and on[5] == {PLACE_E}
    assert on[9] == {PERSON_B} and on[10] == {PERSON_E}
    assert on[3] == set() and on[8] == set()
    assert on[6] == {12} and on[7] == {14}  # 见到: an "other" word of frequency >= 5


def test_rare_other_words_and_unknown_text_give_nothing(tmp_path):
    table = compiled(tmp_path, ["罕见词 1 v", "鲁迅 1507 nr"])
    assert not char_features("罕见词", table).any()
    assert not char_features("12345 abc", table).any()
    assert char_features("鲁", table).shape == (1, N_FEATURES)


def test_a_word_can_belong_to_several_groups(tmp_path):
    table = compiled(tmp_path, ["华盛顿 100 nrt", "华盛顿 100 ns"])
    features = char_features("华盛顿", table)
    assert features[0, FOREIGN_B] == features[0, PLACE_B] == 1.0


def test_the_vectorised_lookup_equals_a_plain_loop_over_substrings(tmp_path):
    """Words overlapping and nested at the same positions (中华, 中华人民, 华人, 人民…):
    each character's bits are those a loop over every substring finds."""
    lines = ["中华 50 ns", "中华人民 20 nt", "华人 30 n", "人民 40 n", "人民共和国 10 ns", "共和 9 n", "和国 8 n",
             "国人 7 n", "张华 5 nr", "华盛顿 100 nrt", "华盛顿 100 ns", "盛顿 3 nr"]
    table = word_table_from(tmp_path, lines)
    text = "中华人民共和国人张华华盛顿人民中华"
    expected = numpy.zeros((len(text), N_FEATURES), dtype="float32")
    for start in range(len(text)):
        for end in range(start + 2, min(start + 8, len(text)) + 1):
            for group in range(5):
                if table.get(text[start:end], 0) >> group & 1:
                    expected[start, 3 * group] = 1
                    expected[start + 1:end - 1, 3 * group + 1] = 1
                    expected[end - 1, 3 * group + 2] = 1
    assert expected.any(axis=0).sum() >= 9
    assert (char_features(text, compiled(tmp_path, lines)) == expected).all()


def word_table_from(tmp_path, lines):
    path = tmp_path / "words.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return word_table(path)
