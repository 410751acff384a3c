"""Cleaning: what the sentence splitter keeps of an article's text."""
import pytest

from claims.clean import clean
from claims.model import Article

# (article text, the last sentence the cleaner keeps)
SIGN_OFFS = [
    ("The ministry sent a lawyer. He said ``of course we'll get them released.'' lc-kl",
     'He said "of course we\'ll get them released."'),
    ("The blast in Nairobi killed 247 people. (stgr-lk)", "The blast in Nairobi killed 247 people."),
    ("A union offered a reward of its own. (rb)", "A union offered a reward of its own."),
    ("The rescue was called off. av-fsa-as", "The rescue was called off."),
    # a lower-case word after a closing quote mark, or a lone word after an abbreviation, is text
    ('The committee called the plan "unworkable" twice', 'The committee called the plan "unworkable" twice'),
    ("The hearing, adjourned after the defense objected to the new witness, resumes at 5 p.m. today",
     "The hearing, adjourned after the defense objected to the new witness, resumes at 5 p.m. today"),
]


@pytest.mark.parametrize("text, last", SIGN_OFFS)
def test_a_wire_operators_sign_off_is_not_part_of_the_last_sentence(text, last):
    doc = clean(Article(id="a", path="a.txt", text=text))
    assert doc.sentences[-1].text == last
