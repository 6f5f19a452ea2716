"""What a statement tells: kinds of happening, and words that mean the same across languages."""

import re
from pathlib import Path

import pytest
from support import hand_timex

from timeline.events import extract_mentions, load_vocabulary
from timeline.events.vocabulary import compile_vocabulary
from timeline.lang import common as lang
from timeline.types import Document


def _features(text: str, lang: str) -> set[str]:
    """The merge features of a one-sentence statement dated by its first weekday word."""
    phrase = next(w for w in ("Thursday", "Kamis") if w in text)
    start = text.index(phrase)
    timex = hand_timex(start, phrase, "2019-09-12")
    (mention,) = extract_mentions(Document("d", text, lang=lang, source="S"), [timex])
    return set(mention.features)


@pytest.mark.parametrize("en, id_, feature", [
    ("Turkish troops were ambushed near Idlib on Thursday.",
     "Pasukan Turki disergap di dekat Idlib pada Kamis.", "party:soldier"),
    ("Turkish soldiers were ambushed near Idlib on Thursday.",
     "Tentara Turki disergap di dekat Idlib pada Kamis.", "party:soldier"),
    ("Two civilians were killed in Idlib on Thursday.",
     "Dua warga sipil tewas di Idlib pada Kamis.", "event:killed"),
    ("Two civilians were killed in Idlib on Thursday.",
     "Dua warga sipil meninggal di Idlib pada Kamis.", "event:killed"),
    ("Russia and Turkey reached a deal on Idlib on Thursday.",
     "Rusia dan Turki mencapai kesepakatan soal Idlib pada Kamis.", "event:agreement"),
    ("Russia and Turkey signed an agreement on Idlib on Thursday.",
     "Rusia dan Turki menandatangani kesepakatan soal Idlib pada Kamis.", "event:agreement"),
])
def test_paraphrases_across_languages_share_their_feature(en, id_, feature):
    assert feature in _features(en, "en") & _features(id_, "id")


@pytest.mark.parametrize("text, kinds", [
    ("An air raid killed seven civilians on Saturday, hours before the ceasefire took effect.",
     ("violence",)),
    ("Hours after the air raid, a ceasefire took effect on Saturday.", ("accord",)),
    ("Serangan udara menewaskan tujuh warga pada Sabtu pagi, beberapa jam sebelum gencatan "
     "senjata berlaku.", ("violence",)),
    ("Russia suspended the ceasefire on Thursday evening.", ("suspension",)),
    ("Rusia menangguhkan gencatan senjata itu pada Kamis malam.", ("suspension",)),
    ("Turkey condemned the Russian air strikes on Friday.", ("reaction",)),
    ("Turki mengecam serangan udara Rusia pada Jumat.", ("reaction",)),
    ("Ribuan warga mengungsi pada Senin akibat gempuran artileri.", ("displacement",)),
    # both told in one breath, no word of context: the statement may be either
    ("A ceasefire took effect on Saturday, halting months of bombardment.",
     ("accord", "violence")),
    # only context words: they are all the statement says
    ("After the attack on Monday, nothing else.", ("violence",)),
    ("The talks resumed in Geneva on Monday.", ("accord",)),
    ("President Erdogan spoke on Monday.", ()),
])
def test_a_statement_tells_the_kinds_of_its_own_event_words(text, kinds):
    assert load_vocabulary().statement_kinds(text, 0, len(text)) == kinds


def _broken_common(tmp_path: Path, monkeypatch, old: str, new: str) -> None:
    """common.toml with one change, read by the loader in place of the package's."""
    target = tmp_path / "common.toml"
    text = lang.COMMON_FILE.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(lang, "COMMON_FILE", target)
    lang.load_common.cache_clear()
    compile_vocabulary.cache_clear()


@pytest.mark.parametrize("old, new, message", [
    ('accord = ["ceasefire",', 'accord = ["cease-fire",',
     "common.toml: [event_kinds] accord: 'cease-fire' is not an [events] key"),
    ('reaction = ["condemned", "denied"]', 'reaction = ["condemned", "denied", "killed"]',
     "common.toml: [event_kinds] 'killed' is both 'violence' and 'reaction'"),
    ('suspension = ["accord"]', 'suspension = ["truce"]',
     "'truce' is not a kind of [event_kinds]"),
])
def test_kinds_that_name_unknown_keys_fail_loudly_at_load(tmp_path, monkeypatch, old, new,
                                                         message):
    _broken_common(tmp_path, monkeypatch, old, new)
    try:
        with pytest.raises(ValueError, match=re.escape(message)):
            load_vocabulary()
    finally:
        monkeypatch.undo()
        lang.load_common.cache_clear()
        compile_vocabulary.cache_clear()
