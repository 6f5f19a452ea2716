"""Events stage: dated statements (event mentions) read from documents.

- :mod:`timeline.events.sentences`: sentence splitting (Indonesian, English);
- :mod:`timeline.events.mentions`: event mentions with role, actors, places, counts;
- :mod:`timeline.events.vocabulary`: the event vocabulary (``timeline/lang/<code>/events.toml``
  and the gazetteers).
"""

from timeline.events.mentions import extract_mentions, timex_role
from timeline.events.sentences import Sentence, split_sentences
from timeline.events.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Sentence", "Vocabulary", "extract_mentions", "load_vocabulary", "split_sentences",
           "timex_role"]
